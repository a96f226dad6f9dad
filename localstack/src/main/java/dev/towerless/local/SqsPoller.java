package dev.towerless.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.towerless.core.ports.MessageQueue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What Lambda's SQS event source mapping does, on one machine: long-poll the queue, hand the
 * batch to the handler in the SQSEvent shape, and delete only the messages the handler did not
 * report as failed (ReportBatchItemFailures). Failed ones come back after their visibility timeout.
 */
public final class SqsPoller implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SqsPoller.class.getName());

    private final MessageQueue queue;
    private final String queueArn;
    private final Function<SQSEvent, SQSBatchResponse> handler;
    private final int batchSize;
    private final Thread thread;
    private volatile boolean running = true;

    public SqsPoller(String name, MessageQueue queue, String queueArn, int batchSize,
                     Function<SQSEvent, SQSBatchResponse> handler) {
        this.queue = queue;
        this.queueArn = queueArn;
        this.handler = handler;
        this.batchSize = batchSize;
        this.thread = new Thread(this::loop, "sqs-poller-" + name);
        this.thread.setDaemon(true);
    }

    public SqsPoller start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (running) {
            try {
                pollOnce(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                if (running) {
                    LOG.log(Level.WARNING, "poll failed; retrying", e);
                    sleep(500);
                }
            }
        }
    }

    /** One receive → handle → delete round; returns how many messages were handled. */
    public int pollOnce(Duration wait) {
        List<MessageQueue.QueueMessage> messages = queue.receive(batchSize, wait);
        if (messages.isEmpty()) {
            return 0;
        }
        SQSEvent event = toEvent(messages);
        SQSBatchResponse response;
        try {
            response = handler.apply(event);
        } catch (RuntimeException e) {
            // A handler that throws fails the whole batch, as on Lambda.
            LOG.log(Level.WARNING, "handler failed for a batch of " + messages.size(), e);
            return messages.size();
        }
        Set<String> failed = response == null || response.getBatchItemFailures() == null ? Set.of()
                : response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .collect(Collectors.toSet());
        for (MessageQueue.QueueMessage m : messages) {
            if (!failed.contains(m.messageId())) {
                queue.delete(m);
            }
        }
        return messages.size();
    }

    private SQSEvent toEvent(List<MessageQueue.QueueMessage> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(m -> {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setReceiptHandle(m.receiptHandle());
            record.setBody(m.body());
            record.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(m.receiveCount())));
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion("us-east-1");
            return record;
        }).toList());
        return event;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
