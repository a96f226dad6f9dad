package dev.towerless.aws.sqs;

import dev.towerless.core.ports.MessageQueue;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** One SQS queue by URL. */
public final class SqsMessageQueue implements MessageQueue {
    /** SQS refuses a DelaySeconds above 900. */
    private static final Duration MAX_DELAY = Duration.ofMinutes(15);
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsMessageQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public String queueUrl() {
        return queueUrl;
    }

    @Override
    public void send(String body) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    @Override
    public void sendLater(String body, Duration delay) {
        int seconds = (int) Math.max(0, Math.min(MAX_DELAY.toSeconds(), Math.ceil(delay.toMillis() / 1000.0)));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body).delaySeconds(seconds));
    }

    @Override
    public List<QueueMessage> receive(int max, Duration wait) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(max)
                        .waitTimeSeconds((int) Math.min(20, wait.toSeconds()))
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages().stream()
                .map(m -> new QueueMessage(m.messageId(), m.receiptHandle(), m.body(),
                        Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"))))
                .toList();
    }

    @Override
    public void delete(QueueMessage message) {
        sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
    }
}
