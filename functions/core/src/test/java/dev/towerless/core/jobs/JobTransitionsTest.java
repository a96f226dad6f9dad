package dev.towerless.core.jobs;

import static dev.towerless.core.jobs.JobStatus.CANCELED;
import static dev.towerless.core.jobs.JobStatus.ERROR;
import static dev.towerless.core.jobs.JobStatus.FAILED;
import static dev.towerless.core.jobs.JobStatus.NEW;
import static dev.towerless.core.jobs.JobStatus.PENDING;
import static dev.towerless.core.jobs.JobStatus.RUNNING;
import static dev.towerless.core.jobs.JobStatus.SUCCESSFUL;
import static dev.towerless.core.jobs.JobStatus.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobTransitionsTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    /**
     * AWX's table (research §1.4), written out independently of the implementation, plus one
     * move of Towerless's own: waiting → pending, a launch ECS turned away for now (throttled, no capacity).
     */
    private static final Map<JobStatus, Set<JobStatus>> EXPECTED = Map.of(
            NEW, EnumSet.of(PENDING, FAILED, CANCELED),
            PENDING, EnumSet.of(WAITING, FAILED, CANCELED),
            WAITING, EnumSet.of(PENDING, RUNNING, FAILED, ERROR, CANCELED),
            RUNNING, EnumSet.of(SUCCESSFUL, FAILED, ERROR, CANCELED),
            SUCCESSFUL, EnumSet.noneOf(JobStatus.class),
            FAILED, EnumSet.noneOf(JobStatus.class),
            ERROR, EnumSet.noneOf(JobStatus.class),
            CANCELED, EnumSet.noneOf(JobStatus.class));

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void everyTransitionOfARunnerJobIsAllowedOrRefusedAsInAwx(JobStatus from) {
        for (JobStatus to : JobStatus.values()) {
            UnifiedJob job = job(JobKind.JOB, from);
            if (EXPECTED.get(from).contains(to)) {
                assertThat(JobTransitions.changesFor(job, to, T0)).containsEntry("status", to.apiName());
            } else {
                assertThatThrownBy(() -> JobTransitions.changesFor(job, to, T0))
                        .as("%s -> %s", from, to).isInstanceOf(IllegalTransitionException.class)
                        .hasMessageContaining(from.apiName()).hasMessageContaining(to.apiName());
            }
        }
    }

    @Test
    void onlyWorkflowJobsGoStraightFromPendingToRunning() {
        assertThat(JobTransitions.isAllowed(JobKind.WORKFLOW_JOB, PENDING, RUNNING)).isTrue();
        assertThat(JobTransitions.isAllowed(JobKind.WORKFLOW_JOB, PENDING, WAITING)).isFalse();
        for (JobKind kind : EnumSet.complementOf(EnumSet.of(JobKind.WORKFLOW_JOB, JobKind.WORKFLOW_APPROVAL))) {
            assertThat(JobTransitions.isAllowed(kind, PENDING, RUNNING)).as(kind.type()).isFalse();
            assertThat(JobTransitions.isAllowed(kind, PENDING, WAITING)).as(kind.type()).isTrue();
        }
    }

    @Test
    void anApprovalGoesFromPendingStraightToItsAnswer() {
        assertThat(JobTransitions.isAllowed(JobKind.WORKFLOW_APPROVAL, PENDING, SUCCESSFUL)).isTrue();
        assertThat(JobTransitions.isAllowed(JobKind.WORKFLOW_APPROVAL, PENDING, FAILED)).isTrue();
        assertThat(JobTransitions.isAllowed(JobKind.WORKFLOW_APPROVAL, PENDING, WAITING)).isFalse();
        assertThat(JobTransitions.isAllowed(JobKind.WORKFLOW_APPROVAL, PENDING, RUNNING)).isFalse();
        assertThat(JobTransitions.isAllowed(JobKind.JOB, PENDING, SUCCESSFUL)).isFalse();
    }

    @Test
    void runningStampsStartedOnceAndFinishingStampsFinishedAndElapsed() {
        UnifiedJob waiting = job(JobKind.JOB, WAITING);
        Map<String, Object> toRunning = JobTransitions.changesFor(waiting, RUNNING, T0);
        assertThat(toRunning).containsEntry("started", "2026-11-28T10:00:00.000000Z").containsEntry("failed", false)
                .doesNotContainKey("finished");
        UnifiedJob running = waiting.with(toRunning);
        Map<String, Object> done = JobTransitions.changesFor(running, SUCCESSFUL, T0.plusMillis(2_345_678));
        assertThat(done).containsEntry("finished", "2026-11-28T10:39:05.678000Z")
                .containsEntry("elapsed", 2345.678).containsEntry("failed", false);
        assertThat(running.with(done).elapsed()).isEqualTo(2345.678);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"FAILED", "ERROR", "CANCELED"})
    void failedIsTrueExactlyForFailedErrorAndCanceled(JobStatus end) {
        UnifiedJob running = job(JobKind.JOB, RUNNING).with(Map.of("started", "2026-11-28T10:00:00.000000Z"));
        assertThat(JobTransitions.changesFor(running, end, T0.plusSeconds(1))).containsEntry("failed", true);
    }

    @Test
    void aJobCanceledBeforeItStartedHasZeroElapsed() {
        Map<String, Object> changes = JobTransitions.changesFor(job(JobKind.JOB, PENDING), CANCELED, T0);
        assertThat(changes).containsEntry("elapsed", 0.0).containsEntry("finished", "2026-11-28T10:00:00.000000Z")
                .doesNotContainKey("started");
    }

    @Test
    void extraFieldsTravelWithTheTransition() {
        Map<String, Object> changes = JobTransitions.changesFor(job(JobKind.JOB, RUNNING), FAILED, T0,
                Map.of("job_explanation", "Job terminated due to timeout", "rc", 254));
        assertThat(changes).containsEntry("job_explanation", "Job terminated due to timeout").containsEntry("rc", 254);
    }

    @Test
    void aNewPendingJobHasAwxDefaults() {
        UnifiedJob j = UnifiedJob.newPending(7, JobKind.PROJECT_UPDATE, "p", LaunchType.DEPENDENCY, T0, Map.of());
        assertThat(j.status()).isEqualTo(PENDING);
        assertThat(j.failed()).isFalse();
        assertThat(j.started()).isEmpty();
        assertThat(j.finished()).isEmpty();
        assertThat(j.elapsed()).isZero();
        assertThat(j.jobExplanation()).isEmpty();
        assertThat(j.get("launch_type")).isEqualTo("dependency");
        assertThat(j.get("type")).isEqualTo("project_update");
        assertThat(j.created()).isEqualTo(T0);
    }

    static UnifiedJob job(JobKind kind, JobStatus status) {
        return UnifiedJob.newPending(1, kind, "j", LaunchType.MANUAL, T0.minusSeconds(60), Map.of())
                .with(Map.of("status", status.apiName()));
    }
}
