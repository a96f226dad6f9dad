package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.towerless.core.liveness.Reaper;
import dev.towerless.core.ports.PassLog;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;

/** EventBridge schedule → one reaper pass over the active jobs. */
@Singleton
public class ReaperTick {
    public static final String NAME = "reaper";
    private final Reaper reaper;
    private final PassLog passLog;
    private final Clock clock;

    public ReaperTick(Reaper reaper, PassLog passLog, Clock clock) {
        this.reaper = reaper;
        this.passLog = passLog;
        this.clock = clock;
    }

    public Reaper.ReapResult handle(ScheduledEvent event) {
        return passLog.timed(NAME, clock, reaper::reap, r -> Map.of("examined", r.examined(), "reaped", r.reaped()));
    }
}
