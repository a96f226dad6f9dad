package dev.towerless.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * dynalite (DynamoDB) and fauxqs (SQS + SNS), started together, on 127.0.0.1 only and answering
 * only requests signed with this JVM's {@link #accessKeyId()}.
 */
public final class Emulators implements AwsBackends {
    private static final String ACCESS_KEY_ID = newAccessKeyId();
    private final EmulatorProcess dynamodb;
    private final EmulatorProcess messaging;

    private Emulators(EmulatorProcess dynamodb, EmulatorProcess messaging) {
        this.dynamodb = dynamodb;
        this.messaging = messaging;
    }

    /**
     * The access key id the emulators require: random per JVM, so a process that finds their
     * ports but cannot read this JVM's memory or its runners' environment cannot use them.
     */
    public static String accessKeyId() {
        return ACCESS_KEY_ID;
    }

    /** Makes this JVM's AWS SDK clients sign with the emulators' key (in memory, never a system property). */
    public static void useEmulatorCredentials() {
        dev.towerless.aws.config.AwsClients.useCredentials(ACCESS_KEY_ID, "local");
    }

    private static String newAccessKeyId() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder("TLLOCAL");
        for (int i = 0; i < 25; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    public static Emulators start() throws IOException {
        Path dir = emulatorsDir();
        EmulatorProcess dynamo = EmulatorProcess.start("dynalite", dir, "dynalite.cjs");
        try {
            return new Emulators(dynamo, EmulatorProcess.start("fauxqs", dir, "fauxqs.mjs"));
        } catch (IOException | RuntimeException e) {
            dynamo.close();
            throw e;
        }
    }

    /** {@code localstack/emulators} with its node_modules, found from the project or module directory. */
    public static Path emulatorsDir() {
        Optional<String> configured = Optional.ofNullable(System.getenv("TOWERLESS_EMULATORS_DIR"));
        if (configured.isPresent()) {
            return Path.of(configured.get());
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            for (Path candidate : new Path[] {p.resolve("emulators"), p.resolve("localstack/emulators")}) {
                if (Files.isDirectory(candidate.resolve("node_modules"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("localstack/emulators/node_modules not found from " + cwd
                + "; run `npm ci` in localstack/emulators (./towerless does this)");
    }

    @Override
    public String dynamoDbEndpoint() {
        return dynamodb.endpoint();
    }

    /** fauxqs serves SQS and SNS on one endpoint. */
    @Override
    public String sqsEndpoint() {
        return messaging.endpoint();
    }

    @Override
    public String snsEndpoint() {
        return messaging.endpoint();
    }

    @Override
    public void close() {
        messaging.close();
        dynamodb.close();
    }
}
