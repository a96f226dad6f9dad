package dev.towerless.core.workflows;

import dev.towerless.core.jobs.JobStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AWX's workflow graph rules (research §7.3–7.5) over one snapshot of a workflow job's nodes and
 * their jobs' statuses: which nodes will never run ("do not run"), which run next, whether the
 * workflow is done and whether it failed.
 */
public final class WorkflowDag {

    /** One workflow job node: its template (null if deleted), edges to children, and its job. */
    public record Node(long id, Long template, List<Long> success, List<Long> failure, List<Long> always,
                       boolean allParentsMustConverge, Long job, boolean doNotRun) {
    }

    private enum Outcome { PENDING, SUCCESS, FAILURE, DO_NOT_RUN }

    private final Map<Long, Node> nodes = new LinkedHashMap<>();
    private final Map<Long, List<Long>> parents = new HashMap<>();
    private final Map<Long, JobStatus> jobStatuses;
    private final Set<Long> doNotRun = new HashSet<>();

    public WorkflowDag(List<Node> nodes, Map<Long, JobStatus> jobStatuses) {
        this.jobStatuses = jobStatuses;
        for (Node n : nodes) {
            this.nodes.put(n.id(), n);
            if (n.doNotRun()) {
                doNotRun.add(n.id());
            }
        }
        for (Node n : nodes) {
            for (List<Long> edges : List.of(n.success(), n.failure(), n.always())) {
                for (long child : edges) {
                    parents.computeIfAbsent(child, k -> new ArrayList<>()).add(n.id());
                }
            }
        }
    }

    private Outcome outcome(Node n) {
        if (doNotRun.contains(n.id())) {
            return Outcome.DO_NOT_RUN;
        }
        if (n.template() == null) {
            return Outcome.FAILURE; // a node whose template was deleted counts as failed
        }
        if (n.job() == null) {
            return Outcome.PENDING;
        }
        JobStatus s = jobStatuses.get(n.job());
        if (s == null || !s.isFinished()) {
            return Outcome.PENDING;
        }
        return s == JobStatus.SUCCESSFUL ? Outcome.SUCCESS : Outcome.FAILURE;
    }

    /** Whether a decided parent leads to {@code child}: success or always edges after success, failure or always after failure. */
    private boolean leads(Node parent, long child) {
        return switch (outcome(parent)) {
            case SUCCESS -> parent.success().contains(child) || parent.always().contains(child);
            case FAILURE -> parent.failure().contains(child) || parent.always().contains(child);
            default -> false;
        };
    }

    private List<Node> parentsOf(Node n) {
        return parents.getOrDefault(n.id(), List.of()).stream().map(nodes::get).toList();
    }

    /** Marks the nodes that can no longer run (to a fixed point) and returns the ones newly marked. */
    public Set<Long> markDoNotRun() {
        Set<Long> marked = new HashSet<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Node n : nodes.values()) {
                if (n.job() != null || doNotRun.contains(n.id()) || parentsOf(n).isEmpty()) {
                    continue;
                }
                if (cannotRun(n)) {
                    doNotRun.add(n.id());
                    marked.add(n.id());
                    changed = true;
                }
            }
        }
        return marked;
    }

    private boolean cannotRun(Node n) {
        List<Node> ps = parentsOf(n);
        if (n.allParentsMustConverge()) {
            // Decided as soon as one parent is out or went the other way.
            for (Node p : ps) {
                Outcome o = outcome(p);
                if (o == Outcome.DO_NOT_RUN || ((o == Outcome.SUCCESS || o == Outcome.FAILURE) && !leads(p, n.id()))) {
                    return true;
                }
            }
            return false;
        }
        for (Node p : ps) {
            if (outcome(p) == Outcome.PENDING) {
                return false; // a parent may still lead here
            }
        }
        return ps.stream().noneMatch(p -> leads(p, n.id()));
    }

    /** The nodes to launch now: reached through a matching edge, every relevant parent finished. */
    public List<Node> toRun() {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.job() != null || n.template() == null || doNotRun.contains(n.id())) {
                continue;
            }
            List<Node> ps = parentsOf(n);
            if (ps.isEmpty()) {
                out.add(n);
                continue;
            }
            boolean waiting = ps.stream().anyMatch(p -> outcome(p) == Outcome.PENDING);
            if (waiting) {
                continue;
            }
            boolean reached = n.allParentsMustConverge()
                    ? ps.stream().filter(p -> outcome(p) != Outcome.DO_NOT_RUN).allMatch(p -> leads(p, n.id()))
                    : ps.stream().anyMatch(p -> leads(p, n.id()));
            if (reached) {
                out.add(n);
            }
        }
        return out;
    }

    /** Done when every node that can run has a finished job. */
    public boolean isDone() {
        for (Node n : nodes.values()) {
            if (doNotRun.contains(n.id()) || n.template() == null) {
                continue;
            }
            if (n.job() == null || outcome(n) == Outcome.PENDING) {
                return false;
            }
        }
        return true;
    }

    /** AWX's verdict: failed iff some node failed and has no failure or always path to handle it. */
    public boolean hasFailed() {
        for (Node n : nodes.values()) {
            if (outcome(n) == Outcome.FAILURE && n.failure().isEmpty() && n.always().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
