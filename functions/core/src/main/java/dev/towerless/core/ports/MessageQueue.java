package dev.towerless.core.ports;

import java.time.Duration;
import java.util.List;

/**
 * A work queue with at-least-once delivery. On AWS the receiving side is Lambda's event source
 * mapping; {@link #receive} and {@link #delete} serve the local pollers and the tests.
 */
public interface MessageQueue {

    void send(String body);

    /**
     * Sends a message that no receiver sees before {@code delay} has passed (SQS's DelaySeconds:
     * whole seconds, at most 15 minutes). For "try again shortly" without holding a worker.
     */
    void sendLater(String body, Duration delay);

    /** Up to {@code max} messages, waiting at most {@code wait} for the first one. */
    List<QueueMessage> receive(int max, Duration wait);

    /** Acknowledges a message; an unacknowledged one comes back after its visibility timeout. */
    void delete(QueueMessage message);

    record QueueMessage(String messageId, String receiptHandle, String body, int receiveCount) {
    }
}
