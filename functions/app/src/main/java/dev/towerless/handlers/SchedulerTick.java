package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.towerless.core.ports.PassLog;
import dev.towerless.core.schedules.Scheduler;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;

/** EventBridge schedule → one scheduler pass: launch the users' schedules that are due. */
@Singleton
public class SchedulerTick {
    public static final String NAME = "scheduler";
    private final Scheduler scheduler;
    private final PassLog passLog;
    private final Clock clock;

    public SchedulerTick(Scheduler scheduler, PassLog passLog, Clock clock) {
        this.scheduler = scheduler;
        this.passLog = passLog;
        this.clock = clock;
    }

    public Scheduler.Result handle(ScheduledEvent event) {
        return passLog.timed(NAME, clock, scheduler::runPass,
                r -> Map.of("launched", r.launched(), "skipped", r.skipped(), "recovered", r.recovered()));
    }
}
