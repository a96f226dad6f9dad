package dev.towerless.core.workflows;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchPrompts;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.launch.WakeMessage;
import dev.towerless.core.ports.ConflictException;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.Topic;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.ValidationException;
import dev.towerless.core.resources.VariablesCodec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs workflow jobs (AWX's workflow manager), inside each task-manager pass and so under its
 * lease: starts pending workflow jobs (no capacity, one at a time per template unless
 * {@code allow_simultaneous}), and advances running ones through their graph.
 *
 * <p>A workflow job keeps its nodes in its own item. A node's job id is claimed on that item
 * with one conditional write ({@code node_job_<node>}, set only if absent) before the job is
 * created under it: of two passes (or two task managers) advancing the same workflow, both end up
 * creating the same job, which exists once. A pass that dies between claim and creation leaves an
 * id without a job; the next pass creates it. So no node runs twice and none is lost.
 */
public final class WorkflowManager {
    public static final String NODES = "workflow_nodes";
    /** The claim of a node's job id on the workflow job: {@code node_job_<node id>}. */
    public static final String NODE_JOB = "node_job_";
    /** Workflow job nodes are numbered apart from jobs, as in AWX. */
    public static final String NODE_SEQUENCE = "workflow_job_node";
    public static final String FAILED_EXPLANATION = "No error handling paths found, marking workflow as failed";
    private static final Logger LOG = Logger.getLogger(WorkflowManager.class.getName());

    private final JobStore jobs;
    private final ResourceStore resources;
    private final LaunchService launches;
    private final VariablesCodec variables;
    private final Topic lifecycle;
    private final Clock clock;
    private final LongConsumer cancelJob;

    /** {@code cancelJob} cancels one spawned job (AWX's cancel: flag, or at once if it has not started). */
    public WorkflowManager(JobStore jobs, ResourceStore resources, LaunchService launches, VariablesCodec variables,
                           Topic lifecycle, Clock clock, LongConsumer cancelJob) {
        this.jobs = jobs;
        this.resources = resources;
        this.launches = launches;
        this.variables = variables;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.cancelJob = cancelJob;
    }

    /** Starts and advances the workflow jobs among {@code active}, expires approvals; returns how many changed. */
    public int process(List<UnifiedJob> active) {
        int expired = 0;
        for (UnifiedJob approval : active) {
            if (approval.kind() == JobKind.WORKFLOW_APPROVAL && expired(approval)) {
                expired++;
            }
        }
        List<UnifiedJob> workflows = active.stream().filter(j -> j.kind() == JobKind.WORKFLOW_JOB).toList();
        if (workflows.isEmpty()) {
            return expired;
        }
        int changed = expired;
        Set<Long> busyTemplates = new java.util.HashSet<>();
        workflows.stream().filter(w -> w.status() == JobStatus.RUNNING && !simultaneous(w))
                .forEach(w -> w.longField(JobFields.UNIFIED_JOB_TEMPLATE).ifPresent(busyTemplates::add));
        for (UnifiedJob w : workflows) {
            UnifiedJob current = w;
            if (w.status() == JobStatus.PENDING) {
                long template = w.longField(JobFields.UNIFIED_JOB_TEMPLATE).orElse(-1L);
                if (!simultaneous(w) && !busyTemplates.add(template)) {
                    continue; // another run of this template is in progress
                }
                Optional<UnifiedJob> started = jobs.updateIfStatus(w.id(), JobStatus.PENDING,
                        JobTransitions.changesFor(w, JobStatus.RUNNING, clock.instant()));
                if (started.isEmpty()) {
                    continue;
                }
                announce(WakeMessage.jobStarted(w.id()));
                current = started.get();
                changed++;
            }
            if (current.status() == JobStatus.RUNNING) {
                try {
                    if (advance(current)) {
                        changed++;
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "could not advance workflow job " + w.id() + "; the next pass retries", e);
                }
            }
        }
        return changed;
    }

    /** One step of a running workflow job; true if anything changed. */
    boolean advance(UnifiedJob workflow) {
        List<Map<String, Object>> nodes = nodesOf(workflow);
        List<Long> childIds = nodes.stream().map(n -> (Number) n.get("job")).filter(java.util.Objects::nonNull)
                .map(Number::longValue).toList();
        Map<Long, UnifiedJob> children = jobs.findMany(childIds);
        // Ids recorded by a pass that died before creating the job: create it now.
        Set<Long> gone = new java.util.HashSet<>();
        for (Map<String, Object> n : nodes) {
            if (n.get("job") instanceof Number id && !children.containsKey(id.longValue())) {
                Optional<Resource> template = template(number(n.get("unified_job_template")));
                Optional<UnifiedJob> created = template.flatMap(t -> spawn(workflow, n, t, id.longValue(),
                        ancestorArtifacts(n, nodes, children)));
                if (created.isPresent()) {
                    children.put(id.longValue(), created.get());
                } else {
                    gone.add(((Number) n.get("id")).longValue());
                }
            }
        }
        if (workflow.cancelFlag()) {
            return cancel(workflow, nodes, children);
        }
        Map<Long, JobStatus> statuses = new HashMap<>();
        children.forEach((id, j) -> statuses.put(id, j.status()));
        WorkflowDag dag = new WorkflowDag(nodes.stream().map(WorkflowManager::node).toList(), statuses);
        Set<Long> skipped = dag.markDoNotRun();
        List<WorkflowDag.Node> toRun = dag.toRun();
        Map<Long, Long> assigned = new LinkedHashMap<>();
        Map<Long, Resource> templates = new HashMap<>();
        for (WorkflowDag.Node n : toRun) {
            Optional<Resource> template = template(n.template());
            if (template.isEmpty()) {
                gone.add(n.id()); // the template was deleted: the node now counts as failed
            } else {
                templates.put(n.id(), template.get());
                assigned.put(n.id(), resources.nextId(LaunchService.JOB_SEQUENCE));
            }
        }
        if (!skipped.isEmpty() || !gone.isEmpty()) {
            List<Map<String, Object>> updated = new ArrayList<>();
            for (Map<String, Object> n : nodes) {
                Map<String, Object> copy = new LinkedHashMap<>(n);
                long id = ((Number) n.get("id")).longValue();
                if (skipped.contains(id)) {
                    copy.put("do_not_run", true);
                }
                if (gone.contains(id)) {
                    copy.put("unified_job_template", null);
                }
                copy.remove("job"); // jobs live in their claims, never in this list
                updated.add(copy);
            }
            // Marks only ever get added, and a racing pass computes the same ones, so a plain
            // status-guarded write is enough here.
            if (jobs.updateIfStatus(workflow.id(), JobStatus.RUNNING, Map.of(NODES, updated)).isEmpty()) {
                return false; // canceled or ended meanwhile; the next pass sees it
            }
        }
        for (Map<String, Object> n : nodes) {
            long id = ((Number) n.get("id")).longValue();
            if (assigned.containsKey(id)) {
                Optional<UnifiedJob> claimed = jobs.setIfAbsent(workflow.id(), NODE_JOB + id, assigned.get(id));
                Optional<Long> winner = claimed.flatMap(w -> w.longField(NODE_JOB + id));
                if (winner.isPresent()) {
                    spawn(workflow, n, templates.get(id), winner.get(), ancestorArtifacts(n, nodes, children));
                }
            }
        }
        if (!gone.isEmpty()) {
            return true; // evaluate the failure paths of those nodes on the next pass
        }
        if (assigned.isEmpty() && dag.isDone()) {
            boolean failed = dag.hasFailed();
            finish(workflow, failed ? JobStatus.FAILED : JobStatus.SUCCESSFUL, failed ? FAILED_EXPLANATION : "");
            return true;
        }
        return !skipped.isEmpty() || !assigned.isEmpty();
    }

    /** AWX's workflow cancel: nothing new starts, every spawned job is canceled, then the workflow ends canceled. */
    private boolean cancel(UnifiedJob workflow, List<Map<String, Object>> nodes, Map<Long, UnifiedJob> children) {
        boolean activeChildren = false;
        for (UnifiedJob child : children.values()) {
            if (child.status().isActive()) {
                activeChildren = true;
                if (!child.cancelFlag()) {
                    cancelJob.accept(child.id());
                }
            }
        }
        if (activeChildren) {
            return false; // their endings wake the next pass
        }
        List<Map<String, Object>> updated = new ArrayList<>();
        for (Map<String, Object> n : nodes) {
            Map<String, Object> copy = new LinkedHashMap<>(n);
            if (copy.get("job") == null) {
                copy.put("do_not_run", true);
            }
            copy.remove("job");
            updated.add(copy);
        }
        Map<String, Object> changes = new LinkedHashMap<>(JobTransitions.changesFor(workflow, JobStatus.CANCELED, clock.instant()));
        changes.put(NODES, updated);
        if (jobs.updateIfStatus(workflow.id(), JobStatus.RUNNING, changes).isPresent()) {
            announce(WakeMessage.jobFinished(workflow.id(), JobStatus.CANCELED.apiName()));
            return true;
        }
        return false;
    }

    private void finish(UnifiedJob workflow, JobStatus status, String explanation) {
        Map<String, Object> changes = JobTransitions.changesFor(workflow, status, clock.instant(),
                Map.of(JobFields.JOB_EXPLANATION, explanation));
        if (jobs.updateIfStatus(workflow.id(), JobStatus.RUNNING, changes).isPresent()) {
            announce(WakeMessage.jobFinished(workflow.id(), status.apiName()));
        }
    }

    /** Creates a node's job under its recorded id; a job already there (a retried pass) is left alone. */
    @SuppressWarnings("unchecked")
    private Optional<UnifiedJob> spawn(UnifiedJob workflow, Map<String, Object> node, Resource t, long jobId,
                                       Map<String, Object> artifacts) {
        long nodeId = ((Number) node.get("id")).longValue();
        Origin origin = Origin.workflow(workflow, nodeId, jobId);
        Map<String, Object> extra = new LinkedHashMap<>();
        if (node.get("extra_data") instanceof Map<?, ?> data) {
            extra.putAll((Map<String, Object>) data);
        }
        // Ancestors' set_stats beat the node's prompts; the workflow's own variables beat both (AWX §7.6).
        extra.putAll(artifacts);
        extra.putAll(variables.parse(workflow.string(JobFields.EXTRA_VARS).orElse("")));
        try {
            UnifiedJob job = switch (t.type()) {
                case ResourceTypes.JOB_TEMPLATE -> {
                    LaunchPrompts prompts = new LaunchPrompts(extra.isEmpty() ? null : extra,
                            prompt(workflow, node, JobFields.LIMIT), (String) node.get("job_type"),
                            number(node.get("verbosity")), number(node.get("forks")),
                            Optional.ofNullable(workflow.longField(JobFields.INVENTORY).orElse(null))
                                    .orElse(number(node.get("inventory"))),
                            node.get("credentials") instanceof List<?> c && !c.isEmpty()
                                    ? c.stream().map(x -> ((Number) x).longValue()).toList() : null)
                            .withMore(LaunchPrompts.moreFrom(node));
                    List<String> missing = launches.resourcesNeededToStart(t, prompts);
                    yield missing.isEmpty() ? launches.launchJobTemplate(t, prompts, origin).job()
                            : refused(t, JobKind.JOB, origin, String.join(" ", missing));
                }
                case ResourceTypes.PROJECT -> launches.updateProject(t, origin);
                case ResourceTypes.INVENTORY_SOURCE -> launches.updateInventorySource(t, origin);
                case ResourceTypes.SYSTEM_JOB_TEMPLATE -> launches.launchSystemJob(t, extra, origin);
                case ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE -> launches.insertApproval(t, origin);
                case ResourceTypes.WORKFLOW_JOB_TEMPLATE -> refused(t, JobKind.WORKFLOW_JOB, origin,
                        "Towerless does not run a workflow inside another workflow yet.");
                default -> refused(t, JobKind.JOB, origin, "This node's template cannot be run by a workflow.");
            };
            return Optional.of(job);
        } catch (ConflictException e) {
            return jobs.find(jobId); // created by an earlier attempt
        } catch (ValidationException | IllegalArgumentException e) {
            return Optional.of(refused(t, JobKind.JOB, origin, e.getMessage()));
        }
    }

    /**
     * What a node's ancestors published (AWX's ancestor artifacts): each parent's own ancestors'
     * then its job's artifacts, parents in id order, later ones winning.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> ancestorArtifacts(Map<String, Object> node, List<Map<String, Object>> nodes,
                                                         Map<Long, UnifiedJob> children) {
        long id = ((Number) node.get("id")).longValue();
        Map<String, Object> out = new LinkedHashMap<>();
        nodes.stream().filter(p -> List.of("success_nodes", "failure_nodes", "always_nodes").stream()
                        .anyMatch(e -> ids(p.get(e)).contains(id)))
                .sorted(java.util.Comparator.comparingLong(p -> ((Number) p.get("id")).longValue()))
                .forEach(parent -> {
                    out.putAll(ancestorArtifacts(parent, nodes, children));
                    UnifiedJob job = parent.get("job") instanceof Number j ? children.get(j.longValue()) : null;
                    if (job != null && job.get(JobFields.ARTIFACTS) instanceof Map<?, ?> a) {
                        out.putAll((Map<String, Object>) a);
                    }
                });
        return out;
    }

    private UnifiedJob refused(Resource template, JobKind kind, Origin origin, String why) {
        UnifiedJob job = launches.refused(template, kind, origin, why);
        announce(WakeMessage.jobFinished(job.id(), JobStatus.FAILED.apiName()));
        return job;
    }

    /** AWX's approval timeout: a pending approval past its expiration fails, {@code timed_out}. */
    private boolean expired(UnifiedJob approval) {
        Optional<String> expiration = approval.string("approval_expiration");
        if (approval.status() != JobStatus.PENDING || expiration.isEmpty()
                || java.time.Instant.parse(expiration.get()).isAfter(clock.instant())) {
            return false;
        }
        String why = "The approval node " + approval.name() + " (" + approval.id() + ") has expired after "
                + approval.longField("timeout").orElse(0L) + " seconds.";
        Map<String, Object> changes = new LinkedHashMap<>(JobTransitions.changesFor(approval, JobStatus.FAILED, clock.instant(),
                Map.of(JobFields.JOB_EXPLANATION, why, "timed_out", true, "can_approve_or_deny", false)));
        if (jobs.updateIfStatus(approval.id(), JobStatus.PENDING, changes).isPresent()) {
            announce(WakeMessage.jobFinished(approval.id(), JobStatus.FAILED.apiName()));
            return true;
        }
        return false;
    }

    /** The outcome of an approve or deny. */
    public enum Decision { DONE, ALREADY_DECIDED, NOT_FOUND }

    /** Approves (successful) or denies (failed) a pending approval, once; the workflow moves on at its next pass. */
    public Decision decide(long approvalId, boolean approve, Resource user) {
        Optional<UnifiedJob> found = jobs.find(approvalId).filter(j -> j.kind() == JobKind.WORKFLOW_APPROVAL);
        if (found.isEmpty()) {
            return Decision.NOT_FOUND;
        }
        UnifiedJob approval = found.get();
        if (approval.status() != JobStatus.PENDING) {
            return Decision.ALREADY_DECIDED;
        }
        JobStatus to = approve ? JobStatus.SUCCESSFUL : JobStatus.FAILED;
        Map<String, Object> changes = new LinkedHashMap<>(JobTransitions.changesFor(approval, to, clock.instant(),
                Map.of("can_approve_or_deny", false, "approved_or_denied_by", Map.of("id", user.id(), "username", user.name()))));
        if (jobs.updateIfStatus(approvalId, JobStatus.PENDING, changes).isEmpty()) {
            return Decision.ALREADY_DECIDED;
        }
        announce(WakeMessage.jobFinished(approvalId, to.apiName()));
        return Decision.DONE;
    }

    private static boolean simultaneous(UnifiedJob workflow) {
        return Boolean.TRUE.equals(workflow.get(JobFields.ALLOW_SIMULTANEOUS));
    }

    /**
     * A workflow job from its template: the template's nodes copied with fresh ids (edges
     * remapped), the template's variables merged with the launch's, the launch's prompts.
     */
    public UnifiedJob launch(Resource template, Map<String, Object> extraVars, String limit, Long inventory, Origin origin) {
        List<Resource> templateNodes = resources.where(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "workflow_job_template",
                template.id()).stream().sorted(java.util.Comparator.comparingLong(Resource::id)).toList();
        Map<Long, Long> ids = new HashMap<>();
        for (Resource n : templateNodes) {
            ids.put(n.id(), resources.nextId(NODE_SEQUENCE));
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Resource n : templateNodes) {
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("id", ids.get(n.id()));
            copy.put("template_node", n.id());
            copy.put("identifier", n.get("identifier"));
            copy.put("unified_job_template", n.get("unified_job_template"));
            for (String edge : List.of("success_nodes", "failure_nodes", "always_nodes")) {
                copy.put(edge, n.references(edge).stream().map(ids::get).filter(java.util.Objects::nonNull).toList());
            }
            copy.put("all_parents_must_converge", n.flag("all_parents_must_converge"));
            for (String prompt : List.of("extra_data", "inventory", "limit", "job_type", "verbosity", "forks", "scm_branch",
                    "job_tags", "skip_tags", "diff_mode", "timeout", "credentials")) {
                if (n.get(prompt) != null) {
                    copy.put(prompt, n.get(prompt));
                }
            }
            copy.put("do_not_run", false);
            nodes.add(copy);
        }
        Map<String, Object> vars = new LinkedHashMap<>(variables.parse(template.string(JobFields.EXTRA_VARS).orElse("")));
        if (extraVars != null) {
            vars.putAll(extraVars);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(JobFields.UNIFIED_JOB_TEMPLATE, template.id());
        f.put(JobFields.LABELS, template.references(JobFields.LABELS));
        f.put("workflow_job_template", template.id());
        f.put(JobFields.ORGANIZATION, template.get("organization"));
        f.put(JobFields.EXTRA_VARS, variables.toJson(vars));
        f.put(JobFields.INVENTORY, inventory != null ? inventory : template.get("inventory"));
        f.put(JobFields.LIMIT, limit != null ? limit : template.get("limit"));
        f.put(JobFields.ALLOW_SIMULTANEOUS, template.flag("allow_simultaneous"));
        f.put(JobFields.TASK_IMPACT, 0L);
        f.put(NODES, nodes);
        return launches.insertWorkflowJob(template.name(), f, origin);
    }

    /**
     * AWX's bulk job launch: a workflow job with no template whose nodes are the given jobs, each
     * with its own prompts and no edges between them, so they all start at once.
     */
    public UnifiedJob launchBulk(String name, List<Map<String, Object>> jobs, Map<String, Object> extraVars, Long organization,
                                 Long inventory, String limit, Origin origin) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Map<String, Object> j : jobs) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", resources.nextId(NODE_SEQUENCE));
            node.put("identifier", j.getOrDefault("identifier", java.util.UUID.randomUUID().toString()));
            node.put("unified_job_template", j.get("unified_job_template"));
            for (String edge : List.of("success_nodes", "failure_nodes", "always_nodes")) {
                node.put(edge, List.of());
            }
            node.put("all_parents_must_converge", false);
            for (String prompt : List.of("extra_data", "inventory", "limit", "job_type", "verbosity", "forks", "scm_branch",
                    "job_tags", "skip_tags", "diff_mode", "timeout", "credentials", "labels", "execution_environment", "job_slice_count")) {
                if (j.get(prompt) != null) {
                    node.put(prompt, j.get(prompt));
                }
            }
            node.put("do_not_run", false);
            nodes.add(node);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(JobFields.UNIFIED_JOB_TEMPLATE, null);
        f.put("is_bulk_job", true);
        f.put(JobFields.ORGANIZATION, organization);
        f.put(JobFields.EXTRA_VARS, variables.toJson(extraVars == null ? Map.of() : extraVars));
        f.put(JobFields.INVENTORY, inventory);
        f.put(JobFields.LIMIT, limit);
        f.put(JobFields.ALLOW_SIMULTANEOUS, true);
        f.put(JobFields.TASK_IMPACT, 0L);
        f.put(NODES, nodes);
        return launches.insertWorkflowJob(name, f, origin);
    }

    /** AWX's workflow relaunch: the same nodes and variables as {@code original}, run again from the start. */
    public UnifiedJob relaunch(UnifiedJob original, Origin origin) {
        Map<Long, Long> ids = new HashMap<>();
        List<Map<String, Object>> originalNodes = nodesOf(original);
        for (Map<String, Object> n : originalNodes) {
            ids.put(((Number) n.get("id")).longValue(), resources.nextId(NODE_SEQUENCE));
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Map<String, Object> n : originalNodes) {
            Map<String, Object> copy = new LinkedHashMap<>(n);
            copy.put("id", ids.get(((Number) n.get("id")).longValue()));
            for (String edge : List.of("success_nodes", "failure_nodes", "always_nodes")) {
                copy.put(edge, ids(n.get(edge)).stream().map(ids::get).toList());
            }
            copy.remove("job");
            copy.put("do_not_run", false);
            nodes.add(copy);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        for (String field : List.of(JobFields.UNIFIED_JOB_TEMPLATE, "workflow_job_template", JobFields.ORGANIZATION,
                JobFields.EXTRA_VARS, JobFields.INVENTORY, JobFields.LIMIT, JobFields.ALLOW_SIMULTANEOUS)) {
            f.put(field, original.get(field));
        }
        f.put(JobFields.TASK_IMPACT, 0L);
        f.put(NODES, nodes);
        return launches.insertWorkflowJob(original.name(), f, origin);
    }

    /** A workflow-level prompt beats the node's (AWX §7.6). */
    private static String prompt(UnifiedJob workflow, Map<String, Object> node, String field) {
        return workflow.string(field).orElse((String) node.get(field));
    }

    private static Long number(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    private Optional<Resource> template(Long id) {
        return id == null ? Optional.empty() : dev.towerless.core.resources.UnifiedJobTemplates.find(resources, id);
    }

    private void announce(String message) {
        try {
            lifecycle.publish(message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not publish " + message, e);
        }
    }

    /** A workflow job's nodes, each with its {@code job} (the claimed id, or null before it starts). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> nodesOf(UnifiedJob workflow) {
        if (!(workflow.get(NODES) instanceof List<?> l)) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) {
            Map<String, Object> n = new LinkedHashMap<>((Map<String, Object>) o);
            n.put("job", workflow.longField(NODE_JOB + ((Number) n.get("id")).longValue()).orElse(null));
            out.add(n);
        }
        return out;
    }

    private static WorkflowDag.Node node(Map<String, Object> n) {
        return new WorkflowDag.Node(((Number) n.get("id")).longValue(), number(n.get("unified_job_template")),
                ids(n.get("success_nodes")), ids(n.get("failure_nodes")), ids(n.get("always_nodes")),
                Boolean.TRUE.equals(n.get("all_parents_must_converge")), number(n.get("job")),
                Boolean.TRUE.equals(n.get("do_not_run")));
    }

    private static List<Long> ids(Object o) {
        return o instanceof List<?> l ? l.stream().map(x -> ((Number) x).longValue()).toList() : List.of();
    }
}
