package dev.towerless.local;

import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One dynalite and one fauxqs for the whole test run (they start in well under a second, but
 * once is enough). Each test class provisions its own tables under a unique prefix.
 */
public final class SharedEmulators {
    private static Emulators emulators;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private SharedEmulators() {
    }

    public static synchronized Emulators get() {
        if (emulators == null) {
            dev.towerless.local.Emulators.useEmulatorCredentials();
            try {
                emulators = Emulators.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(emulators::close));
        }
        return emulators;
    }

    public static String uniquePrefix() {
        return "t" + PREFIXES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36) + "-";
    }

    public static TowerlessConfig config(String prefix) {
        Emulators e = get();
        Map<String, String> env = Map.of(TowerlessConfig.PREFIX, prefix,
                "AWS_ENDPOINT_URL_DYNAMODB", e.dynamoDbEndpoint(),
                "AWS_ENDPOINT_URL_SQS", e.sqsEndpoint(),
                "AWS_ENDPOINT_URL_SNS", e.snsEndpoint());
        return TowerlessConfig.from(n -> Optional.ofNullable(env.get(n)));
    }

    /** A DynamoDB client with the Towerless tables created under {@code prefix}. */
    public static DynamoDbClient dynamoWithTables(String prefix) {
        DynamoDbClient client = AwsClients.dynamoDb(config(prefix));
        Provisioner.createTables(client, prefix);
        return client;
    }

    public static SqsClient sqs() {
        return AwsClients.sqs(config("x-"));
    }

    public static SnsClient sns() {
        return AwsClients.sns(config("x-"));
    }
}
