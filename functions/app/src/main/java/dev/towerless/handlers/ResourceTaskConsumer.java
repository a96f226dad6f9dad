package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.towerless.core.background.ResourceTask;
import dev.towerless.core.copying.DeepCopy;
import dev.towerless.core.deletion.Deletions;
import dev.towerless.core.resources.VariablesCodec;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Consumes the resource-tasks queue: background deletes, deep copies, the nightly sweep (which
 * also repairs the per-type counts lists show). A task
 * that fails or finds its work held by another delivery is a batch item failure, retried after
 * the visibility timeout and then kept in the dead-letter queue, without holding back the rest.
 */
@Singleton
public class ResourceTaskConsumer {
    private static final Logger LOG = Logger.getLogger(ResourceTaskConsumer.class.getName());

    private final Deletions deletions;
    private final DeepCopy copies;
    private final VariablesCodec codec;
    private final dev.towerless.core.housekeeping.ResourceCounts counts;

    public ResourceTaskConsumer(Deletions deletions, DeepCopy copies, VariablesCodec codec,
                                dev.towerless.core.housekeeping.ResourceCounts counts) {
        this.deletions = deletions;
        this.copies = copies;
        this.codec = codec;
        this.counts = counts;
    }

    /** Runs one message's task (each is idempotent); false if another delivery holds the work (retry later). */
    boolean run(String body) {
        ResourceTask task = ResourceTask.parse(body, codec);
        switch (task.kind()) {
            case DELETE_INVENTORY -> deletions.deleteInventory(task.from());
            case UNLINK_JOBS -> deletions.unlinkJobs(task.objects());
            case COPY -> {
                return copies.copySubObjects(task.type(), task.from(), task.to(), task.user());
            }
            case SWEEP -> {
                deletions.resumePendingDeletions();
                copies.resumePending();
                counts.repairAll(); // last: the counts after the deletions above
            }
        }
        return true;
    }

    /** Whether a message from this queue (its ARN) is a resource task. */
    public static boolean consumes(String queueArn) {
        return queueArn != null && queueArn.endsWith(dev.towerless.aws.definitions.Messaging.RESOURCE_TASKS.logicalName());
    }

    public SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            try {
                if (!run(m.getBody())) {
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
