package dev.towerless.aws.definitions;

import java.time.Duration;
import java.util.List;

/** Queues and topics. Job lifecycle events fan out to the wake queue so finishing frees capacity at once. */
public final class Messaging {

    /** Wakes the task manager: job created, job finished. */
    public static final QueueDefinition WAKE = new QueueDefinition("wake", Duration.ofSeconds(120), 5);

    /** "job finished" and other lifecycle events of jobs. */
    public static final TopicDefinition LIFECYCLE = new TopicDefinition("job-lifecycle", List.of(WAKE));

    private Messaging() {
    }

    public static List<QueueDefinition> queues() {
        return List.of(WAKE);
    }

    public static List<TopicDefinition> topics() {
        return List.of(LIFECYCLE);
    }
}
