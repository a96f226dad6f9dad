package dev.towerless.core.scheduling;

import java.time.Duration;

/**
 * Limits of one pass. {@code startLimit} is AWX's START_TASK_LIMIT; {@code budget} keeps a pass
 * well inside its Lambda timeout so it commits its progress and lets the next pass continue.
 */
public record TaskManagerSettings(int startLimit, Duration budget, Duration leaseTtl) {
    public static TaskManagerSettings defaults() {
        return new TaskManagerSettings(100, Duration.ofSeconds(50), Duration.ofSeconds(90));
    }
}
