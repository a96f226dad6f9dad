package dev.towerless.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.RunnerLauncher;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.testing.FakeStores;
import dev.towerless.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskManagerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final FakeStores.Resources resources = new FakeStores.Resources();
    private final FakeStores.Leases leases = new FakeStores.Leases(clock);
    private final FakeStores.Launcher launcher = new FakeStores.Launcher();
    private final dev.towerless.core.testing.RecordingTopic lifecycle = new dev.towerless.core.testing.RecordingTopic();
    private TaskManager manager;
    private long nextId = 100;

    @BeforeEach
    void setUp() {
        manager = manager("tm-1", new TaskManagerSettings(100, Duration.ofSeconds(50), Duration.ofSeconds(90)));
        resources.insert(new Resource(ResourceTypes.PROJECT, 1, Map.of("name", "p", "scm_revision", "abc123")));
    }

    private TaskManager manager(String holder, TaskManagerSettings settings) {
        return new TaskManager(jobs, resources, launcher, leases, lifecycle, clock, settings, holder);
    }

    @Test
    void startsPendingJobsOldestFirstAndRecordsTheProjectRevision() {
        long first = job(10);
        clock.advance(Duration.ofSeconds(1));
        long second = job(11);
        PassResult r = manager.schedule();
        assertThat(r.started()).isEqualTo(2);
        assertThat(launcher.launched).containsExactly(first, second);
        UnifiedJob started = jobs.find(first).orElseThrow();
        assertThat(started.status()).isEqualTo(JobStatus.WAITING);
        assertThat(started.get(JobFields.SCM_REVISION)).isEqualTo("abc123");
    }

    @Test
    void aSecondJobOfTheSameTemplateWaitsUnlessSimultaneousIsAllowed() {
        long a = job(10);
        long b = job(10);
        long c = job(12, Map.of(JobFields.ALLOW_SIMULTANEOUS, true));
        long d = job(12, Map.of(JobFields.ALLOW_SIMULTANEOUS, true));
        PassResult r = manager.runPass();
        assertThat(launcher.launched).containsExactly(a, c, d);
        assertThat(jobs.find(b).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        assertThat(r.blocked()).isEqualTo(1);
    }

    @Test
    void aJobWaitsForItsProjectsUpdateAndStartsAfterIt() {
        long update = insert(JobKind.PROJECT_UPDATE, 1, Map.of(JobFields.PROJECT, 1L));
        long job = job(10);
        manager.runPass();
        assertThat(launcher.launched).containsExactly(update);
        assertThat(jobs.find(job).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        finish(update, JobStatus.SUCCESSFUL);
        manager.runPass();
        assertThat(launcher.launched).containsExactly(update, job);
    }

    @Test
    void onlyOneUpdatePerProjectRunsAtATime() {
        long first = insert(JobKind.PROJECT_UPDATE, 1, Map.of(JobFields.PROJECT, 1L));
        long second = insert(JobKind.PROJECT_UPDATE, 1, Map.of(JobFields.PROJECT, 1L));
        manager.runPass();
        assertThat(launcher.launched).containsExactly(first);
        finish(first, JobStatus.SUCCESSFUL);
        manager.runPass();
        assertThat(launcher.launched).containsExactly(first, second);
    }

    @Test
    void aJobWhoseProjectNeverUpdatedFailsWithTheFailedUpdateNamed() {
        resources.insert(new Resource(ResourceTypes.PROJECT, 2, Map.of("name", "broken")));
        long update = insert(JobKind.PROJECT_UPDATE, 2, Map.of(JobFields.PROJECT, 2L, JobFields.NAME, "broken"));
        resources.update(ResourceTypes.PROJECT, 2, Map.of("last_update", update));
        finish(update, JobStatus.FAILED);
        long job = insert(JobKind.JOB, 20, Map.of(JobFields.PROJECT, 2L));
        PassResult r = manager.runPass();
        UnifiedJob failed = jobs.find(job).orElseThrow();
        assertThat(r.failed()).isEqualTo(1);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.failed()).isTrue();
        assertThat(failed.jobExplanation()).isEqualTo("Previous Task Failed: {\"job_type\": \"project_update\", "
                + "\"job_name\": \"broken\", \"job_id\": \"" + update + "\"}");
        assertThat(launcher.launched).isEmpty();
    }

    @Test
    void aJobWithoutAnyRevisionToRunFailsWithAwxsExplanation() {
        resources.insert(new Resource(ResourceTypes.PROJECT, 3, Map.of("name", "empty")));
        long job = insert(JobKind.JOB, 30, Map.of(JobFields.PROJECT, 3L));
        manager.runPass();
        assertThat(jobs.find(job).orElseThrow().jobExplanation())
                .isEqualTo("Missing a revision to run due to failed project update.");
    }

    @Test
    void aLaunchFailureEndsTheJobInErrorWithTheReason() {
        launcher.failWith = "RESOURCE:MEMORY";
        long job = job(10);
        manager.runPass();
        UnifiedJob j = jobs.find(job).orElseThrow();
        assertThat(j.status()).isEqualTo(JobStatus.ERROR);
        assertThat(j.jobExplanation()).contains("RESOURCE:MEMORY");
    }

    @Test
    void aLaunchEcsTurnsAwayGoesBackToPendingInItsPlaceAndStartsOnALaterPass() {
        long first = job(10);
        long second = job(11);
        long third = job(12);
        launcher.failWith = "ECS RunTask throttled: Rate exceeded";
        launcher.failure = RunnerLauncher.LaunchException.Outcome.RETRY_LATER;
        launcher.failures = 1;
        PassResult turnedAway = manager.runPass();
        // The first launch was turned away; the pass starts nothing more, and nothing is lost or errored.
        assertThat(turnedAway.started()).isZero();
        assertThat(turnedAway.deferred()).isEqualTo(3);
        assertThat(launcher.launched).isEmpty();
        UnifiedJob back = jobs.find(first).orElseThrow();
        assertThat(back.status()).isEqualTo(JobStatus.PENDING);
        assertThat(back.jobExplanation()).contains("later pass").contains("Rate exceeded");
        assertThat(back.longField(JobFields.LAUNCH_ATTEMPTS)).contains(1L);
        assertThat(back.get(JobFields.RUN_SECRETS)).isNull();
        assertThat(jobs.find(second).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        assertThat(lifecycle.published).as("nothing ended, so nothing is announced").isEmpty();

        PassResult later = manager.runPass();
        assertThat(later.started()).isEqualTo(3);
        assertThat(launcher.launched).as("in their original order").containsExactly(first, second, third);
        assertThat(jobs.find(first).orElseThrow().status()).isEqualTo(JobStatus.WAITING);
        assertThat(jobs.find(first).orElseThrow().jobExplanation()).isEmpty();
    }

    @Test
    void aJobEcsKeepsTurningAwayEndsInErrorAfterTheLastAttemptNamingTheReason() {
        long job = job(10, Map.of(JobFields.LAUNCH_ATTEMPTS, (long) TaskManager.MAX_LAUNCH_ATTEMPTS - 1));
        launcher.failWith = "ECS could not place the runner task: Capacity is unavailable at this time";
        launcher.failure = RunnerLauncher.LaunchException.Outcome.RETRY_LATER;
        manager.runPass();
        UnifiedJob j = jobs.find(job).orElseThrow();
        assertThat(j.status()).isEqualTo(JobStatus.ERROR);
        assertThat(j.jobExplanation()).contains("turned away " + TaskManager.MAX_LAUNCH_ATTEMPTS + " times")
                .contains("Capacity is unavailable");
        assertThat(lifecycle.published).hasSize(1);
    }

    @Test
    void aLaunchWhoseOutcomeEcsDidNotConfirmStaysWaitingForItsRunnerOrTheReaper() {
        long job = job(10);
        launcher.failWith = "ECS RunTask timed out";
        launcher.failure = RunnerLauncher.LaunchException.Outcome.UNKNOWN;
        manager.runPass();
        UnifiedJob j = jobs.find(job).orElseThrow();
        assertThat(j.status()).isEqualTo(JobStatus.WAITING);
        assertThat(j.jobExplanation()).isEmpty();
        manager.runPass();
        assertThat(jobs.find(job).orElseThrow().status()).as("not launched a second time").isEqualTo(JobStatus.WAITING);
        assertThat(lifecycle.published).isEmpty();
    }

    @Test
    void theStartLimitCutsThePassAndAskedForAnotherOneAtOnce() {
        manager = manager("tm-1", new TaskManagerSettings(2, Duration.ofSeconds(50), Duration.ofSeconds(90)));
        for (int i = 0; i < 5; i++) {
            job(100 + i);
        }
        PassResult last = manager.schedule();
        // schedule() keeps passing while more remain: all five started, in passes of two.
        assertThat(launcher.launched).hasSize(5);
        assertThat(last.moreRemaining()).isFalse();
    }

    @Test
    void aPassDoesNotStartAJobTwiceEvenIfItRunsAgain() {
        long job = job(10);
        manager.runPass();
        manager.runPass();
        assertThat(launcher.launched).containsExactly(job);
    }

    @Test
    void aSecondManagerWhileTheFirstHoldsTheLeaseOnlyAsksForARerun() {
        assertThat(leases.tryAcquire(TaskManager.LEASE_NAME, "tm-other", Duration.ofSeconds(90))).isTrue();
        job(10);
        assertThat(manager.schedule().skipped()).isTrue();
        assertThat(launcher.launched).isEmpty();
        // The holder sees the request when it tries to release, and runs once more.
        assertThat(leases.releaseUnlessRerunRequested(TaskManager.LEASE_NAME, "tm-other")).isFalse();
    }

    @Test
    void anExpiredLeaseOfACrashedHolderIsTakenOver() {
        assertThat(leases.tryAcquire(TaskManager.LEASE_NAME, "crashed", Duration.ofSeconds(90))).isTrue();
        long job = job(10);
        clock.advance(Duration.ofSeconds(91));
        assertThat(manager.schedule().skipped()).isFalse();
        assertThat(launcher.launched).containsExactly(job);
    }

    private long job(long template) {
        return job(template, Map.of());
    }

    private long job(long template, Map<String, Object> extra) {
        Map<String, Object> f = new HashMap<>(extra);
        f.put(JobFields.PROJECT, 1L);
        return insert(JobKind.JOB, template, f);
    }

    private long insert(JobKind kind, long template, Map<String, Object> fields) {
        Map<String, Object> f = new HashMap<>(fields);
        f.put(JobFields.UNIFIED_JOB_TEMPLATE, template);
        String name = (String) f.getOrDefault(JobFields.NAME, kind.type());
        UnifiedJob j = UnifiedJob.newPending(nextId++, kind, name, LaunchType.MANUAL, clock.instant(), f);
        jobs.insert(j);
        clock.advance(Duration.ofMillis(1));
        return j.id();
    }

    private void finish(long id, JobStatus end) {
        UnifiedJob j = jobs.find(id).orElseThrow();
        if (j.status() == JobStatus.PENDING) {
            jobs.updateIfStatus(id, JobStatus.PENDING, Map.of("status", "waiting"));
        }
        jobs.updateIfStatus(id, JobStatus.WAITING, Map.of("status", "running"));
        jobs.updateIfStatus(id, JobStatus.RUNNING, Map.of("status", end.apiName(), "failed", end.countsAsFailed()));
    }
}
