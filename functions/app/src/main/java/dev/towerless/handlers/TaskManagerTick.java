package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.towerless.core.scheduling.PassResult;
import jakarta.inject.Singleton;

/**
 * The fail-safe: an EventBridge rule runs a pass every minute, so pending work starts even if
 * every wake message were lost.
 */
@Singleton
public class TaskManagerTick {
    private final TaskManagerService taskManager;

    public TaskManagerTick(TaskManagerService taskManager) {
        this.taskManager = taskManager;
    }

    public PassResult handle(ScheduledEvent event) {
        return taskManager.schedule();
    }
}
