package dev.towerless.core.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.testing.FakeStores;
import dev.towerless.core.testing.MutableClock;
import dev.towerless.core.testing.RecordingTopic;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReaperTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final FakeStores.Heartbeats heartbeats = new FakeStores.Heartbeats();
    private final RecordingTopic lifecycle = new RecordingTopic();
    private final LivenessSettings settings = new LivenessSettings(Duration.ofSeconds(5), 2, Duration.ofSeconds(360),
            Duration.ofSeconds(30));
    private final Reaper reaper = new Reaper(jobs, heartbeats, lifecycle, clock, settings);

    @Test
    void aRunningJobIsReapedOnlyAfterTwoMissedHeartbeats() {
        long id = running("runner-7");
        clock.advance(Duration.ofSeconds(10));
        assertThat(reaper.reap().reaped()).as("exactly at the grace edge").isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(reaper.reap().reaped()).isEqualTo(1);
        UnifiedJob j = jobs.find(id).orElseThrow();
        assertThat(j.status()).isEqualTo(JobStatus.FAILED);
        assertThat(j.jobExplanation()).contains("runner-7").contains("no heartbeat for 10 s");
        assertThat(lifecycle.published).singleElement().asString().contains("\"job_id\":" + id);
    }

    @Test
    void eachHeartbeatPushesTheDeadlineBack() {
        long id = running("r");
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(5));
            heartbeats.beat(id, "r", clock.instant());
            assertThat(reaper.reap().reaped()).isZero();
        }
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aHeartbeatLandingBetweenTheReapersReadAndItsWriteKeepsTheJobAlive() {
        long id = running("slow-but-alive");
        clock.advance(Duration.ofSeconds(11));
        // the runner's heartbeat arrives after the pass read the heartbeats, before it writes
        HeartbeatStore racing = (HeartbeatStore) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {HeartbeatStore.class}, (proxy, method, args) -> {
                    Object result = method.invoke(heartbeats, args);
                    if (method.getName().equals("lastBeats")) {
                        heartbeats.beat(id, "slow-but-alive", clock.instant());
                    }
                    return result;
                });
        assertThat(new Reaper(jobs, racing, lifecycle, clock, settings).reap().reaped()).isZero();
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(lifecycle.published).isEmpty();
    }

    @Test
    void aWaitingJobNoRunnerClaimsFailsAfterTheWaitingGrace() {
        long id = waiting();
        clock.advance(Duration.ofSeconds(360));
        assertThat(reaper.reap().reaped()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reaper.reap().reaped()).isEqualTo(1);
        assertThat(jobs.find(id).orElseThrow().jobExplanation()).startsWith("Job reaped: no runner claimed it within 361 s");
    }

    @Test
    void pendingJobsAreNeverReaped() {
        jobs.insert(UnifiedJob.newPending(1, JobKind.JOB, "j", LaunchType.MANUAL, clock.instant(), Map.of()));
        clock.advance(Duration.ofDays(3));
        assertThat(reaper.reap().reaped()).isZero();
    }

    @Test
    void aStoppedTaskFailsItsJobWithEcssReasonAndADuplicateEventChangesNothing() {
        long id = running("r");
        assertThat(reaper.taskStopped(id, "arn:task/1", "Essential container in task exited", 137)).isTrue();
        UnifiedJob j = jobs.find(id).orElseThrow();
        assertThat(j.status()).isEqualTo(JobStatus.FAILED);
        assertThat(j.jobExplanation()).isEqualTo("Job reaped: its runner task arn:task/1 stopped without reporting a final "
                + "status (Essential container in task exited), exit code 137.");
        assertThat(reaper.taskStopped(id, "arn:task/1", "again", 137)).isFalse();
        assertThat(jobs.find(id).orElseThrow().jobExplanation()).isEqualTo(j.jobExplanation());
    }

    @Test
    void aJobTheRunnerFinishedIsNeverReaped() {
        long id = running("r");
        UnifiedJob j = jobs.find(id).orElseThrow();
        jobs.updateIfStatus(id, JobStatus.RUNNING, JobTransitions.changesFor(j, JobStatus.SUCCESSFUL, clock.instant()));
        clock.advance(Duration.ofMinutes(5));
        assertThat(reaper.taskStopped(id, "t", "Essential container in task exited", 0)).isFalse();
        assertThat(reaper.reap().reaped()).isZero();
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCESSFUL);
    }

    @Test
    void anUnacknowledgedCancelIsFinishedByTheReaper() {
        long id = running("r");
        jobs.updateIfStatus(id, JobStatus.RUNNING, Map.of(JobFields.CANCEL_FLAG, true,
                JobFields.CANCELED_ON, Timestamps.format(clock.instant())));
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofSeconds(5));
            // the runner is alive (heartbeats) but never acts on the flag
            heartbeats.beat(id, "r", clock.instant());
            assertThat(reaper.reap().reaped()).isZero();
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(reaper.reap().reaped()).isEqualTo(1);
        UnifiedJob j = jobs.find(id).orElseThrow();
        assertThat(j.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(j.jobExplanation()).contains("no runner acknowledged the cancel within 31 s");
    }

    @Test
    void aCanceledJobWhoseRunnerIsLostEndsCanceledNotFailed() {
        long id = running("r");
        jobs.updateIfStatus(id, JobStatus.RUNNING, Map.of(JobFields.CANCEL_FLAG, true,
                JobFields.CANCELED_ON, Timestamps.format(clock.instant())));
        clock.advance(Duration.ofSeconds(11));
        assertThat(reaper.reap().reaped()).isEqualTo(1);
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.CANCELED);
    }

    private long waiting() {
        UnifiedJob j = UnifiedJob.newPending(1, JobKind.JOB, "j", LaunchType.MANUAL, clock.instant(), Map.of());
        jobs.insert(j);
        jobs.updateIfStatus(1, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.WAITING, clock.instant()));
        return 1;
    }

    @Test
    void aSilentRunnerIsStoppedOnceItsJobIsReapedAndALiveOneIsNot() {
        java.util.List<String> stopped = new java.util.ArrayList<>();
        Reaper stopping = new Reaper(jobs, heartbeats, lifecycle, clock, settings, new dev.towerless.core.ports.RunnerStarter() {
            @Override
            public String start(long jobId, JobKind kind, java.util.Optional<String> runKey) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void stop(String task, String reason) {
                stopped.add(task + ": " + reason);
            }
        });
        long id = running("runner-9");
        jobs.updateIfStatus(id, JobStatus.RUNNING, Map.of(JobFields.RUNNER_TASK, "arn:aws:ecs:task/t-9"));
        clock.advance(Duration.ofSeconds(5));
        assertThat(stopping.reap().reaped()).isZero();
        assertThat(stopped).as("a runner within its grace is left alone").isEmpty();
        clock.advance(Duration.ofSeconds(6));
        assertThat(stopping.reap().reaped()).isEqualTo(1);
        assertThat(stopped).singleElement().asString().startsWith("arn:aws:ecs:task/t-9: Job reaped:");
        assertThat(stopping.reap().reaped()).isZero();
        assertThat(stopped).as("once").hasSize(1);
    }

    private long running(String runner) {
        long id = waiting();
        UnifiedJob w = jobs.find(id).orElseThrow();
        jobs.updateIfStatus(id, JobStatus.WAITING, JobTransitions.changesFor(w, JobStatus.RUNNING, clock.instant(),
                Map.of(JobFields.EXECUTION_NODE, runner)));
        return id;
    }

    @Test
    void aReapedRunnerCannotHeartbeatItsJobBackToLife() {
        long id = running("runner-7");
        heartbeats.beat(id, "runner-7", clock.instant());
        clock.advance(Duration.ofSeconds(11));
        assertThat(reaper.reap().reaped()).isEqualTo(1);
        assertThat(heartbeats.beat(id, "runner-7", clock.instant())).as("the runner is told to stop").isFalse();
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aPassThatDiedBetweenSilencingAndEndingTheJobIsFinishedByTheNext() {
        long id = running("runner-7");
        Instant beat = clock.instant();
        heartbeats.beat(id, "runner-7", beat);
        clock.advance(Duration.ofSeconds(11));
        assertThat(heartbeats.silence(id, Optional.of(beat))).as("the dead pass's first write").isTrue();
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);

        assertThat(reaper.reap().reaped()).isEqualTo(1);
        UnifiedJob j = jobs.find(id).orElseThrow();
        assertThat(j.status()).isEqualTo(JobStatus.FAILED);
        assertThat(j.jobExplanation()).contains("runner-7").contains("no heartbeat for 11 s");
        assertThat(lifecycle.published).singleElement().asString().contains("\"job_id\":" + id);
    }

    @Test
    void aRunnerOfThePreviousVersionWritingItsHeartbeatOnTheJobIsJudgedByIt() {
        long id = running("old-runner");
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(5));
            jobs.updateIfStatus(id, JobStatus.RUNNING, Map.of(JobFields.LAST_HEARTBEAT, Timestamps.format(clock.instant())));
            assertThat(reaper.reap().reaped()).isZero();
        }
        clock.advance(Duration.ofSeconds(11));
        assertThat(reaper.reap().reaped()).isEqualTo(1);
        assertThat(jobs.find(id).orElseThrow().jobExplanation()).contains("no heartbeat for 11 s");
    }
}
