package dev.towerless.core.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowDagTest {

    private static WorkflowDag.Node node(long id, Long job, List<Long> success, List<Long> failure, List<Long> always,
                                         boolean all) {
        return new WorkflowDag.Node(id, 100L + id, success, failure, always, all, job, false);
    }

    private static List<Long> ids(WorkflowDag dag) {
        return dag.toRun().stream().map(WorkflowDag.Node::id).toList();
    }

    @Test
    void rootsRunFirstThenTheEdgeMatchingTheOutcome() {
        List<WorkflowDag.Node> nodes = List.of(node(1, null, List.of(2L), List.of(3L), List.of(), false),
                node(2, null, List.of(), List.of(), List.of(), false), node(3, null, List.of(), List.of(), List.of(), false));
        WorkflowDag start = new WorkflowDag(nodes, Map.of());
        start.markDoNotRun();
        assertThat(ids(start)).containsExactly(1L);
        assertThat(start.isDone()).isFalse();

        List<WorkflowDag.Node> afterA = List.of(node(1, 50L, List.of(2L), List.of(3L), List.of(), false),
                node(2, null, List.of(), List.of(), List.of(), false), node(3, null, List.of(), List.of(), List.of(), false));
        WorkflowDag failed = new WorkflowDag(afterA, Map.of(50L, JobStatus.FAILED));
        assertThat(failed.markDoNotRun()).containsExactly(2L);
        assertThat(ids(failed)).containsExactly(3L);
        assertThat(failed.hasFailed()).as("the failure has a handler").isFalse();
    }

    @Test
    void aFailureWithoutAHandlerFailsTheWorkflowOnceAllIsDone() {
        List<WorkflowDag.Node> nodes = List.of(node(1, 50L, List.of(2L), List.of(), List.of(), false),
                node(2, null, List.of(), List.of(), List.of(), false));
        WorkflowDag dag = new WorkflowDag(nodes, Map.of(50L, JobStatus.ERROR));
        dag.markDoNotRun();
        assertThat(ids(dag)).isEmpty();
        assertThat(dag.isDone()).isTrue();
        assertThat(dag.hasFailed()).isTrue();
    }

    @Test
    void allParentsMustConvergeWaitsForEveryParentAndFallsOutOnAnyMismatch() {
        List<WorkflowDag.Node> nodes = List.of(node(1, 50L, List.of(3L), List.of(), List.of(), false),
                node(2, 51L, List.of(3L), List.of(), List.of(), false), node(3, null, List.of(), List.of(), List.of(), true));
        WorkflowDag oneRunning = new WorkflowDag(nodes, Map.of(50L, JobStatus.SUCCESSFUL, 51L, JobStatus.RUNNING));
        oneRunning.markDoNotRun();
        assertThat(ids(oneRunning)).isEmpty();
        WorkflowDag both = new WorkflowDag(nodes, Map.of(50L, JobStatus.SUCCESSFUL, 51L, JobStatus.SUCCESSFUL));
        both.markDoNotRun();
        assertThat(ids(both)).containsExactly(3L);
        WorkflowDag mismatch = new WorkflowDag(nodes, Map.of(50L, JobStatus.FAILED, 51L, JobStatus.RUNNING));
        assertThat(mismatch.markDoNotRun()).as("decided before the other parent ends").containsExactly(3L);
    }

    @Test
    void anyConvergenceRunsWhenOneParentLeadsAndSkipsPropagateDownTheGraph() {
        List<WorkflowDag.Node> nodes = List.of(node(1, 50L, List.of(3L), List.of(), List.of(), false),
                node(2, 51L, List.of(), List.of(3L), List.of(), false), node(3, null, List.of(4L), List.of(), List.of(), false),
                node(4, null, List.of(), List.of(), List.of(), false));
        WorkflowDag oneLeads = new WorkflowDag(nodes, Map.of(50L, JobStatus.SUCCESSFUL, 51L, JobStatus.SUCCESSFUL));
        oneLeads.markDoNotRun();
        assertThat(ids(oneLeads)).containsExactly(3L);
        WorkflowDag none = new WorkflowDag(nodes, Map.of(50L, JobStatus.FAILED, 51L, JobStatus.SUCCESSFUL));
        assertThat(none.markDoNotRun()).containsExactlyInAnyOrder(3L, 4L);
        assertThat(none.isDone()).isTrue();
    }

    @Test
    void aNodeWhoseTemplateWasDeletedTakesItsFailurePath() {
        List<WorkflowDag.Node> nodes = List.of(new WorkflowDag.Node(1, null, List.of(2L), List.of(3L), List.of(), false, null, false),
                node(2, null, List.of(), List.of(), List.of(), false), node(3, null, List.of(), List.of(), List.of(), false));
        WorkflowDag dag = new WorkflowDag(nodes, Map.of());
        assertThat(dag.markDoNotRun()).containsExactly(2L);
        assertThat(ids(dag)).containsExactly(3L);
    }
}
