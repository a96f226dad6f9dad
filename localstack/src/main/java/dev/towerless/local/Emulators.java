package dev.towerless.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** In memory, logs in a temporary directory: the tests' emulators. */
    public static Emulators start() throws IOException {
        return start(Files.createTempDirectory("towerless-emulators"), Optional.empty());
    }

    /**
     * Logs in {@code logDir} ({@code dynalite.log}, {@code fauxqs.log}); DynamoDB's tables in
     * {@code dataDir} when given (dynalite's LevelDB store, kept across restarts), else in memory.
     * SQS and SNS keep nothing: the queues are created again at start, and every job's state is in
     * DynamoDB (a pending job is found again by the task manager's next pass).
     */
    public static Emulators start(Path logDir, Optional<Path> dataDir) throws IOException {
        Path dir = emulatorsDir();
        Map<String, String> dynamoEnv = new HashMap<>();
        if (dataDir.isPresent()) {
            Files.createDirectories(dataDir.get());
            dynamoEnv.put("TOWERLESS_DYNALITE_PATH", dataDir.get().toAbsolutePath().toString());
        }
        EmulatorProcess dynamo = EmulatorProcess.start("dynalite", dir, "dynalite.cjs", logDir.resolve("dynalite.log"), dynamoEnv);
        try {
            return new Emulators(dynamo, EmulatorProcess.start("fauxqs", dir, "fauxqs.mjs", logDir.resolve("fauxqs.log"), Map.of()));
        } catch (IOException | RuntimeException e) {
            dynamo.close();
            throw e;
        }
    }

    /** Calls {@code listener} when either emulator exits on its own (see {@link EmulatorProcess#onDeath}). */
    public void onDeath(java.util.function.Consumer<EmulatorProcess.Death> listener) {
        dynamodb.onDeath(listener);
        messaging.onDeath(listener);
    }

    /** Each emulator: alive or not, and where its log is. */
    public List<String> describe() {
        return List.of(describe(dynamodb), describe(messaging));
    }

    private static String describe(EmulatorProcess p) {
        return p.name() + " " + (p.isAlive() ? "alive at " + p.endpoint() : "DEAD") + ", log " + p.log();
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
