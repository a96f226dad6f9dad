package dev.towerless.core.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.testing.FakeStores;
import dev.towerless.core.testing.MutableClock;
import dev.towerless.core.testing.RecordingTopic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkflowManagerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final FakeStores.Resources resources = new FakeStores.Resources();
    private final RecordingTopic lifecycle = new RecordingTopic();
    private final List<Long> canceled = new ArrayList<>();
    private final LaunchService launches = new LaunchService(jobs, resources, new FakeStores.Queue(),
            new FakeStores.FlatVariables(), clock, new SecretBox(new byte[32]));
    private final WorkflowManager manager = new WorkflowManager(jobs, resources, launches, new FakeStores.FlatVariables(),
            lifecycle, clock, id -> {
                canceled.add(id);
                jobs.updateIfActive(id, Map.of(JobFields.CANCEL_FLAG, true));
            });
    private final Resource admin = new Resource(ResourceTypes.USER, 1, Map.of("username", "admin", "name", "admin"));

    @BeforeEach
    void setUp() {
        resources.insert(new Resource(ResourceTypes.PROJECT, 1, Map.of("name", "p", "organization", 1L, "scm_revision", "abc")));
        resources.insert(new Resource(ResourceTypes.INVENTORY, 2, Map.of("name", "inv", "organization", 1L)));
        for (long t = 10; t <= 12; t++) {
            resources.insert(new Resource(ResourceTypes.JOB_TEMPLATE, t, Map.of("name", "jt-" + t, "project", 1L,
                    "inventory", 2L, "playbook", "site.yml", "forks", 0L)));
        }
        resources.insert(new Resource(ResourceTypes.WORKFLOW_JOB_TEMPLATE, 20, Map.of("name", "deploy-flow")));
        // A: on success B, on failure C
        node(31, 10, List.of(32L), List.of(33L));
        node(32, 11, List.of(), List.of());
        node(33, 12, List.of(), List.of());
    }

    private void node(long id, long template, List<Long> success, List<Long> failure) {
        resources.insert(new Resource(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, id, new HashMap<>(Map.of(
                "workflow_job_template", 20L, "unified_job_template", template, "identifier", "n" + id,
                "success_nodes", success, "failure_nodes", failure, "always_nodes", List.of()))));
    }

    private UnifiedJob launch() {
        return manager.launch(resources.get(ResourceTypes.WORKFLOW_JOB_TEMPLATE, 20).orElseThrow(), Map.of(), null, null,
                Origin.user(admin));
    }

    private void pass() {
        manager.process(jobs.active());
    }

    private UnifiedJob workflow(long id) {
        return jobs.find(id).orElseThrow();
    }

    private UnifiedJob childOf(long workflow, long templateNode) {
        Map<String, Object> n = WorkflowManager.nodesOf(workflow(workflow)).stream()
                .filter(x -> x.get("template_node").equals(templateNode)).findFirst().orElseThrow();
        return n.get("job") == null ? null : jobs.find(((Number) n.get("job")).longValue()).orElseThrow();
    }

    private void finish(UnifiedJob job, JobStatus status) {
        UnifiedJob waiting = jobs.updateIfStatus(job.id(), JobStatus.PENDING,
                JobTransitions.changesFor(job, JobStatus.WAITING, clock.instant())).orElseThrow();
        UnifiedJob running = jobs.updateIfStatus(job.id(), JobStatus.WAITING,
                JobTransitions.changesFor(waiting, JobStatus.RUNNING, clock.instant())).orElseThrow();
        jobs.updateIfStatus(job.id(), JobStatus.RUNNING, JobTransitions.changesFor(running, status, clock.instant()));
    }

    @Test
    void aSuccessfulFirstNodeLeadsToItsSuccessChildAndTheWorkflowSucceeds() {
        long wf = launch().id();
        pass();
        assertThat(workflow(wf).status()).isEqualTo(JobStatus.RUNNING);
        UnifiedJob a = childOf(wf, 31);
        assertThat(a.kind()).isEqualTo(JobKind.JOB);
        assertThat(a.get(JobFields.LAUNCH_TYPE)).isEqualTo(LaunchType.WORKFLOW.apiName());
        assertThat(a.get(Origin.SOURCE_WORKFLOW_JOB)).isEqualTo(wf);
        assertThat(childOf(wf, 32)).isNull();

        finish(a, JobStatus.SUCCESSFUL);
        pass();
        UnifiedJob b = childOf(wf, 32);
        assertThat(b).isNotNull();
        assertThat(WorkflowManager.nodesOf(workflow(wf))).filteredOn(n -> n.get("template_node").equals(33L))
                .singleElement().satisfies(n -> assertThat(n.get("do_not_run")).isEqualTo(true));

        finish(b, JobStatus.SUCCESSFUL);
        pass();
        assertThat(workflow(wf).status()).isEqualTo(JobStatus.SUCCESSFUL);
        assertThat(lifecycle.published).anyMatch(m -> m.contains("job_finished") && m.contains("\"job_id\":" + wf + ","));
    }

    @Test
    void aHandledFailureStillSucceedsAnUnhandledOneFailsTheWorkflow() {
        long handled = launch().id();
        pass();
        finish(childOf(handled, 31), JobStatus.FAILED);
        pass();
        finish(childOf(handled, 33), JobStatus.SUCCESSFUL);
        pass();
        assertThat(workflow(handled).status()).isEqualTo(JobStatus.SUCCESSFUL);

        long unhandled = launch().id();
        pass();
        finish(childOf(unhandled, 31), JobStatus.SUCCESSFUL);
        pass();
        finish(childOf(unhandled, 32), JobStatus.FAILED);
        pass();
        assertThat(workflow(unhandled).status()).isEqualTo(JobStatus.FAILED);
        assertThat(workflow(unhandled).jobExplanation()).isEqualTo(WorkflowManager.FAILED_EXPLANATION);
    }

    @Test
    void aJobRecordedOnANodeByAPassThatDiedIsCreatedOnceByTheNext() {
        long wf = launch().id();
        pass();
        // As if a pass had claimed node B's job id and died before creating the job.
        long nodeB = WorkflowManager.nodesOf(workflow(wf)).stream().filter(n -> n.get("template_node").equals(32L))
                .map(n -> ((Number) n.get("id")).longValue()).findFirst().orElseThrow();
        jobs.setIfAbsent(wf, WorkflowManager.NODE_JOB + nodeB, 9999L);

        pass();
        pass();

        assertThat(jobs.find(9999L)).get().satisfies(j -> assertThat(j.get(JobFields.JOB_TEMPLATE)).isEqualTo(11L));
        assertThat(jobs.ofTemplate(11, 10)).hasSize(1);
    }

    @Test
    void cancelingAWorkflowCancelsItsJobsThenEndsCanceled() {
        long wf = launch().id();
        pass();
        UnifiedJob a = childOf(wf, 31);
        jobs.updateIfActive(wf, Map.of(JobFields.CANCEL_FLAG, true));

        pass();
        assertThat(canceled).containsExactly(a.id());
        assertThat(workflow(wf).status()).as("waits for its job to end").isEqualTo(JobStatus.RUNNING);

        finish(jobs.find(a.id()).orElseThrow(), JobStatus.CANCELED);
        pass();
        assertThat(workflow(wf).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(childOf(wf, 32)).as("nothing new started").isNull();
    }

    @Test
    void aSecondRunOfTheSameWorkflowWaitsUnlessSimultaneousIsAllowed() {
        long first = launch().id();
        long second = launch().id();
        pass();
        assertThat(workflow(first).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(workflow(second).status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void aNodeWhoseTemplateIsGoneTakesTheFailurePath() {
        resources.delete(ResourceTypes.JOB_TEMPLATE, 10);
        long wf = launch().id();
        pass();
        pass();
        assertThat(childOf(wf, 33)).as("the failure path runs").isNotNull();
        assertThat(childOf(wf, 32)).isNull();
    }

    @Test
    void twoManagersAdvancingTheSameWorkflowAtOnceStartEachNodeOnce() throws Exception {
        WorkflowManager other = new WorkflowManager(jobs, resources, launches, new FakeStores.FlatVariables(), lifecycle,
                clock, id -> { });
        long wf = launch().id();
        for (int round = 0; round < 3; round++) {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (WorkflowManager m : List.of(manager, other, manager, other)) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    m.process(jobs.active());
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            UnifiedJob a = childOf(wf, 31);
            if (round == 0 && a != null && a.status() == JobStatus.PENDING) {
                finish(a, JobStatus.SUCCESSFUL);
            }
        }
        assertThat(jobs.ofTemplate(10, 10)).as("node A ran once").hasSize(1);
        assertThat(jobs.ofTemplate(11, 10)).as("node B ran once").hasSize(1);
        assertThat(jobs.ofTemplate(12, 10)).as("node C never").isEmpty();
    }

    @Test
    void anApprovalThatNobodyAnswersExpiresAndTakesTheFailurePath() {
        resources.insert(new Resource(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, 40, Map.of("name", "Ship it?", "timeout", 60L)));
        resources.update(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, 31, new HashMap<>(Map.of("unified_job_template", 40L)));
        long wf = launch().id();
        pass();
        UnifiedJob approval = childOf(wf, 31);
        assertThat(approval.kind()).isEqualTo(JobKind.WORKFLOW_APPROVAL);
        assertThat(approval.status()).isEqualTo(JobStatus.PENDING);
        assertThat(approval.get("approval_expiration")).isEqualTo("2026-11-28T10:01:00.000000Z");

        clock.advance(java.time.Duration.ofSeconds(30));
        pass();
        assertThat(childOf(wf, 31).status()).as("not yet").isEqualTo(JobStatus.PENDING);

        clock.advance(java.time.Duration.ofSeconds(31));
        pass();
        UnifiedJob expired = childOf(wf, 31);
        assertThat(expired.status()).isEqualTo(JobStatus.FAILED);
        assertThat(expired.get("timed_out")).isEqualTo(true);
        assertThat(expired.jobExplanation()).isEqualTo("The approval node Ship it? (" + expired.id() + ") has expired after 60 seconds.");
        pass();
        assertThat(childOf(wf, 33)).as("the failure path runs").isNotNull();
        assertThat(manager.decide(expired.id(), true, admin)).isEqualTo(WorkflowManager.Decision.ALREADY_DECIDED);
    }

    @Test
    void aDeniedApprovalTakesTheFailurePath() {
        resources.insert(new Resource(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, 40, Map.of("name", "Ship it?", "timeout", 0L)));
        resources.update(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, 31, new HashMap<>(Map.of("unified_job_template", 40L)));
        long wf = launch().id();
        pass();
        assertThat(childOf(wf, 31).get("approval_expiration")).as("no timeout").isNull();
        assertThat(manager.decide(childOf(wf, 31).id(), false, admin)).isEqualTo(WorkflowManager.Decision.DONE);
        pass();
        assertThat(childOf(wf, 33)).isNotNull();
        assertThat(childOf(wf, 32)).isNull();
    }
}
