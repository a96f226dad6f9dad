package dev.towerless.core.profiling;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.settings.StoreProfile;
import dev.towerless.core.settings.SystemSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The process-wide switch of store-call profiling (AWX's profile_sql, fanned out). The store
 * adapters time every call and hand it to {@link #finished}; this decides whether it is logged.
 * <p>
 * Fan-out is by the settings item, not by a message: an SNS message reaches one Lambda execution
 * environment (or one queue), never every warm one, and a runner has no subscription. So each
 * process re-reads {@link SystemSettings#PROFILE_STORE_CALLS} on the first call that ends more
 * than {@link #REFRESH} after its last read: a change reaches every function and runner within
 * {@code REFRESH} of their next store call, at one GetItem per process per {@code REFRESH}. The
 * end needs no read: {@code until} is checked on every call.
 */
public final class StoreProfiling {
    public static final Duration REFRESH = Duration.ofSeconds(10);
    /** The logger of profiled calls; its lines start with {@link #PREFIX}. */
    public static final String LOGGER = "dev.towerless.profile";
    public static final String PREFIX = "store call";
    private static final Logger LOG = Logger.getLogger(LOGGER);

    private static volatile Supplier<Optional<StoreProfile>> source = Optional::empty;
    private static volatile Clock clock = Clock.systemUTC();
    private static volatile StoreProfile current;
    private static volatile Instant checked = Instant.MIN;
    private static final AtomicBoolean REFRESHING = new AtomicBoolean();

    private StoreProfiling() {
    }

    /** One store call as the adapter saw it. {@code index} and {@code table} may be empty. */
    public record Call(String operation, String table, String index, long itemsRead, Duration duration, boolean failed) {
        String line(long thresholdMs) {
            return String.format("%s %s table=%s index=%s items_read=%d duration_ms=%.1f%s (profile threshold %d ms)", PREFIX,
                    operation, table.isEmpty() ? "-" : table, index.isEmpty() ? "-" : index, itemsRead,
                    duration.toNanos() / 1e6, failed ? " failed" : "", thresholdMs);
        }
    }

    /** Where a process reads its profile from, as {@link #currentSource} hands it out. */
    public record Source(Supplier<Optional<StoreProfile>> settings, Clock clock) {
    }

    /**
     * The source in use, to give back with {@link #use} later: the switch is one per process, and
     * a process that runs a second stack for a while (an embedded stack in a test JVM) hands it
     * back to the first when the second closes.
     */
    public static Source currentSource() {
        return new Source(source, clock);
    }

    public static void use(Source s) {
        readFrom(s.settings(), s.clock());
    }

    /** Where this process reads the profile from: the settings item of {@code store}. */
    public static void readSettingsOf(ResourceStore store, Clock c) {
        readFrom(() -> SystemSettings.load(store).storeProfile(c.instant()), c);
    }

    /** Also for tests: any source, read again after {@link #REFRESH}. */
    public static void readFrom(Supplier<Optional<StoreProfile>> s, Clock c) {
        clock = c;
        source = s;
        checked = Instant.MIN;
    }

    /** Logs {@code call} if a profile is on and the call reached its threshold; re-reads the profile when due. */
    public static void finished(Call call) {
        Instant now = clock.instant();
        if (!now.isBefore(checked.plus(REFRESH)) && REFRESHING.compareAndSet(false, true)) {
            try {
                checked = now; // before the read: the read is a store call too, and must not read again
                current = source.get().orElse(null);
            } catch (RuntimeException e) {
                LOG.fine(() -> "store profile not read: " + e);
            } finally {
                REFRESHING.set(false);
            }
        }
        StoreProfile p = current;
        if (p != null && p.activeAt(now) && call.duration().toMillis() >= p.thresholdMs()) {
            LOG.info(call.line(p.thresholdMs()));
        }
    }

    /** Whether a profile is in force now (as last read). */
    public static boolean active() {
        StoreProfile p = current;
        return p != null && p.activeAt(clock.instant());
    }
}
