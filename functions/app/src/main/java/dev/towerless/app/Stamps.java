package dev.towerless.app;

import dev.towerless.core.jobs.Timestamps;
import java.time.Clock;
import java.util.Map;

/** created/modified stamps for resources. */
public final class Stamps {
    private Stamps() {
    }

    public static Map<String, Object> created(Clock clock) {
        String now = Timestamps.format(clock.instant());
        return Map.of("created", now, "modified", now);
    }

    public static Map<String, Object> modified(Clock clock) {
        return Map.of("modified", Timestamps.format(clock.instant()));
    }
}
