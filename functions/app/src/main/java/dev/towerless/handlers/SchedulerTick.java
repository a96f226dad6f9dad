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
        long t0 = System.nanoTime();
        Scheduler.Result r = scheduler.runPass();
        passLog.record(NAME, clock.instant(), java.time.Duration.ofNanos(System.nanoTime() - t0),
                Map.of("launched", r.launched(), "skipped", r.skipped(), "recovered", r.recovered()));
        return r;
    }
}
