package dev.towerless.core.deletion;

import dev.towerless.core.access.Memberships;
import dev.towerless.core.background.ResourceTask;
import dev.towerless.core.background.ResourceTask.Ref;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.VariablesCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Deletes as AWX 21.14.0 does ({@link Links}: its models' on_delete and its delete signals).
 * Objects that cascade go with the one deleted, references to them are cleared, their roles leave
 * every user and team; the deleted object itself goes last, so a delete interrupted half way is
 * finished by doing it again (at-least-once safe). An inventory is deleted in the background
 * (AWX's schedule_deletion and delete_inventory); jobs keep their history, their references to
 * deleted objects cleared by a background task, as AWX's SET_NULL on jobs.
 */
public final class Deletions {
    /** AWX's flag on an inventory whose deletion is under way. */
    public static final String PENDING_DELETION = "pending_deletion";
    private static final Logger LOG = Logger.getLogger(Deletions.class.getName());

    private final ResourceStore resources;
    private final JobStore jobs;
    private final EventStore events;
    private final Memberships memberships;
    private final MessageQueue tasks;
    private final VariablesCodec codec;

    public Deletions(ResourceStore resources, JobStore jobs, EventStore events, Memberships memberships, MessageQueue tasks,
                     VariablesCodec codec) {
        this.resources = resources;
        this.jobs = jobs;
        this.events = events;
        this.memberships = memberships;
        this.tasks = tasks;
        this.codec = codec;
    }

    /**
     * Deletes an object and what goes with it now, as AWX's DELETE does within its request, and
     * hands the job history to the background. An organization's inventories are scheduled for
     * deletion (AWX's delete_inventory_for_org signal). Returns what was deleted.
     */
    public List<Ref> delete(String type, long id, long user) {
        if (ResourceTypes.ORGANIZATION.equals(type)) {
            for (Resource inventory : resources.where(ResourceTypes.INVENTORY, "organization", id)) {
                scheduleInventoryDeletion(inventory, user);
            }
        }
        if (ResourceTypes.GROUP.equals(type)) {
            resources.get(type, id).ifPresent(this::moveToParents);
        }
        List<Ref> gone = remove(type, id);
        if (gone.stream().anyMatch(r -> Links.JOBS.stream().anyMatch(l -> l.pointsAt(r.type())))) {
            tasks.send(ResourceTask.unlinkJobs(gone).toJson(codec)); // no job names a host or a group, say
        }
        return gone;
    }

    /**
     * AWX's Inventory.schedule_deletion: the flag (one conditional write, so a second DELETE is
     * refused), its job templates no longer pointing at it, and the background task. False if it
     * was already pending deletion.
     */
    public boolean scheduleInventoryDeletion(Resource inventory, long user) {
        if (inventory.flag(PENDING_DELETION) || resources.updateIf(ResourceTypes.INVENTORY, inventory.id(), PENDING_DELETION,
                inventory.get(PENDING_DELETION), Map.of(PENDING_DELETION, true)).isEmpty()) {
            return false;
        }
        for (Resource template : resources.where(ResourceTypes.JOB_TEMPLATE, "inventory", inventory.id())) {
            resources.update(ResourceTypes.JOB_TEMPLATE, template.id(), nulled("inventory"));
        }
        tasks.send(ResourceTask.deleteInventory(inventory.id(), user).toJson(codec));
        return true;
    }

    /**
     * AWX's delete_inventory, run by the background: the job history first, then hosts, groups,
     * sources (with their schedules and updates), links and roles, the inventory last. Doing it
     * again after a partial run finishes it; an inventory gone or not pending deletion is left alone.
     */
    public void deleteInventory(long id) {
        Optional<Resource> inventory = resources.get(ResourceTypes.INVENTORY, id);
        if (inventory.isEmpty() || !inventory.get().flag(PENDING_DELETION)) {
            return;
        }
        unlinkJobs(closure(ResourceTypes.INVENTORY, id));
        remove(ResourceTypes.INVENTORY, id);
        LOG.info(() -> "deleted inventory " + id);
    }

    /** The nightly fail-safe: every inventory still pending deletion (its message lost) is deleted now. */
    public int resumePendingDeletions() {
        List<Resource> pending = resources.where(ResourceTypes.INVENTORY, PENDING_DELETION, true);
        pending.forEach(i -> deleteInventory(i.id()));
        return pending.size();
    }

    /**
     * Jobs keep their history: fields naming a deleted object are cleared (AWX's SET_NULL), and the
     * finished updates of a deleted project or inventory source go with it (AWX's CASCADE), events
     * too. Jobs still active are left as they are (deletes that AWX refuses while jobs run are refused).
     */
    public void unlinkJobs(List<Ref> gone) {
        Map<String, Set<Long>> byType = new HashMap<>();
        gone.forEach(r -> byType.computeIfAbsent(r.type(), t -> new HashSet<>()).add(r.id()));
        List<Links.JobLink> relevant = Links.JOBS.stream()
                .filter(l -> l.targets().stream().anyMatch(byType::containsKey)).toList();
        if (relevant.isEmpty()) {
            return;
        }
        for (JobKind kind : JobKind.values()) {
            for (UnifiedJob job : jobs.all(kind)) {
                boolean cascade = false;
                Map<String, Object> changes = new HashMap<>();
                for (Links.JobLink link : relevant) {
                    if (link.many()) {
                        List<Long> ids = job.longList(link.field());
                        List<Long> kept = ids.stream().filter(i -> !pointsAtGone(link.targets(), i, byType)).toList();
                        if (kept.size() != ids.size()) {
                            changes.put(link.field(), kept);
                        }
                    } else {
                        Optional<Long> ref = job.longField(link.field());
                        if (ref.isPresent() && pointsAtGone(link.targets(), ref.get(), byType)) {
                            if (link.cascadeKinds().contains(kind)) {
                                cascade = true;
                            }
                            changes.put(link.field(), null);
                        }
                    }
                }
                if (!job.status().isFinished() || changes.isEmpty()) {
                    continue;
                }
                if (cascade) {
                    events.deleteAll(job.id());
                    jobs.deleteIfFinished(job.id());
                } else {
                    jobs.updateIfStatus(job.id(), job.status(), changes);
                }
            }
        }
    }

    private static boolean pointsAtGone(Set<String> targets, long id, Map<String, Set<Long>> byType) {
        return targets.stream().anyMatch(t -> byType.getOrDefault(t, Set.of()).contains(id));
    }

    /**
     * The object and everything that cascades from it, each once, in the order found (the object first).
     * A workflow node takes its approval template with it (AWX's delete_approval_templates).
     */
    public List<Ref> closure(String type, long id) {
        LinkedHashSet<Ref> found = new LinkedHashSet<>();
        Deque<Ref> todo = new ArrayDeque<>(List.of(new Ref(type, id)));
        while (!todo.isEmpty()) {
            Ref r = todo.pop();
            if (!found.add(r)) {
                continue;
            }
            for (Links.Link link : Links.into(r.type())) {
                if (link.onDelete() == Links.OnDelete.CASCADE) {
                    holders(link, Set.of(r.id())).forEach(h -> todo.add(new Ref(h.type(), h.id())));
                }
            }
            if (ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE.equals(r.type())) {
                resources.get(r.type(), r.id()).flatMap(n -> n.reference("unified_job_template"))
                        .flatMap(t -> resources.get(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, t))
                        .ifPresent(a -> todo.add(new Ref(a.type(), a.id())));
            }
        }
        return new ArrayList<>(found);
    }

    /** Clears every reference to the closure from outside it, forgets its roles, deletes it (deepest first). */
    private List<Ref> remove(String type, long id) {
        List<Ref> gone = closure(type, id);
        Set<Ref> goneSet = new HashSet<>(gone);
        Map<String, Set<Long>> byType = new LinkedHashMap<>();
        gone.forEach(r -> byType.computeIfAbsent(r.type(), t -> new LinkedHashSet<>()).add(r.id()));
        for (Links.Link link : Links.RESOURCES) {
            if (link.onDelete() == Links.OnDelete.CASCADE) {
                continue;
            }
            Set<Long> ids = new HashSet<>();
            link.targets().forEach(t -> ids.addAll(byType.getOrDefault(t, Set.of())));
            if (ids.isEmpty()) {
                continue;
            }
            for (Resource holder : holders(link, ids)) {
                if (goneSet.contains(new Ref(holder.type(), holder.id()))) {
                    continue;
                }
                if (link.many()) {
                    resources.update(holder.type(), holder.id(), Map.of(link.field(),
                            holder.references(link.field()).stream().filter(i -> !ids.contains(i)).toList()));
                } else {
                    resources.update(holder.type(), holder.id(), nulled(link.field()));
                }
            }
        }
        for (int i = gone.size() - 1; i >= 0; i--) {
            Ref r = gone.get(i);
            memberships.forgetObject(r.type(), r.id());
            resources.delete(r.type(), r.id());
        }
        return gone;
    }

    /**
     * Types whose items stored by an older version may still lack their parent key (notifications
     * joined the parent index later; the nightly recount gives old ones their key): a delete finds
     * their holders by a read of the type, so none outlives its parent. Deleting a notification
     * template is rare; its notifications are read whole, as before.
     */
    private static final Set<String> PARENT_KEY_BACKFILLED = Set.of(dev.towerless.core.resources.ResourceTypes.NOTIFICATION);

    /** The holders of a link pointing at any of {@code ids}: one indexed query for one parent, else one read of the type. */
    private List<Resource> holders(Links.Link link, Set<Long> ids) {
        List<Resource> candidates = !link.many() && ids.size() == 1 && !PARENT_KEY_BACKFILLED.contains(link.holder())
                ? resources.where(link.holder(), link.field(), ids.iterator().next())
                : resources.all(link.holder());
        return candidates.stream().filter(h -> link.many()
                ? h.references(link.field()).stream().anyMatch(ids::contains)
                : h.reference(link.field()).filter(ids::contains).isPresent()).toList();
    }

    /**
     * AWX's migrate_children_from_deleted_group_to_parent_groups: a deleted group's hosts and
     * children join each of its parents (not when its whole inventory goes).
     */
    private void moveToParents(Resource group) {
        long inventory = group.reference("inventory").orElse(-1L);
        for (Resource parent : resources.where(ResourceTypes.GROUP, "inventory", inventory)) {
            if (!parent.references("children").contains(group.id())) {
                continue;
            }
            Map<String, Object> changes = new HashMap<>();
            for (String field : List.of("hosts", "children")) {
                List<Long> merged = new ArrayList<>(parent.references(field));
                group.references(field).stream().filter(x -> !merged.contains(x) && x != parent.id()).forEach(merged::add);
                changes.put(field, merged);
            }
            resources.update(ResourceTypes.GROUP, parent.id(), changes);
        }
    }

    private static Map<String, Object> nulled(String field) {
        Map<String, Object> m = new HashMap<>();
        m.put(field, null);
        return m;
    }

    /** Whether an inventory is being deleted (AWX refuses changes to its hosts and launches on it then). */
    public static boolean pendingDeletion(Resource inventory) {
        return inventory.flag(PENDING_DELETION);
    }
}
