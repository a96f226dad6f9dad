package dev.towerless.aws.definitions;

import java.time.Duration;
import java.util.List;

/**
 * Queues and topics. Job lifecycle events fan out to the wake queue, so finishing frees capacity
 * at once, and to the notifications queue.
 */
public final class Messaging {

    /** Wakes the task manager: job created, job finished. */
    public static final QueueDefinition WAKE = new QueueDefinition("wake", Duration.ofSeconds(120), 5);

    /**
     * Job started / job finished, for notifications. The visibility timeout outlasts a slow
     * webhook (the sender gives each 30 s) so a message in flight is not handed out twice.
     */
    public static final QueueDefinition NOTIFICATIONS = new QueueDefinition("notifications", Duration.ofSeconds(180), 5);

    /**
     * Inventories' computed fields: "job finished" (a job's host summaries, a sync's end) from the
     * lifecycle topic, and "inventory changed" sent directly by whoever marked an inventory dirty.
     */
    public static final QueueDefinition INVENTORIES = new QueueDefinition("inventories", Duration.ofSeconds(120), 5);

    /** "job started", "job finished": the task manager runs again, notifications go out, host summaries are stored. */
    public static final TopicDefinition LIFECYCLE = new TopicDefinition("job-lifecycle", List.of(WAKE, NOTIFICATIONS, INVENTORIES));

    /** One queue per housekeeping task; its consumer launches the task as an AWX system job. */
    public static final QueueDefinition CLEANUP_JOBS = new QueueDefinition("housekeeping-cleanup_jobs", Duration.ofSeconds(120), 3);
    public static final QueueDefinition CLEANUP_TOKENS = new QueueDefinition("housekeeping-cleanup_tokens", Duration.ofSeconds(120), 3);
    public static final QueueDefinition GATHER_ANALYTICS = new QueueDefinition("housekeeping-gather_analytics", Duration.ofSeconds(120), 3);
    public static final QueueDefinition ADMINISTRATIVE_CHECKS = new QueueDefinition("housekeeping-administrative_checks",
            Duration.ofSeconds(120), 3);

    /**
     * Work on stored objects that AWX runs after answering the request (delete_inventory, a deep
     * copy's sub-objects, the job history of deleted objects): one message per object, sent by the
     * API straight to this queue (no fan-out: one consumer does each). It also hears the nightly
     * housekeeping, its fail-safe for messages that never arrived.
     */
    public static final QueueDefinition RESOURCE_TASKS = new QueueDefinition("resource-tasks", Duration.ofSeconds(120), 5);

    /** Nightly (and on demand) housekeeping fans out to every task's queue. */
    public static final TopicDefinition HOUSEKEEPING = new TopicDefinition("housekeeping", List.of(CLEANUP_JOBS, CLEANUP_TOKENS,
            GATHER_ANALYTICS, ADMINISTRATIVE_CHECKS, RESOURCE_TASKS));

    /** The system job a housekeeping queue launches, from the queue's logical name. */
    public static String housekeepingTask(QueueDefinition q) {
        return q.logicalName().substring("housekeeping-".length());
    }

    private Messaging() {
    }

    public static List<QueueDefinition> queues() {
        return List.of(WAKE, NOTIFICATIONS, CLEANUP_JOBS, CLEANUP_TOKENS, GATHER_ANALYTICS, ADMINISTRATIVE_CHECKS, INVENTORIES,
                RESOURCE_TASKS);
    }

    public static List<QueueDefinition> housekeepingQueues() {
        return List.of(CLEANUP_JOBS, CLEANUP_TOKENS, GATHER_ANALYTICS, ADMINISTRATIVE_CHECKS);
    }

    public static List<TopicDefinition> topics() {
        return List.of(LIFECYCLE, HOUSEKEEPING);
    }
}
