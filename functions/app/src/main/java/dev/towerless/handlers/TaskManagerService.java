package dev.towerless.handlers;

import dev.towerless.core.launch.WakeMessage;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.core.ports.PassLog;
import dev.towerless.core.scheduling.PassResult;
import dev.towerless.core.scheduling.TaskManager;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a task-manager pass for any trigger and records it for the operator views. A pass whose
 * launches ECS turned away (throttled, no capacity) leaves those jobs pending; a delayed wake-up
 * tries them again after {@link #RETRY_DEFERRED_AFTER} instead of at the next one-minute tick,
 * which made the tail of a 500-job burst wait a minute (LaunchBurstBenchmark).
 */
@Singleton
public class TaskManagerService {
    public static final String NAME = "task-manager";
    /** Fargate refills RunTask's bucket at 20 calls a second and capacity returns in seconds; a pass is cheap. */
    public static final Duration RETRY_DEFERRED_AFTER = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(TaskManagerService.class.getName());

    private final TaskManager taskManager;
    private final PassLog passLog;
    private final Clock clock;
    private final Optional<MessageQueue> wake;

    @Inject
    public TaskManagerService(TaskManager taskManager, PassLog passLog, Clock clock, @Named("wake") MessageQueue wake) {
        this(taskManager, passLog, clock, Optional.of(wake));
    }

    /** Without a wake queue: deferred launches wait for the tick (tests of the pass alone). */
    public TaskManagerService(TaskManager taskManager, PassLog passLog, Clock clock) {
        this(taskManager, passLog, clock, Optional.empty());
    }

    private TaskManagerService(TaskManager taskManager, PassLog passLog, Clock clock, Optional<MessageQueue> wake) {
        this.taskManager = taskManager;
        this.passLog = passLog;
        this.clock = clock;
        this.wake = wake;
    }

    public PassResult schedule() {
        PassResult r = taskManager.schedule();
        if (!r.skipped()) {
            passLog.recordQuietly(NAME, clock.instant(), r.duration(), Map.of("considered", r.considered(),
                    "started", r.started(), "failed", r.failed(), "blocked", r.blocked(), "deferred", r.deferred()));
        }
        if (r.deferred() > 0 && wake.isPresent()) {
            try {
                wake.get().sendLater(WakeMessage.launchesDeferred(r.deferred()), RETRY_DEFERRED_AFTER);
            } catch (RuntimeException e) {
                // The tick still comes: the jobs wait a minute instead of seconds, nothing is lost.
                LOG.log(Level.WARNING, "could not schedule the retry of " + r.deferred() + " deferred launches", e);
            }
        }
        return r;
    }
}
