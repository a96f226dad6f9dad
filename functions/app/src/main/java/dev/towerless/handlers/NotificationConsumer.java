package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.notifications.NotificationService;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationService notifications;

    public NotificationConsumer(NotificationService notifications) {
        this.notifications = notifications;
    }

    public SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            try {
                Optional<Lifecycle> lifecycle = parse(m.getBody());
                if (lifecycle.isEmpty()) {
                    LOG.warning(() -> "not a job lifecycle message, leaving it for the dead-letter queue: " + m.getMessageId());
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                    continue;
                }
                lifecycle.get().event().ifPresent(e -> notifications.notify(lifecycle.get().jobId(), e));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "notifications for message " + m.getMessageId() + " failed; it will be retried", e);
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    record Lifecycle(String reason, long jobId, String status) {
        Optional<NotificationService.Event> event() {
            if ("job_started".equals(reason)) {
                return Optional.of(NotificationService.Event.STARTED);
            }
            if ("job_finished".equals(reason) && status != null) {
                return NotificationService.Event.forStatus(JobStatus.fromApiName(status));
            }
            return Optional.empty(); // e.g. a job created: nothing to announce
        }
    }

    /** A lifecycle message, raw or in an SNS envelope. */
    static Optional<Lifecycle> parse(String body) {
        try {
            Object parsed = JSON.readValue(body, Object.class);
            if (!(parsed instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            if ("Notification".equals(map.get("Type")) && map.get("Message") instanceof String inner) {
                return parse(inner);
            }
            if (!(map.get("reason") instanceof String reason) || !(map.get("job_id") instanceof Number id)) {
                return Optional.empty();
            }
            return Optional.of(new Lifecycle(reason, id.longValue(), map.get("status") instanceof String s ? s : null));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
