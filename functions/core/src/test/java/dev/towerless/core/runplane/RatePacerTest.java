package dev.towerless.core.runplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RatePacerTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final List<Long> grantedAt = new ArrayList<>();
    /** A sleeping caller's clock moves on by what it slept (callers here run one after another). */
    private final RatePacer pacer = new RatePacer(20, now::get, now::addAndGet);

    @Test
    void handsOutOnePermitPerIntervalAndNeverTwoInTheSameSecondBeyondTheRate() throws Exception {
        for (int i = 0; i < 100; i++) {
            pacer.acquire();
            grantedAt.add(now.get());
        }
        assertThat(grantedAt.get(99) - grantedAt.get(0)).as("100 permits at 20/s take 99 intervals").isEqualTo(99 * 50_000_000L);
        for (int i = 0; i + 20 < grantedAt.size(); i++) {
            assertThat(grantedAt.get(i + 20) - grantedAt.get(i)).as("21 permits span at least a second")
                    .isGreaterThanOrEqualTo(1_000_000_000L);
        }
    }

    @Test
    void anIdleSpellSavesNoBurst() throws Exception {
        pacer.acquire();
        now.addAndGet(10_000_000_000L);
        assertThat(pacer.acquire()).as("the first after a pause goes at once").isZero();
        assertThat(pacer.acquire().toMillis()).as("the next waits its interval").isEqualTo(50);
    }

    @Test
    void aRateMustBePositive() {
        assertThatThrownBy(() -> RatePacer.perSecond(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
