package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.towerless.core.background.ResourceTasks;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Consumes the resource-tasks queue: background deletes, deep copies, the nightly sweep. A task
 * that fails or finds its work held by another delivery is a batch item failure, retried after
 * the visibility timeout and then kept in the dead-letter queue, without holding back the rest.
 */
@Singleton
public class ResourceTaskConsumer {
    private static final Logger LOG = Logger.getLogger(ResourceTaskConsumer.class.getName());

    private final ResourceTasks tasks;

    public ResourceTaskConsumer(ResourceTasks tasks) {
        this.tasks = tasks;
    }

    /** Whether a message from this queue (its ARN) is a resource task. */
    public static boolean consumes(String queueArn) {
        return queueArn != null && queueArn.endsWith(dev.towerless.aws.definitions.Messaging.RESOURCE_TASKS.logicalName());
    }

    public SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            try {
                if (!tasks.run(m.getBody())) {
                    LOG.info(() -> "resource task " + m.getMessageId() + " is held by another delivery; retried later");
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "resource task " + m.getMessageId() + " failed; it will be retried", e);
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
