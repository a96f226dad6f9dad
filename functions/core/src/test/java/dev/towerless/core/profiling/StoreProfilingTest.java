package dev.towerless.core.profiling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.resources.ValidationException;
import dev.towerless.core.settings.StoreProfile;
import dev.towerless.core.settings.SystemSettings;
import dev.towerless.core.testing.FakeStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreProfilingTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    StoreProfilingTest() {
        Logger.getLogger(StoreProfiling.LOGGER).addHandler(capture);
    }

    @AfterEach
    void off() {
        Logger.getLogger(StoreProfiling.LOGGER).removeHandler(capture);
        StoreProfiling.readFrom(Optional::empty, Clock.systemUTC());
    }

    private static StoreProfiling.Call call(long ms) {
        return new StoreProfiling.Call("Query", "towerless-resources", "by_parent", 12, Duration.ofMillis(ms), false);
    }

    @Test
    void aSourceHandedBackIsReadAtTheNextCallNotAfterAnotherRefresh() {
        FakeStores.Resources first = new FakeStores.Resources();
        SystemSettings.change(first, Map.of(SystemSettings.PROFILE_STORE_CALLS, Map.of("threshold_ms", 0, "minutes", 1)), clock);
        StoreProfiling.readSettingsOf(first, clock);
        StoreProfiling.Source before = StoreProfiling.currentSource();
        StoreProfiling.readSettingsOf(new FakeStores.Resources(), clock); // a second stack takes the switch over
        StoreProfiling.finished(call(5));
        assertThat(lines).as("the second store has no profile").isEmpty();

        StoreProfiling.use(before); // the second stack closed
        StoreProfiling.finished(call(5));
        assertThat(lines).as("the first store's profile, at once").hasSize(1);
    }

    @Test
    void aChangeIsPickedUpWithinTheRefreshAndTheProfileEndsOnTime() {
        FakeStores.Resources store = new FakeStores.Resources();
        AtomicInteger reads = new AtomicInteger();
        StoreProfiling.readFrom(() -> {
            reads.incrementAndGet();
            return SystemSettings.load(store).storeProfile(clock.instant());
        }, clock);
        StoreProfiling.finished(call(50));
        assertThat(lines).isEmpty();

        SystemSettings.change(store, Map.of(SystemSettings.PROFILE_STORE_CALLS, Map.of("threshold_ms", 20, "minutes", 1)), clock);
        now.set(now.get().plus(StoreProfiling.REFRESH).minusMillis(1));
        StoreProfiling.finished(call(50));
        assertThat(lines).as("not yet re-read").isEmpty();
        now.set(now.get().plusMillis(1));
        StoreProfiling.finished(call(50));
        StoreProfiling.finished(call(19));
        assertThat(lines).containsExactly(
                "store call Query table=towerless-resources index=by_parent items_read=12 duration_ms=50.0 (profile threshold 20 ms)");
        assertThat(reads).as("one read per refresh period").hasValue(2);

        now.set(Instant.parse("2026-12-01T10:01:00Z")); // the PATCH was at 10:00:00 for one minute
        StoreProfiling.finished(call(500));
        assertThat(lines).hasSize(1);
    }

    @Test
    void aProfileIsStoredWithItsEndAndBadOnesAreRefused() {
        FakeStores.Resources store = new FakeStores.Resources();
        Map<String, Object> out = SystemSettings.change(store, Map.of(SystemSettings.PROFILE_STORE_CALLS,
                Map.of("threshold_ms", 0, "minutes", 0.5)), clock);
        assertThat(out.get(SystemSettings.PROFILE_STORE_CALLS)).isEqualTo(Map.of("threshold_ms", 0L, "minutes", 0.5,
                "until", "2026-12-01T10:00:30.000000Z"));
        assertThat(SystemSettings.load(store).storeProfile(now.get())).contains(new StoreProfile(0, Instant.parse("2026-12-01T10:00:30Z")));
        SystemSettings.change(store, Map.of(SystemSettings.PROFILE_STORE_CALLS, Map.of()), clock);
        assertThat(SystemSettings.load(store).storeProfile(now.get())).isEmpty();
        for (Object bad : List.<Object>of("yes", Map.of("threshold_ms", 1.5), Map.of("threshold_ms", 1, "minutes", 2000),
                Map.of("minutes", 1))) {
            Assertions.assertThatThrownBy(() -> SystemSettings.change(store, Map.of(SystemSettings.PROFILE_STORE_CALLS, bad), clock))
                    .isInstanceOf(ValidationException.class);
        }
    }
}
