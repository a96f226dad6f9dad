package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.towerless.core.scheduling.PassResult;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Consumes the wake queue: any number of wake-ups in a batch cause one task-manager pass.
 * A message that is not a wake-up is reported as a batch item failure (so it lands in the
 * dead-letter queue after its retries) without holding back the others.
 */
@Singleton
public class WakeConsumer {
    private static final Logger LOG = Logger.getLogger(WakeConsumer.class.getName());

    private final TaskManagerService taskManager;

    public WakeConsumer(TaskManagerService taskManager) {
        this.taskManager = taskManager;
    }

    public SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<String> wakeIds = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            Optional<LifecycleMessage> message = LifecycleMessage.parse(m.getBody());
            if (message.isEmpty()) {
                LOG.warning(() -> "not a wake-up message, leaving it for the dead-letter queue: " + m.getMessageId());
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            } else if (!"job_started".equals(message.get().reason())) { // a job starting frees nothing
                wakeIds.add(m.getMessageId());
            }
        }
        if (!wakeIds.isEmpty()) {
            try {
                PassResult result = taskManager.schedule();
                LOG.fine(() -> "task manager pass: " + result);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "task manager pass failed; the wake-ups will be redelivered", e);
                wakeIds.forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
