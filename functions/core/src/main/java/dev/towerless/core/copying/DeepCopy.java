package dev.towerless.core.copying;

import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.access.Memberships;
import dev.towerless.core.access.UnifiedJobTemplateAccess;
import dev.towerless.core.background.ResourceTask;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.ports.LeaseStore;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.VariablesCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * AWX's deep copy (CopyAPIView, deep_copy_model_obj): the request makes the new top-level object
 * and answers 201 with it; its sub-objects are copied here, in the background. An inventory's
 * hosts, groups (their variables, hosts and children mapped onto the copies) as AWX's
 * FIELDS_TO_PRESERVE_AT_COPY; a workflow's nodes and edges, each node keeping only what the copier
 * may use (AWX's deep_copy_permission_check_func). Each copied object records what it was copied
 * from, so a redelivered message copies only what is still missing; one copy at a time per target
 * (a lease), and the target says it is pending until its copy is done.
 */
public final class DeepCopy {
    /** On the new object while its sub-objects are being copied (never shown); the nightly sweep resumes these. */
    public static final String PENDING = "deep_copy_pending";
    public static final String SOURCE = "deep_copy_source";
    public static final String COPIER = "deep_copy_user";
    /** On every copied sub-object: the id of the one it was copied from. */
    public static final String COPIED_FROM = "copied_from";
    /** What a copy of a top-level object must not take from it. */
    public static final List<String> MARKERS = List.of(PENDING, SOURCE, COPIER, COPIED_FROM);
    private static final List<String> EDGES = List.of("success_nodes", "failure_nodes", "always_nodes");
    private static final Duration LEASE = Duration.ofMinutes(2);
    /**
     * Objects one delivery creates at most. A 1,000-host inventory took 94 s to copy in one delivery
     * on the local stack (two store calls per object), more than one Lambda invocation should hold a
     * message; 250 take about a quarter of that. The rest is a follow-up message: every copied object
     * records its original, so the next delivery starts where this one stopped.
     */
    public static final int OBJECTS_PER_DELIVERY = 250;
    private static final Logger LOG = Logger.getLogger(DeepCopy.class.getName());

    private final ResourceStore resources;
    private final Memberships memberships;
    private final LeaseStore leases;
    private final MessageQueue tasks;
    private final VariablesCodec codec;
    private final Clock clock;
    private final int objectsPerDelivery;

    public DeepCopy(ResourceStore resources, Memberships memberships, LeaseStore leases, MessageQueue tasks, VariablesCodec codec,
                    Clock clock) {
        this(resources, memberships, leases, tasks, codec, clock, OBJECTS_PER_DELIVERY);
    }

    DeepCopy(ResourceStore resources, Memberships memberships, LeaseStore leases, MessageQueue tasks, VariablesCodec codec,
             Clock clock, int objectsPerDelivery) {
        this.objectsPerDelivery = objectsPerDelivery;
        this.resources = resources;
        this.memberships = memberships;
        this.leases = leases;
        this.tasks = tasks;
        this.codec = codec;
        this.clock = clock;
    }

    /** Whether this type has sub-objects a deep copy takes along. */
    public static boolean hasSubObjects(String type) {
        return ResourceTypes.INVENTORY.equals(type) || ResourceTypes.WORKFLOW_JOB_TEMPLATE.equals(type);
    }

    /** Marks the new object pending and hands its sub-objects to the background. */
    public void schedule(Resource original, Resource copy, long user) {
        resources.update(copy.type(), copy.id(), Map.of(PENDING, true, SOURCE, original.id(), COPIER, user));
        tasks.send(ResourceTask.copy(copy.type(), original.id(), copy.id(), user).toJson(codec));
    }

    /**
     * The background half: copies what is still missing of {@code from}'s sub-objects into
     * {@code to}, then clears the pending mark. False if another delivery holds the copy (retry later).
     * At most {@link #OBJECTS_PER_DELIVERY} objects per call: past that it sends the task again for
     * the rest and leaves the mark.
     */
    public boolean copySubObjects(String type, long from, long to, long user) {
        Optional<Resource> target = resources.get(type, to);
        Optional<Resource> original = resources.get(type, from);
        if (target.isEmpty() || !target.get().flag(PENDING)) {
            return true; // done already, or the copy was deleted meanwhile
        }
        String lease = "deep-copy-" + type + "-" + to;
        String holder = "copy-" + java.util.UUID.randomUUID();
        if (!leases.tryAcquire(lease, holder, LEASE)) {
            return false;
        }
        try {
            int[] budget = {objectsPerDelivery};
            boolean complete = true;
            if (original.isPresent()) {
                if (ResourceTypes.INVENTORY.equals(type)) {
                    complete = copyInventory(original.get(), target.get(), budget);
                } else if (ResourceTypes.WORKFLOW_JOB_TEMPLATE.equals(type)) {
                    Resource copier = resources.get(ResourceTypes.USER, user).orElse(null);
                    complete = copyWorkflow(original.get(), target.get(), copier == null ? null : memberships.accessFor(copier, true),
                            budget);
                }
            }
            if (!complete) {
                tasks.send(ResourceTask.copy(type, from, to, user).toJson(codec));
                LOG.info(() -> "deep copy of " + type + " " + from + " into " + to + ": " + objectsPerDelivery
                        + " objects copied, the rest follows in the next delivery");
                return true;
            }
            Map<String, Object> done = new HashMap<>();
            done.put(PENDING, null);
            done.put(SOURCE, null);
            done.put(COPIER, null);
            resources.update(type, to, done);
            LOG.info(() -> "deep copy of " + type + " " + from + " into " + to + " done");
            return true;
        } finally {
            leases.release(lease, holder);
        }
    }

    /** The nightly fail-safe: finishes every copy whose message never arrived. */
    public int resumePending() {
        int n = 0;
        for (String type : List.of(ResourceTypes.INVENTORY, ResourceTypes.WORKFLOW_JOB_TEMPLATE)) {
            for (Resource r : resources.where(type, PENDING, true)) {
                copySubObjects(type, r.reference(SOURCE).orElse(-1L), r.id(), r.reference(COPIER).orElse(-1L));
                n++;
            }
        }
        return n;
    }

    /** False while hosts or groups remain to be copied (the budget ran out); the links are set once all exist. */
    private boolean copyInventory(Resource original, Resource copy, int[] budget) {
        Map<Long, Long> hostIds = copyAll(ResourceTypes.HOST, "inventory", original.id(), copy.id(), (h, f) -> { }, budget);
        if (hostIds == null) {
            return false;
        }
        Map<Long, Long> groupIds = copyAll(ResourceTypes.GROUP, "inventory", original.id(), copy.id(), (g, f) -> {
            f.put("hosts", List.of());
            f.put("children", List.of());
        }, budget);
        if (groupIds == null) {
            return false;
        }
        for (Resource g : resources.where(ResourceTypes.GROUP, "inventory", original.id())) {
            resources.update(ResourceTypes.GROUP, groupIds.get(g.id()), Map.of(
                    "hosts", mapped(g.references("hosts"), hostIds),
                    "children", mapped(g.references("children"), groupIds)));
        }
        return true;
    }

    private boolean copyWorkflow(Resource original, Resource copy, Access copier, int[] budget) {
        Map<Long, Long> ids = copyAll(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "workflow_job_template", original.id(), copy.id(),
                (n, f) -> {
                    EDGES.forEach(e -> f.put(e, List.of()));
                    keepOnlyWhatTheCopierMayUse(n, f, copier);
                }, budget);
        if (ids == null) {
            return false;
        }
        for (Resource n : resources.where(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "workflow_job_template", original.id())) {
            Map<String, Object> edges = new LinkedHashMap<>();
            EDGES.forEach(e -> edges.put(e, mapped(n.references(e), ids)));
            resources.update(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, ids.get(n.id()), edges);
        }
        return true;
    }

    /**
     * AWX's WorkflowJobTemplateCopy.deep_copy_permission_check_func: a node's template stays only
     * if the copier may start it, its inventory and credentials only if they may use them; an
     * approval node gets an approval template of its own.
     */
    private void keepOnlyWhatTheCopierMayUse(Resource node, Map<String, Object> f, Access copier) {
        Object template = node.get("unified_job_template");
        if (template instanceof Number t) {
            Optional<Resource> ujt = template(t.longValue());
            if (ujt.isPresent() && ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE.equals(ujt.get().type())) {
                Map<String, Object> approval = new LinkedHashMap<>(ujt.get().fields());
                approval.putAll(stamps());
                f.put("unified_job_template", resources.create(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, approval).id());
            } else if (copier == null || ujt.isEmpty() || !UnifiedJobTemplateAccess.canStart(copier, ujt.get())) {
                f.put("unified_job_template", null);
            }
        }
        Optional<Long> inventory = node.reference("inventory");
        if (inventory.isPresent() && (copier == null || resources.get(ResourceTypes.INVENTORY, inventory.get())
                .filter(i -> AccessPolicies.INVENTORIES.canUse(copier, i)).isEmpty())) {
            f.put("inventory", null);
        }
        if (!node.references("credentials").isEmpty()) {
            f.put("credentials", resources.getMany(ResourceTypes.CREDENTIAL, node.references("credentials")).values().stream()
                    .filter(c -> copier != null && AccessPolicies.CREDENTIALS.canUse(copier, c)).map(Resource::id).sorted().toList());
        }
    }

    /**
     * Copies every {@code type} under {@code parentField = from} into {@code to} that has no copy
     * there yet, each taking one of {@code budget}; returns original id → copy id for all of them
     * (those copied earlier included), or null if the budget ran out first.
     */
    private Map<Long, Long> copyAll(String type, String parentField, long from, long to,
                                    java.util.function.BiConsumer<Resource, Map<String, Object>> adjust, int[] budget) {
        Map<Long, Long> ids = new HashMap<>();
        for (Resource existing : resources.where(type, parentField, to)) {
            existing.reference(COPIED_FROM).ifPresent(o -> ids.put(o, existing.id()));
        }
        for (Resource r : resources.where(type, parentField, from)) {
            if (ids.containsKey(r.id())) {
                continue;
            }
            if (budget[0] <= 0) {
                return null;
            }
            budget[0]--;
            Map<String, Object> f = new LinkedHashMap<>(r.fields());
            f.put(parentField, to);
            f.put(COPIED_FROM, r.id());
            adjust.accept(r, f);
            f.putAll(stamps());
            ids.put(r.id(), resources.create(type, f).id());
        }
        return ids;
    }

    private Optional<Resource> template(long id) {
        for (String type : ResourceTypes.UNIFIED_JOB_TEMPLATES) {
            Optional<Resource> r = resources.get(type, id);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    private static List<Long> mapped(List<Long> ids, Map<Long, Long> onto) {
        return ids.stream().map(onto::get).filter(Objects::nonNull).toList();
    }

    private Map<String, Object> stamps() {
        String now = Timestamps.format(clock.instant());
        return Map.of("created", now, "modified", now);
    }

    /**
     * AWX's WorkflowJobTemplateCopy GET: whether the caller may copy, and the node templates,
     * credentials and inventories they could not take along (by name), which make the copy one
     * that needs their input.
     */
    public static Map<String, Object> workflowCopyCheck(ResourceStore resources, Access access, Resource workflow, boolean canCopy) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("can_copy", canCopy);
        out.put("can_copy_without_user_input", canCopy);
        out.put("templates_unable_to_copy", canCopy ? List.of() : List.of("all"));
        out.put("credentials_unable_to_copy", canCopy ? List.of() : List.of("all"));
        out.put("inventories_unable_to_copy", canCopy ? List.of() : List.of("all"));
        if (!canCopy) {
            return out;
        }
        List<String> templates = new ArrayList<>();
        List<String> credentials = new ArrayList<>();
        List<String> inventories = new ArrayList<>();
        for (Resource node : resources.where(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "workflow_job_template", workflow.id())) {
            node.reference("inventory").flatMap(i -> resources.get(ResourceTypes.INVENTORY, i))
                    .filter(i -> !AccessPolicies.INVENTORIES.canUse(access, i)).ifPresent(i -> inventories.add(i.name()));
            resources.getMany(ResourceTypes.CREDENTIAL, node.references("credentials")).values().stream()
                    .filter(c -> !AccessPolicies.CREDENTIALS.canUse(access, c)).forEach(c -> credentials.add(c.name()));
            node.reference("unified_job_template").flatMap(t -> UnifiedJobTemplateAccess.find(access, t))
                    .filter(t -> !UnifiedJobTemplateAccess.canStart(access, t)).ifPresent(t -> templates.add(t.name()));
        }
        boolean needsInput = false;
        for (Map.Entry<String, List<String>> e : Map.of("templates_unable_to_copy", templates,
                "credentials_unable_to_copy", credentials, "inventories_unable_to_copy", inventories).entrySet()) {
            if (!e.getValue().isEmpty()) {
                out.put(e.getKey(), e.getValue());
                needsInput = true;
            }
        }
        if (needsInput) {
            out.put("can_copy_without_user_input", false);
        }
        return out;
    }
}
