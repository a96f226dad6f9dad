package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.towerless.core.scheduling.PassResult;
import dev.towerless.core.scheduling.TaskManager;
import jakarta.inject.Singleton;

/**
 * The fail-safe: an EventBridge rule runs a pass every minute, so pending work starts even if
 * every wake message were lost.
 */
@Singleton
public class TaskManagerTick {
    private final TaskManager taskManager;

    public TaskManagerTick(TaskManager taskManager) {
        this.taskManager = taskManager;
    }

    public PassResult handle(ScheduledEvent event) {
        return taskManager.schedule();
    }
}
