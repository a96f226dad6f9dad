package dev.towerless.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** dynalite (DynamoDB) and fauxqs (SQS + SNS), started together. */
public final class Emulators implements AwsBackends {
    private final EmulatorProcess dynamodb;
    private final EmulatorProcess messaging;

    private Emulators(EmulatorProcess dynamodb, EmulatorProcess messaging) {
        this.dynamodb = dynamodb;
        this.messaging = messaging;
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
