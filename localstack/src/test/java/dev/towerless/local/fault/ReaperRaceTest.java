package dev.towerless.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.dynamodb.DynamoHeartbeatStore;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.liveness.LivenessSettings;
import dev.towerless.core.liveness.Reaper;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.testing.RecordingTopic;
import dev.towerless.local.SharedEmulators;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A runner writing its final status at the very moment the reaper judges its job stale: one of
 * them wins, the other changes nothing, and the result never flips afterwards.
 */
class ReaperRaceTest {

    @Test
    void aRunnerFinishingWhileTheReaperJudgesItEndsExactlyOnce() throws Exception {
        String prefix = SharedEmulators.uniquePrefix();
        var dynamo = SharedEmulators.dynamoWithTables(prefix);
        JobStore jobs = new DynamoJobStore(dynamo, prefix);
        HeartbeatStore heartbeats = new DynamoHeartbeatStore(dynamo, prefix, Clock.systemUTC());
        RecordingTopic lifecycle = new RecordingTopic();
        Reaper reaper = new Reaper(jobs, heartbeats, lifecycle, Clock.systemUTC(),
                new LivenessSettings(Duration.ofMillis(100), 2, Duration.ofSeconds(60), Duration.ofSeconds(60)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int runnerWins = 0;
        int reaperWins = 0;
        for (int round = 1; round <= 20; round++) {
            long id = round;
            UnifiedJob running = staleRunningJob(jobs, heartbeats, id);
            CyclicBarrier barrier = new CyclicBarrier(2);
            Future<Optional<UnifiedJob>> runner = pool.submit(() -> {
                barrier.await();
                return jobs.updateIfStatus(id, JobStatus.RUNNING, JobTransitions.changesFor(running, JobStatus.SUCCESSFUL,
                        Instant.now(), Map.of(JobFields.RC, 0)));
            });
            Future<Reaper.ReapResult> reap = pool.submit(() -> {
                barrier.await();
                return reaper.reap();
            });
            boolean runnerWon = runner.get().isPresent();
            boolean reaperWon = reap.get().reaped() == 1;
            assertThat(runnerWon ^ reaperWon).as("round %d: exactly one final status", round).isTrue();
            UnifiedJob end = jobs.find(id).orElseThrow();
            assertThat(end.status()).isEqualTo(runnerWon ? JobStatus.SUCCESSFUL : JobStatus.FAILED);
            // Nothing flips it afterwards: not the reaper again, not a late runner.
            assertThat(reaper.reap().reaped()).isZero();
            assertThat(jobs.updateIfStatus(id, JobStatus.RUNNING, Map.of(JobFields.STATUS, "successful"))).isEmpty();
            assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(end.status());
            if (runnerWon) {
                runnerWins++;
            } else {
                reaperWins++;
            }
        }
        pool.shutdown();
        assertThat(runnerWins + reaperWins).isEqualTo(20);
        assertThat(lifecycle.published).hasSize(reaperWins);
    }

    private static UnifiedJob staleRunningJob(JobStore jobs, HeartbeatStore heartbeats, long id) {
        Instant past = Instant.now().minusSeconds(5);
        UnifiedJob j = UnifiedJob.newPending(id, JobKind.JOB, "j", LaunchType.MANUAL, past, Map.of());
        UnifiedJob waiting = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, past));
        UnifiedJob running = waiting.with(JobTransitions.changesFor(waiting, JobStatus.RUNNING, past,
                Map.of(JobFields.EXECUTION_NODE, "r")));
        jobs.insert(running);
        heartbeats.beat(id, "r", past);
        return running;
    }
}
