package dev.towerless.core.ports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Remembers the last pass of each periodic manager, for the operator views (ping, status). */
public interface PassLog {

    void record(String manager, Instant finishedAt, Duration took, Map<String, Object> summary);

    /** {@code finished_at}, {@code duration_ms} and the summary of the last pass, if any. */
    Optional<Map<String, Object>> last(String manager);

    /**
     * Runs a pass, times it and records it. A failure to record is logged, not raised: the pass
     * itself happened, and a caller that retried it would only do its work again.
     */
    default <T> T timed(String manager, Clock clock, Supplier<T> pass, Function<T, Map<String, Object>> summary) {
        long t0 = System.nanoTime();
        T result = pass.get();
        recordQuietly(manager, clock.instant(), Duration.ofNanos(System.nanoTime() - t0), summary.apply(result));
        return result;
    }

    /** {@link #record}, logging instead of raising a failure: the pass being recorded happened anyway. */
    default void recordQuietly(String manager, Instant finishedAt, Duration took, Map<String, Object> summary) {
        try {
            record(manager, finishedAt, took, summary);
        } catch (RuntimeException e) {
            Logger.getLogger(PassLog.class.getName()).log(Level.WARNING, "could not record the " + manager + " pass", e);
        }
    }
}
