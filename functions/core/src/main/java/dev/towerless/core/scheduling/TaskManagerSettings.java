package dev.towerless.core.scheduling;

import java.time.Duration;

/**
 * Limits of one pass. {@code startLimit} is AWX's START_TASK_LIMIT; {@code budget} keeps a pass
 * well inside its Lambda timeout so it commits its progress and lets the next pass continue.
 */
public record TaskManagerSettings(int startLimit, Duration budget, Duration leaseTtl, int parallelism) {

    /** One store or launcher call at a time: deterministic order, for tests. */
    public TaskManagerSettings(int startLimit, Duration budget, Duration leaseTtl) {
        this(startLimit, budget, leaseTtl, 1);
    }

    /**
     * {@code parallelism} bounds the concurrent starts and dependency writes of a pass: ECS
     * RunTask takes 100–200 ms and allows 20 calls a second, so starting 100 jobs one after the
     * other would take longer than the pass has.
     */
    public static TaskManagerSettings defaults() {
        return new TaskManagerSettings(100, Duration.ofSeconds(50), Duration.ofSeconds(90), 8);
    }
}
