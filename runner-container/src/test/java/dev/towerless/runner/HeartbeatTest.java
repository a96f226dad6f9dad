package dev.towerless.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.testing.FakeStores;
import dev.towerless.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What one heartbeat writes, and what the runner learns from it. */
class HeartbeatTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final FakeStores.Heartbeats heartbeats = new FakeStores.Heartbeats();
    private final ProcessControl control = new ProcessControl(Duration.ofSeconds(1));

    private long running() {
        jobs.insert(UnifiedJob.newPending(3, JobKind.JOB, "run", LaunchType.MANUAL, clock.instant(), Map.of()));
        jobs.updateIfStatus(3, JobStatus.PENDING, Map.of(JobFields.STATUS, JobStatus.RUNNING.apiName()));
        return 3;
    }

    private Heartbeat heartbeat(long id) {
        return new Heartbeat(jobs, heartbeats, id, "runner-9", Duration.ofHours(1), clock, control); // beats only when told
    }

    @Test
    void aBeatWritesTheHeartbeatItemAndLeavesTheJobAlone() {
        long id = running();
        UnifiedJob before = jobs.find(id).orElseThrow();
        try (Heartbeat h = heartbeat(id)) {
            clock.advance(Duration.ofSeconds(5));
            h.beat();
        }
        assertThat(heartbeats.lastBeats(List.of(id)).get(id).at()).isEqualTo(clock.instant());
        assertThat(heartbeats.lastBeats(List.of(id)).get(id).runner()).isEqualTo("runner-9");
        assertThat(jobs.find(id).orElseThrow().fields()).as("the job item is not rewritten").isEqualTo(before.fields());
        assertThat(control.requested()).isFalse();
    }

    @Test
    void aRefusedBeatMeansTheReaperEndedTheJobAndTheRunStops() {
        long id = running();
        try (Heartbeat h = heartbeat(id)) {
            h.beat();
            heartbeats.silence(id, Optional.of(clock.instant()));
            clock.advance(Duration.ofSeconds(5));
            h.beat();
        }
        assertThat(control.requested()).isTrue();
    }

    @Test
    void aCancelOrAJobEndedByOthersIsLearnedAtTheNextBeat() {
        long id = running();
        try (Heartbeat h = heartbeat(id)) {
            h.beat();
            assertThat(control.requested()).isFalse();
            jobs.updateIfActive(id, Map.of(JobFields.CANCEL_FLAG, true));
            h.beat();
        }
        assertThat(control.requested()).as("canceled").isTrue();

        ProcessControl other = new ProcessControl(Duration.ofSeconds(1));
        jobs.insert(UnifiedJob.newPending(4, JobKind.JOB, "run", LaunchType.MANUAL, clock.instant(), Map.of()));
        jobs.updateIfStatus(4, JobStatus.PENDING, Map.of(JobFields.STATUS, JobStatus.FAILED.apiName()));
        try (Heartbeat h = new Heartbeat(jobs, heartbeats, 4, "runner-9", Duration.ofHours(1), clock, other)) {
            h.beat();
        }
        assertThat(other.requested()).as("a job no longer running").isTrue();
    }
}
