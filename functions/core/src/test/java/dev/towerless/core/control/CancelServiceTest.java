package dev.towerless.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.testing.FakeStores;
import dev.towerless.core.testing.MutableClock;
import dev.towerless.core.testing.RecordingTopic;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CancelServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final RecordingTopic lifecycle = new RecordingTopic();
    private final CancelService cancels = new CancelService(jobs, lifecycle, clock);

    @Test
    void aPendingJobIsCanceledAtOnce() {
        long id = job(JobStatus.PENDING);
        assertThat(cancels.cancel(id)).isEqualTo(CancelService.Result.CANCELED);
        UnifiedJob j = jobs.find(id).orElseThrow();
        assertThat(j.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(j.failed()).isTrue();
        assertThat(j.cancelFlag()).isTrue();
        assertThat(j.get(JobFields.CANCELED_ON)).isEqualTo("2026-11-28T10:00:00.000000Z");
        assertThat(lifecycle.published).hasSize(1);
    }

    @Test
    void aWaitingJobIsCanceledAtOnceSoItsRunnerCannotClaimIt() {
        long id = job(JobStatus.WAITING);
        assertThat(cancels.cancel(id)).isEqualTo(CancelService.Result.CANCELED);
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void aRunningJobOnlyGetsTheFlagForItsRunner() {
        long id = job(JobStatus.RUNNING);
        assertThat(cancels.cancel(id)).isEqualTo(CancelService.Result.REQUESTED);
        UnifiedJob j = jobs.find(id).orElseThrow();
        assertThat(j.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(j.cancelFlag()).isTrue();
        assertThat(lifecycle.published).isEmpty();
        assertThat(cancels.cancel(id)).as("asking twice is harmless").isEqualTo(CancelService.Result.REQUESTED);
        assertThat(jobs.find(id).orElseThrow().get(JobFields.CANCELED_ON)).isEqualTo(j.get(JobFields.CANCELED_ON));
    }

    @Test
    void finishedOrUnknownJobsCannotBeCanceled() {
        long id = job(JobStatus.RUNNING);
        UnifiedJob j = jobs.find(id).orElseThrow();
        jobs.updateIfStatus(id, JobStatus.RUNNING, JobTransitions.changesFor(j, JobStatus.SUCCESSFUL, clock.instant()));
        assertThat(cancels.cancel(id)).isEqualTo(CancelService.Result.NOT_CANCELABLE);
        assertThat(cancels.cancel(404)).isEqualTo(CancelService.Result.NOT_CANCELABLE);
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCESSFUL);
    }

    private long job(JobStatus status) {
        UnifiedJob j = UnifiedJob.newPending(1, JobKind.JOB, "j", LaunchType.MANUAL, clock.instant(), Map.of());
        jobs.insert(j);
        if (status == JobStatus.PENDING) {
            return 1;
        }
        jobs.updateIfStatus(1, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.WAITING, clock.instant()));
        if (status == JobStatus.RUNNING) {
            UnifiedJob w = jobs.find(1).orElseThrow();
            jobs.updateIfStatus(1, JobStatus.WAITING, JobTransitions.changesFor(w, JobStatus.RUNNING, clock.instant()));
        }
        return 1;
    }
}
