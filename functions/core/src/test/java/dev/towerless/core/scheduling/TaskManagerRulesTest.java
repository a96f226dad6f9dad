package dev.towerless.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.testing.FakeStores;
import dev.towerless.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWX's dependency, blocking and capacity rules, with a settable clock. */
class TaskManagerRulesTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final FakeStores.Resources resources = new FakeStores.Resources();
    private final FakeStores.Launcher launcher = new FakeStores.Launcher();
    private final dev.towerless.core.testing.RecordingTopic lifecycle = new dev.towerless.core.testing.RecordingTopic();
    private final TaskManager manager = new TaskManager(jobs, resources, launcher, new FakeStores.Leases(clock), lifecycle, clock,
            new TaskManagerSettings(100, Duration.ofSeconds(50), Duration.ofSeconds(90)), "tm");
    private long nextId = 1000;

    // ---- dependency manager: projects that update on launch -------------------------------

    @Test
    void aJobOfAProjectThatUpdatesOnLaunchGetsOneDependencyUpdateAndStartsAfterIt() {
        project(1, Map.of("scm_update_on_launch", true));
        long job = job(10, 1, Map.of());
        manager.runPass();
        List<UnifiedJob> updates = updatesOf(1);
        assertThat(updates).singleElement().satisfies(u -> assertThat(u.get(JobFields.LAUNCH_TYPE)).isEqualTo("dependency"));
        long update = updates.get(0).id();
        assertThat(launcher.launched).containsExactly(update);
        assertThat(status(job)).isEqualTo(JobStatus.PENDING);
        finish(update, JobStatus.SUCCESSFUL);
        manager.runPass();
        assertThat(launcher.launched).containsExactly(update, job);
        assertThat(updatesOf(1)).hasSize(1);
    }

    @Test
    void anUpdateInFlightIsReusedByLaterJobs() {
        project(1, Map.of("scm_update_on_launch", true));
        job(10, 1, Map.of(JobFields.ALLOW_SIMULTANEOUS, true));
        manager.runPass();
        job(10, 1, Map.of(JobFields.ALLOW_SIMULTANEOUS, true));
        job(10, 1, Map.of(JobFields.ALLOW_SIMULTANEOUS, true));
        manager.runPass();
        manager.runPass();
        assertThat(updatesOf(1)).hasSize(1);
        finish(updatesOf(1).get(0).id(), JobStatus.SUCCESSFUL);
        manager.runPass();
        assertThat(launcher.launched).hasSize(4);
    }

    @Test
    void aSuccessfulUpdateIsReusedWithinTheCacheWindowAndNotOneSecondLonger() {
        project(1, Map.of("scm_update_on_launch", true, "scm_update_cache_timeout", 60L));
        job(10, 1, Map.of());
        manager.runPass();
        finish(updatesOf(1).get(0).id(), JobStatus.SUCCESSFUL);
        manager.runPass();
        clock.advance(Duration.ofSeconds(60).minusMillis(1)); // inserting the job moves the clock by 1 ms
        job(11, 1, Map.of());
        manager.runPass();
        assertThat(updatesOf(1)).as("exactly at the edge of the cache window").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        job(12, 1, Map.of());
        manager.runPass();
        assertThat(updatesOf(1)).as("one second later").hasSize(2);
    }

    @Test
    void withoutACacheWindowEveryLaunchAfterAFinishedUpdateUpdatesAgain() {
        project(1, Map.of("scm_update_on_launch", true));
        job(10, 1, Map.of());
        manager.runPass();
        finish(updatesOf(1).get(0).id(), JobStatus.SUCCESSFUL);
        manager.runPass();
        job(11, 1, Map.of());
        manager.runPass();
        assertThat(updatesOf(1)).hasSize(2);
    }

    @Test
    void aFailedDependencyFailsTheJobAndACanceledOneCancelsIt() {
        project(1, Map.of("scm_update_on_launch", true));
        project(2, Map.of("scm_update_on_launch", true));
        long failing = job(10, 1, Map.of());
        long canceled = job(20, 2, Map.of());
        manager.runPass();
        long u1 = updatesOf(1).get(0).id();
        long u2 = updatesOf(2).get(0).id();
        finish(u1, JobStatus.FAILED);
        finish(u2, JobStatus.CANCELED);
        manager.runPass();
        UnifiedJob f = jobs.find(failing).orElseThrow();
        assertThat(f.status()).isEqualTo(JobStatus.FAILED);
        assertThat(f.jobExplanation()).isEqualTo("Previous Task Failed: {\"job_type\": \"project_update\", \"job_name\": \"p1\", "
                + "\"job_id\": \"" + u1 + "\"}");
        UnifiedJob c = jobs.find(canceled).orElseThrow();
        assertThat(c.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(lifecycle.published).as("both endings are announced, for their error notifications")
                .anyMatch(m -> m.contains("\"job_id\":" + failing + ",")).anyMatch(m -> m.contains("\"job_id\":" + canceled + ","));
        assertThat(c.jobExplanation()).startsWith("Previous Task Canceled: {\"job_type\": \"project_update\"");
        assertThat(launcher.launched).containsExactly(u1, u2);
    }

    @Test
    void dependenciesAreCreatedOncePerJobEvenWhenTwoManagersDecideAtOnce() {
        project(1, Map.of("scm_update_on_launch", true));
        job(10, 1, Map.of());
        DependencyManager a = new DependencyManager(jobs, resources, clock);
        DependencyManager b = new DependencyManager(jobs, resources, clock);
        List<UnifiedJob> active = jobs.active();
        List<UnifiedJob> pending = active.stream().filter(j -> j.status() == JobStatus.PENDING).toList();
        // Both read the project before either wrote: the second one's watermark write must lose.
        Map<Long, Resource> seenByA = new HashMap<>(Map.of(1L, resources.get(ResourceTypes.PROJECT, 1).orElseThrow()));
        Map<Long, Resource> seenByB = new HashMap<>(seenByA);
        assertThat(a.process(pending, seenByA, new HashMap<>(), active)).hasSize(1);
        // B decided on stale reads; its watermark write loses and the update it made is withdrawn at once.
        assertThat(b.process(pending, seenByB, new HashMap<>(), active)).isEmpty();
        assertThat(updatesOf(1).stream().filter(u -> u.status() == JobStatus.PENDING)).hasSize(1);
        assertThat(updatesOf(1).stream().filter(u -> u.status() != JobStatus.PENDING))
                .allSatisfy(u -> assertThat(u.status()).isEqualTo(JobStatus.CANCELED));
        assertThat(resources.get(ResourceTypes.PROJECT, 1).orElseThrow().get(DependencyManager.DEPENDENCY_UPDATES))
                .asList().hasSize(1);
    }

    @Test
    void anInventorySourceThatUpdatesOnLaunchIsSyncedBeforeTheJobAndItsCacheWindowApplies() {
        project(1, Map.of());
        resources.insert(new Resource(ResourceTypes.INVENTORY_SOURCE, 70, Map.of("name", "src", "inventory", 5L,
                "source", "scm", "update_on_launch", true, "update_cache_timeout", 30L)));
        long job = job(10, 1, Map.of(JobFields.INVENTORY, 5L));
        long otherInventory = job(11, 1, Map.of(JobFields.INVENTORY, 6L));
        manager.runPass();
        List<UnifiedJob> syncs = jobs.all(JobKind.INVENTORY_UPDATE);
        assertThat(syncs).singleElement().satisfies(u -> {
            assertThat(u.get("inventory_source")).isEqualTo(70L);
            assertThat(u.get(JobFields.LAUNCH_TYPE)).isEqualTo("dependency");
        });
        assertThat(launcher.launched).containsExactlyInAnyOrder(syncs.get(0).id(), otherInventory);
        finish(syncs.get(0).id(), JobStatus.SUCCESSFUL);
        manager.runPass();
        assertThat(launcher.launched).contains(job);
        job(12, 1, Map.of(JobFields.INVENTORY, 5L));
        manager.runPass();
        assertThat(jobs.all(JobKind.INVENTORY_UPDATE)).as("within the source's cache window").hasSize(1);
    }

    @Test
    void anScmInventoryUpdateWaitsForItsSourceProjectsUpdateOnLaunch() {
        project(1, Map.of("scm_update_on_launch", true));
        long sync = insert(JobKind.INVENTORY_UPDATE, 70, Map.of(JobFields.PROJECT, 1L, "inventory_source", 70L,
                JobFields.INVENTORY, 5L));
        manager.runPass();
        long update = updatesOf(1).get(0).id();
        assertThat(launcher.launched).containsExactly(update);
        finish(update, JobStatus.FAILED);
        manager.runPass();
        assertThat(jobs.find(sync).orElseThrow().jobExplanation()).startsWith("Previous Task Failed: {\"job_type\": \"project_update\"");
    }

    // ---- blocking ----------------------------------------------------------------------------

    @Test
    void aRunningInventoryUpdateBlocksJobsAndAdHocCommandsOnItsInventoryAndUpdatesOfItsSource() {
        project(1, Map.of());
        running(JobKind.INVENTORY_UPDATE, 50, Map.of(JobFields.INVENTORY, 5L, "inventory_source", 7L));
        long job = job(10, 1, Map.of(JobFields.INVENTORY, 5L));
        long adhoc = insert(JobKind.AD_HOC_COMMAND, 0, Map.of(JobFields.INVENTORY, 5L));
        long sameSource = insert(JobKind.INVENTORY_UPDATE, 51, Map.of(JobFields.INVENTORY, 5L, "inventory_source", 7L));
        long otherSource = insert(JobKind.INVENTORY_UPDATE, 52, Map.of(JobFields.INVENTORY, 5L, "inventory_source", 8L));
        long otherInventory = job(11, 1, Map.of(JobFields.INVENTORY, 6L));
        manager.runPass();
        assertThat(launcher.launched).containsExactlyInAnyOrder(otherSource, otherInventory);
        assertThat(List.of(status(job), status(adhoc), status(sameSource))).containsOnly(JobStatus.PENDING);
    }

    @Test
    void aRunningAdHocCommandBlocksPlaybookJobsOnTheSameInventory() {
        project(1, Map.of());
        running(JobKind.AD_HOC_COMMAND, 0, Map.of(JobFields.INVENTORY, 5L));
        long job = job(10, 1, Map.of(JobFields.INVENTORY, 5L));
        manager.runPass();
        assertThat(status(job)).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void onlyOneSystemJobRunsAtATimeAndItBlocksNothingElse() {
        project(1, Map.of());
        long first = insert(JobKind.SYSTEM_JOB, 90, Map.of());
        long second = insert(JobKind.SYSTEM_JOB, 91, Map.of());
        long job = job(10, 1, Map.of());
        manager.runPass();
        assertThat(launcher.launched).containsExactly(first, job);
        assertThat(status(second)).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void aBlockedJobNeverHoldsUpYoungerOnesAndExplainsItselfOnlyAfterThirtySeconds() {
        project(1, Map.of());
        running(JobKind.JOB, 10, Map.of(JobFields.PROJECT, 1L));
        long blocked = job(10, 1, Map.of());
        long younger = job(11, 1, Map.of());
        manager.runPass();
        assertThat(launcher.launched).containsExactly(younger);
        assertThat(jobs.find(blocked).orElseThrow().jobExplanation()).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        manager.runPass();
        assertThat(jobs.find(blocked).orElseThrow().jobExplanation()).matches("waiting for job-\\d+ to finish");
    }

    // ---- capacity ------------------------------------------------------------------------------

    @Test
    void maxConcurrentJobsOfAGroupLimitsStartsAndTheRestWaitWithAVisibleReason() {
        project(1, Map.of());
        group(1, "default", 2, 0);
        long a = job(10, 1, Map.of());
        long b = job(11, 1, Map.of());
        long c = job(12, 1, Map.of());
        manager.runPass();
        assertThat(launcher.launched).containsExactly(a, b);
        clock.advance(Duration.ofSeconds(31));
        manager.runPass();
        assertThat(jobs.find(c).orElseThrow().jobExplanation())
                .isEqualTo("This job is not ready to start because there is not enough available capacity.");
        finish(a, JobStatus.SUCCESSFUL);
        manager.runPass();
        assertThat(launcher.launched).containsExactly(a, b, c);
        assertThat(jobs.find(c).orElseThrow().jobExplanation()).as("cleared when it starts").isEmpty();
    }

    @Test
    void maxForksCountsTaskImpact() {
        project(1, Map.of());
        group(1, "default", 0, 10);
        long big = job(10, 1, Map.of(JobFields.TASK_IMPACT, 6L));
        long tooBig = job(11, 1, Map.of(JobFields.TASK_IMPACT, 6L));
        long small = job(12, 1, Map.of(JobFields.TASK_IMPACT, 4L));
        manager.runPass();
        assertThat(launcher.launched).containsExactly(big, small);
        assertThat(status(tooBig)).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void aJobTriesItsPreferredGroupsInOrderAndIsRecordedOnTheOneThatFits() {
        project(1, Map.of());
        group(1, "default", 0, 0);
        group(2, "small", 1, 0);
        group(3, "overflow", 0, 0);
        long first = job(10, 1, Map.of(JobFields.PREFERRED_INSTANCE_GROUPS, List.of(2L, 3L)));
        long second = job(11, 1, Map.of(JobFields.PREFERRED_INSTANCE_GROUPS, List.of(2L, 3L)));
        long none = job(12, 1, Map.of());
        manager.runPass();
        assertThat(jobs.find(first).orElseThrow().longField(JobFields.INSTANCE_GROUP)).contains(2L);
        assertThat(jobs.find(second).orElseThrow().longField(JobFields.INSTANCE_GROUP)).contains(3L);
        assertThat(jobs.find(none).orElseThrow().longField(JobFields.INSTANCE_GROUP)).contains(1L);
    }

    @Test
    void taskImpactFollowsAwx() {
        assertThat(TaskImpact.of(JobKind.JOB, 3, 0)).isEqualTo(4);
        assertThat(TaskImpact.of(JobKind.JOB, 100, 0)).isEqualTo(6);
        assertThat(TaskImpact.of(JobKind.JOB, 100, 20)).isEqualTo(21);
        assertThat(TaskImpact.of(JobKind.JOB, -1, 3)).isEqualTo(4);
        assertThat(TaskImpact.of(JobKind.AD_HOC_COMMAND, 0, 0)).isEqualTo(6);
        assertThat(TaskImpact.of(JobKind.PROJECT_UPDATE, 0, 0)).isEqualTo(1);
        assertThat(TaskImpact.of(JobKind.INVENTORY_UPDATE, 0, 0)).isEqualTo(1);
        assertThat(TaskImpact.of(JobKind.SYSTEM_JOB, 0, 0)).isEqualTo(5);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void project(long id, Map<String, Object> fields) {
        Map<String, Object> f = new HashMap<>(fields);
        f.put("name", "p" + id);
        f.put("scm_revision", "abc");
        resources.insert(new Resource(ResourceTypes.PROJECT, id, f));
    }

    private void group(long id, String name, long maxJobs, long maxForks) {
        resources.insert(new Resource(ResourceTypes.INSTANCE_GROUP, id, Map.of("name", name,
                "max_concurrent_jobs", maxJobs, "max_forks", maxForks)));
    }

    private long job(long template, long project, Map<String, Object> extra) {
        Map<String, Object> f = new HashMap<>(extra);
        f.put(JobFields.PROJECT, project);
        return insert(JobKind.JOB, template, f);
    }

    private long insert(JobKind kind, long template, Map<String, Object> fields) {
        Map<String, Object> f = new HashMap<>(fields);
        f.put(JobFields.UNIFIED_JOB_TEMPLATE, template);
        UnifiedJob j = UnifiedJob.newPending(nextId++, kind, kind.type(), LaunchType.MANUAL, clock.instant(), f);
        jobs.insert(j);
        clock.advance(Duration.ofMillis(1));
        return j.id();
    }

    private void running(JobKind kind, long template, Map<String, Object> fields) {
        long id = insert(kind, template, fields);
        UnifiedJob j = jobs.find(id).orElseThrow();
        jobs.updateIfStatus(id, JobStatus.PENDING, Map.of("status", "running"));
    }

    private List<UnifiedJob> updatesOf(long project) {
        return jobs.all(JobKind.PROJECT_UPDATE).stream().filter(u -> u.longField(JobFields.PROJECT).orElse(-1L) == project)
                .toList();
    }

    private JobStatus status(long id) {
        return jobs.find(id).orElseThrow().status();
    }

    private void finish(long id, JobStatus end) {
        UnifiedJob j = jobs.find(id).orElseThrow();
        if (j.status() == JobStatus.PENDING) {
            j = jobs.updateIfStatus(id, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.WAITING, clock.instant())).orElseThrow();
        }
        if (j.status() == JobStatus.WAITING) {
            j = jobs.updateIfStatus(id, JobStatus.WAITING, JobTransitions.changesFor(j, JobStatus.RUNNING, clock.instant())).orElseThrow();
        }
        jobs.updateIfStatus(id, JobStatus.RUNNING, JobTransitions.changesFor(j, end, clock.instant()));
    }
}
