package dev.towerless.local.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.app.TowerlessFactory;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.definitions.Messaging;
import dev.towerless.core.security.SecretBox;
import dev.towerless.handlers.SnapStartPriming;
import dev.towerless.local.Emulators;
import dev.towerless.local.Provisioner;
import dev.towerless.local.SharedEmulators;
import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the SnapStart checkpoint runs, against the emulators: every client the first request uses
 * answers (so its classes are loaded and linked in the snapshot), and the sealing key has not been
 * read, so no snapshot holds it; the first use after restore reads it.
 */
class SnapStartPrimingTest {

    @Test
    void primingTouchesDynamoDbSqsSnsAndJsonButNeverTheSealingKey() {
        String prefix = SharedEmulators.uniquePrefix();
        SharedEmulators.dynamoWithTables(prefix);
        Provisioner.Provisioned messaging = Provisioner.createMessaging(SharedEmulators.sqs(), SharedEmulators.sns(), prefix);
        Emulators e = SharedEmulators.get();
        Map<String, String> env = Map.of(TowerlessConfig.PREFIX, prefix,
                "AWS_ENDPOINT_URL_DYNAMODB", e.dynamoDbEndpoint(), "AWS_ENDPOINT_URL_SQS", e.sqsEndpoint(),
                "AWS_ENDPOINT_URL_SNS", e.snsEndpoint(), "AWS_REGION", "us-east-1",
                TowerlessConfig.WAKE_QUEUE_URL, messaging.queueUrl(Messaging.WAKE),
                TowerlessConfig.LIFECYCLE_TOPIC_ARN, messaging.topicArn(Messaging.LIFECYCLE),
                TowerlessConfig.SECRET_KEY, SecretBox.newBase64Key(),
                "AWS_LAMBDA_FUNCTION_NAME", "towerless-TaskManager");
        Map<String, Object> properties = new HashMap<>();
        env.forEach((k, v) -> properties.put(TowerlessFactory.propertyName(k), v));
        properties.put("micronaut.server.port", -1);
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).start()) {
            SnapStartPriming priming = context.getBean(SnapStartPriming.class);
            assertThat(priming.primeOnce()).as("calls the emulators refused").isEmpty();
            SecretBox box = context.getBean(SecretBox.class);
            assertThat(box.keyLoaded()).as("the key read before the checkpoint").isFalse();
            // After restore, the first use reads it, and then it is there.
            assertThat(box.open(box.seal("s3cret"))).isEqualTo("s3cret");
            assertThat(box.keyLoaded()).isTrue();
        }
    }
}
