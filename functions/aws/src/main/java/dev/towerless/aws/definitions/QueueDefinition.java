package dev.towerless.aws.definitions;

import java.time.Duration;

/** An SQS queue with its dead-letter queue after {@code maxReceiveCount} failed deliveries. */
public record QueueDefinition(String logicalName, Duration visibilityTimeout, int maxReceiveCount) {
    public String physicalName(String prefix) {
        return prefix + logicalName;
    }

    public String deadLetterName(String prefix) {
        return prefix + logicalName + "-dlq";
    }
}
