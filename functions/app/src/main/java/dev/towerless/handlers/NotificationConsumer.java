package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.notifications.NotificationService;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Consumes the notifications queue (job-lifecycle topic): "job started" sends the job's
 * {@code started} notifications, "job finished" its {@code success} or {@code error} ones. A
 * message that cannot be read, or whose handling fails, is a batch item failure: it is retried
 * and then kept in the dead-letter queue, without holding back the rest of the batch.
 */
@Singleton
public class NotificationConsumer {
    private static final Logger LOG = Logger.getLogger(NotificationConsumer.class.getName());

    private final NotificationService notifications;

    public NotificationConsumer(NotificationService notifications) {
        this.notifications = notifications;
    }

    public SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            try {
                Optional<LifecycleMessage> lifecycle = LifecycleMessage.parse(m.getBody()).filter(l -> l.jobId() != null);
                if (lifecycle.isEmpty()) {
                    LOG.warning(() -> "not a job lifecycle message, leaving it for the dead-letter queue: " + m.getMessageId());
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                    continue;
                }
                eventOf(lifecycle.get()).ifPresent(e -> notifications.notify(lifecycle.get().jobId(), e));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "notifications for message " + m.getMessageId() + " failed; it will be retried", e);
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** Which notifications a lifecycle message calls for, if any. */
    static Optional<NotificationService.Event> eventOf(LifecycleMessage m) {
        if ("job_started".equals(m.reason())) {
            return Optional.of(NotificationService.Event.STARTED);
        }
        if ("job_finished".equals(m.reason()) && m.status() != null) {
            return NotificationService.Event.forStatus(JobStatus.fromApiName(m.status()));
        }
        return Optional.empty(); // e.g. a job created, a cancel requested: nothing to announce
    }
}
