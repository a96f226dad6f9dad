package dev.towerless.core.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.ports.LeaseStore;
import dev.towerless.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link LeaseStore} backend must do. */
public abstract class LeaseStoreContract {
    protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private static final Duration TTL = Duration.ofSeconds(60);

    protected abstract LeaseStore store();

    @Test
    void onlyOneHolderAtATimeUntilRelease() {
        LeaseStore s = store();
        assertThat(s.tryAcquire("tm", "a", TTL)).isTrue();
        assertThat(s.tryAcquire("tm", "b", TTL)).isFalse();
        assertThat(s.tryAcquire("tm", "a", TTL)).as("re-entrant for its holder").isTrue();
        assertThat(s.releaseUnlessRerunRequested("tm", "a")).isTrue();
        assertThat(s.tryAcquire("tm", "b", TTL)).isTrue();
    }

    @Test
    void anExpiredLeaseCanBeTaken() {
        LeaseStore s = store();
        assertThat(s.tryAcquire("tm", "crashed", TTL)).isTrue();
        clock.advance(TTL.plusSeconds(1));
        assertThat(s.tryAcquire("tm", "b", TTL)).isTrue();
        assertThat(s.releaseUnlessRerunRequested("tm", "crashed")).as("the old holder lost it").isTrue();
        assertThat(s.tryAcquire("tm", "c", TTL)).isFalse();
    }

    @Test
    void aRerunRequestKeepsTheHolderRunningOnce() {
        LeaseStore s = store();
        assertThat(s.requestRerun("tm")).as("nobody holds it").isFalse();
        assertThat(s.tryAcquire("tm", "a", TTL)).isTrue();
        assertThat(s.requestRerun("tm")).isTrue();
        assertThat(s.releaseUnlessRerunRequested("tm", "a")).isFalse();
        assertThat(s.tryAcquire("tm", "b", TTL)).as("still held after the rerun request").isFalse();
        assertThat(s.releaseUnlessRerunRequested("tm", "a")).isTrue();
        assertThat(s.tryAcquire("tm", "b", TTL)).isTrue();
    }

    @Test
    void releaseGivesUpOnlyOwnLeases() {
        LeaseStore s = store();
        s.tryAcquire("tm", "a", TTL);
        s.release("tm", "b");
        assertThat(s.tryAcquire("tm", "b", TTL)).isFalse();
        s.release("tm", "a");
        assertThat(s.tryAcquire("tm", "b", TTL)).isTrue();
    }
}
