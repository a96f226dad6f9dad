package dev.towerless.local.contract;

import dev.towerless.aws.sqs.SqsMessageQueue;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.local.SharedEmulators;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class FauxqsMessageQueueTest extends MessageQueueContract {
    private static final SqsClient SQS = SharedEmulators.sqs();

    @Override
    protected MessageQueue newQueue() {
        String url = SQS.createQueue(r -> r.queueName(SharedEmulators.uniquePrefix() + "q").attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(VISIBILITY.toSeconds())))).queueUrl();
        return new SqsMessageQueue(SQS, url);
    }
}
