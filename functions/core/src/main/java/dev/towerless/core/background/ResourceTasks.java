package dev.towerless.core.background;

import dev.towerless.core.copying.DeepCopy;
import dev.towerless.core.deletion.Deletions;
import dev.towerless.core.resources.VariablesCodec;

/** Runs one resource-tasks message (each task is idempotent: a redelivery redoes nothing twice). */
public final class ResourceTasks {
    private final Deletions deletions;
    private final DeepCopy copies;
    private final VariablesCodec codec;

    public ResourceTasks(Deletions deletions, DeepCopy copies, VariablesCodec codec) {
        this.deletions = deletions;
        this.copies = copies;
        this.codec = codec;
    }

    /** Runs the message's task; false if it must be retried later (another delivery holds the work). */
    public boolean run(String body) {
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
            }
        }
        return true;
    }
}
