package dev.towerless.handlers;

import dev.towerless.core.ports.PassLog;
import dev.towerless.core.scheduling.PassResult;
import dev.towerless.core.scheduling.TaskManager;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;

/** Runs a task-manager pass for any trigger and records it for the operator views. */
@Singleton
public class TaskManagerService {
    public static final String NAME = "task-manager";

    private final TaskManager taskManager;
    private final PassLog passLog;
    private final Clock clock;

    public TaskManagerService(TaskManager taskManager, PassLog passLog, Clock clock) {
        this.taskManager = taskManager;
        this.passLog = passLog;
        this.clock = clock;
    }

    public PassResult schedule() {
        PassResult r = taskManager.schedule();
        if (!r.skipped()) {
            passLog.recordQuietly(NAME, clock.instant(), r.duration(), Map.of("considered", r.considered(),
                    "started", r.started(), "failed", r.failed(), "blocked", r.blocked(), "deferred", r.deferred()));
        }
        return r;
    }
}
