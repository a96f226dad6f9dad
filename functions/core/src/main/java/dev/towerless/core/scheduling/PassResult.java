package dev.towerless.core.scheduling;

import java.time.Duration;

/**
 * What one task-manager pass did. {@code skipped} means another invocation held the lease and
 * was asked to run again instead; {@code deferred} counts the jobs left pending because ECS
 * turned a launch away (throttled, no capacity), for a later pass; {@code moreRemaining} means
 * the start limit or deadline cut the pass short and another should follow at once.
 */
public record PassResult(boolean skipped, int considered, int started, int failed, int blocked, int deferred,
                         boolean moreRemaining, Duration duration, Phases phases) {

    /**
     * Where the pass spent its time, as AWX's task-manager metrics: reading the active jobs and
     * what they refer to (and the dependency manager's writes), deciding in memory, starting.
     */
    public record Phases(Duration load, Duration decide, Duration start) {
        public static final Phases NONE = new Phases(Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public static PassResult skippedPass() {
        return new PassResult(true, 0, 0, 0, 0, 0, false, Duration.ZERO, Phases.NONE);
    }
}
