package dev.towerless.handlers;

import dev.towerless.core.ports.PassLog;
import dev.towerless.core.scheduling.PassResult;
import dev.towerless.core.scheduling.TaskManager;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs a task-manager pass for any trigger and records it for the operator views. */
@Singleton
public class TaskManagerService {
    public static final String NAME = "task-manager";
    private static final Logger LOG = Logger.getLogger(TaskManagerService.class.getName());

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
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("considered", r.considered());
            summary.put("started", r.started());
            summary.put("failed", r.failed());
            summary.put("blocked", r.blocked());
            try {
                passLog.record(NAME, clock.instant(), r.duration(), summary);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not record the pass", e);
            }
        }
        return r;
    }
}
