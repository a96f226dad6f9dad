package dev.towerless.core.runplane;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket that hands out at most {@code perSecond} permits a second, with no burst: a
 * permit is granted no sooner than {@code 1/perSecond} after the previous one; callers sleep until then.
 * The launcher's starts of one pass (up to {@code parallelism} at a time) share one, so together
 * they stay below the account's RunTask rate (Fargate: 20 calls a second, per account and Region)
 * instead of being throttled by it. No burst on purpose: ECS's own bucket (burst 100) is shared
 * with every other caller in the account, so ours never counts on it being full.
 */
public final class RatePacer {
    /** Sleeps the calling thread; a test's clock may advance instead. */
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long nextFree;
    private boolean first = true;

    public RatePacer(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("a rate must be positive: " + perSecond);
        }
        this.intervalNanos = Math.max(1, Math.round(1_000_000_000L / perSecond));
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    public static RatePacer perSecond(double perSecond) {
        return new RatePacer(perSecond, System::nanoTime, nanos -> {
            if (nanos > 0) {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        });
    }

    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /**
     * Waits until at least one interval has passed since the last permit, then takes one; returns
     * how long it waited. The time is read when the permit is granted, not when a slot was booked,
     * so a thread that wakes late (a loaded machine) cannot bunch up with the next one.
     */
    public Duration acquire() throws InterruptedException {
        long start = nanoTime.getAsLong();
        while (true) {
            long wait;
            synchronized (this) {
                long now = nanoTime.getAsLong();
                if (first || now - nextFree >= 0) {
                    // A slot left unused in the past is not saved up: that would be a burst.
                    first = false;
                    nextFree = now + intervalNanos;
                    return Duration.ofNanos(now - start);
                }
                wait = nextFree - now;
            }
            sleeper.sleepNanos(wait);
        }
    }
}
