package dev.towerless.core.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.HeartbeatStore.Beat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What every {@link HeartbeatStore} backend must do. */
public abstract class HeartbeatStoreContract {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    protected abstract HeartbeatStore store();

    @Test
    void theLastBeatOfEachJobIsReadBackAndAJobThatNeverBeatIsLeftOut() {
        HeartbeatStore s = store();
        assertThat(s.beat(1, "runner-a", T)).isTrue();
        assertThat(s.beat(1, "runner-a", T.plusSeconds(5))).isTrue();
        assertThat(s.beat(2, "runner-b", T.plusSeconds(1))).isTrue();
        assertThat(s.lastBeats(List.of(1L, 2L, 3L))).containsOnlyKeys(1L, 2L)
                .containsEntry(1L, new Beat(T.plusSeconds(5), "runner-a", false))
                .containsEntry(2L, new Beat(T.plusSeconds(1), "runner-b", false));
        assertThat(s.lastBeats(List.of())).isEmpty();
    }

    @Test
    void manyJobsAreReadInOneCallWhateverTheBackendsBatchLimit() {
        HeartbeatStore s = store();
        List<Long> ids = new ArrayList<>();
        LongStream.rangeClosed(1, 230).forEach(id -> {
            s.beat(id, "runner-" + id, T.plusMillis(id));
            ids.add(id);
        });
        ids.add(5L); // asked twice: answered once
        var beats = s.lastBeats(ids);
        assertThat(beats).hasSize(230);
        assertThat(beats.get(230L)).isEqualTo(new Beat(T.plusMillis(230), "runner-230", false));
    }

    @Test
    void aSilenceHoldsOnlyForTheBeatItWasDecidedOn() {
        HeartbeatStore s = store();
        s.beat(1, "runner-a", T);
        s.beat(1, "runner-a", T.plusSeconds(5));
        assertThat(s.silence(1, Optional.of(T))).as("a heartbeat came after the one judged").isFalse();
        assertThat(s.beat(1, "runner-a", T.plusSeconds(10))).as("the runner was not silenced").isTrue();
        assertThat(s.silence(1, Optional.of(T.plusSeconds(10)))).isTrue();
        assertThat(s.silence(1, Optional.of(T.plusSeconds(10)))).as("a redelivered verdict is finished, not refused").isTrue();
        assertThat(s.beat(1, "runner-a", T.plusSeconds(15))).as("a silenced runner learns it must stop").isFalse();
        assertThat(s.lastBeats(List.of(1L)).get(1L)).as("the refused beat changed nothing")
                .isEqualTo(new Beat(T.plusSeconds(10), "runner-a", true));
    }

    @Test
    void aJobWhoseRunnerNeverBeatCanBeSilencedUntilItsFirstBeat() {
        HeartbeatStore s = store();
        assertThat(s.silence(7, Optional.empty())).isTrue();
        assertThat(s.beat(7, "late-runner", T)).isFalse();
        assertThat(s.lastBeats(List.of(7L))).as("a silence alone is no heartbeat").isEmpty();

        s.beat(8, "runner", T);
        assertThat(s.silence(8, Optional.empty())).as("a verdict of 'never beat' no longer holds").isFalse();
        assertThat(s.beat(8, "runner", T.plusSeconds(5))).isTrue();
    }
}
