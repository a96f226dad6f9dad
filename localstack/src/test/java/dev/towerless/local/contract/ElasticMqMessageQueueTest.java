package dev.towerless.local.contract;

import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.sqs.SqsMessageQueue;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.local.SharedEmulators;
import java.util.Map;
import java.util.Optional;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The same queue contract against ElasticMQ, a second independent SQS implementation. */
class ElasticMqMessageQueueTest extends MessageQueueContract {
    private static SQSRestServer server;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        // ElasticMQ accepts any key; the embedded emulators in this JVM accept only theirs.
        dev.towerless.local.Emulators.useEmulatorCredentials();
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        sqs = AwsClients.sqs(TowerlessConfig.from(n -> Optional.ofNullable(
                Map.of("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:" + port).get(n))));
    }

    @AfterAll
    static void stop() {
        sqs.close();
        server.stopAndWait();
    }

    @Override
    protected MessageQueue newQueue() {
        String url = sqs.createQueue(r -> r.queueName(SharedEmulators.uniquePrefix().replace("-", "_") + "q").attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(VISIBILITY.toSeconds())))).queueUrl();
        return new SqsMessageQueue(sqs, url);
    }
}
