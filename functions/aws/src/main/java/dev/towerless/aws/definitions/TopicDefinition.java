package dev.towerless.aws.definitions;

import java.util.List;

/** An SNS topic and the queues subscribed to it (raw message delivery). */
public record TopicDefinition(String logicalName, List<QueueDefinition> subscribers) {
    public String physicalName(String prefix) {
        return prefix + logicalName;
    }
}
