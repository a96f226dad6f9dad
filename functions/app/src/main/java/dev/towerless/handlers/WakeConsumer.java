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
 * dead-letter queue after its retries) without holding back the others. A pass that fails fails
 * the invocation: Lambda counts it in the function's Errors (the TaskManagerErrors alarm) and the
 * whole batch comes back after its visibility timeout. Reported as batch item failures instead,
 * every wake-up would be redelivered just the same, but the invocation would count as a success
 * and no alarm would ever see a task manager that cannot run.
 */
@Singleton
public class WakeConsumer {
    private static final Logger LOG = Logger.getLogger(WakeConsumer.class.getName());
    static final String PASS_FAILED = "task manager pass failed";

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
                LOG.log(Level.WARNING, PASS_FAILED + "; the batch will be redelivered", e);
                throw new IllegalStateException(PASS_FAILED + ": " + e.getMessage(), e);
            }
        }
        return new SQSBatchResponse(failures);
    }
}
