package dev.towerless.core.inventory;

import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * AWX's {@code Inventory.update_computed_fields}, run off the request path: the counts are
 * stored on the inventory item, so reading an inventory costs no query. A recompute takes the
 * {@link InventoryDirtyMarker#DIRTY} marker (clearing it and starting a new {@link #GENERATION}
 * in one conditional write), then reads hosts, groups and sources and writes the fields only if
 * no later recompute has started meanwhile. Every step is a single-item conditional write, and
 * a message handled twice, or a recompute that died half-way, leaves the fields right.
 */
public final class InventoryComputedFields {
    /** Recomputes started (the one that cleared the marker last owns this number). */
    public static final String GENERATION = "computed_generation";
    /** The generation whose fields are stored. */
    public static final String DONE = "computed_done";
    /** On a host: whether its last job's summary failed (AWX reads last_job_host_summary.failed). */
    public static final String HOST_FAILED = "has_active_failures";

    /** AWX's CLOUD_INVENTORY_SOURCES: the cloud providers and {@code scm} (a {@code file} source is not counted). */
    public static final Set<String> COUNTED_SOURCES = Set.of("azure_rm", "ec2", "gce", "vmware", "openstack", "rhv",
            "satellite6", "controller", "insights", "scm");

    public static final List<String> FIELDS = List.of("has_active_failures", "total_hosts", "hosts_with_active_failures",
            "total_groups", "has_inventory_sources", "total_inventory_sources", "inventory_sources_with_failures");

    public enum Outcome { RECOMPUTED, UP_TO_DATE, SUPERSEDED, GONE }

    private static final int ATTEMPTS = 8;

    private final ResourceStore resources;
    private final JobStore jobs;

    public InventoryComputedFields(ResourceStore resources, JobStore jobs) {
        this.resources = resources;
        this.jobs = jobs;
    }

    /** Brings the inventory's stored fields up to date if they are owed; safe to call any number of times. */
    public Outcome recompute(long inventoryId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Resource> found = resources.get(ResourceTypes.INVENTORY, inventoryId);
            if (found.isEmpty()) {
                return Outcome.GONE;
            }
            Resource inventory = found.get();
            Object dirty = inventory.get(InventoryDirtyMarker.DIRTY);
            long generation = number(inventory.get(GENERATION));
            if (dirty == null && number(inventory.get(DONE)) >= generation && inventory.get(GENERATION) != null) {
                return Outcome.UP_TO_DATE;
            }
            long mine = generation;
            if (dirty != null || inventory.get(GENERATION) == null) {
                // Take the marker before reading: a change that saw it set wrote its data before this.
                mine = generation + 1;
                Map<String, Object> take = new HashMap<>();
                take.put(InventoryDirtyMarker.DIRTY, null);
                take.put(GENERATION, mine);
                if (resources.updateIf(ResourceTypes.INVENTORY, inventoryId, InventoryDirtyMarker.DIRTY, dirty, take).isEmpty()) {
                    continue; // marked again (or taken by a twin delivery) in between: look again
                }
            }
            Map<String, Object> fields = new HashMap<>(compute(inventory));
            fields.put(DONE, mine);
            return resources.updateIf(ResourceTypes.INVENTORY, inventoryId, GENERATION, mine, fields).isPresent()
                    ? Outcome.RECOMPUTED : Outcome.SUPERSEDED;
        }
        throw new IllegalStateException("inventory " + inventoryId + " kept changing during " + ATTEMPTS
                + " recomputes; the message is retried");
    }

    /** AWX's computed fields from the store as it is now (a query per kind of child). */
    public Map<String, Object> compute(Resource inventory) {
        boolean smart = "smart".equals(inventory.get("kind"));
        List<Resource> hosts = resources.where(ResourceTypes.HOST, ResourceTypes.INVENTORY, inventory.id());
        long failedHosts = hosts.stream().filter(h -> h.flag(HOST_FAILED)).count();
        int groups = smart ? 0 : resources.where(ResourceTypes.GROUP, ResourceTypes.INVENTORY, inventory.id()).size();
        List<Resource> sources = smart ? List.of() : resources.where(ResourceTypes.INVENTORY_SOURCE, ResourceTypes.INVENTORY,
                inventory.id()).stream().filter(s -> COUNTED_SOURCES.contains(String.valueOf(s.get("source")))).toList();
        long failedSources = sources.stream().filter(this::lastUpdateFailed).count();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("has_active_failures", failedHosts > 0);
        out.put("total_hosts", hosts.size());
        out.put("hosts_with_active_failures", failedHosts);
        out.put("total_groups", groups);
        out.put("has_inventory_sources", !sources.isEmpty());
        out.put("total_inventory_sources", sources.size());
        out.put("inventory_sources_with_failures", failedSources);
        return out;
    }

    /** AWX's {@code last_job_failed} of a source: its newest finished update failed. */
    private boolean lastUpdateFailed(Resource source) {
        return jobs.ofTemplate(source.id(), 10).stream().filter(j -> j.status().isFinished()).findFirst()
                .map(UnifiedJob::failed).orElse(false);
    }

    /** The stored fields for display, or empty if the inventory was never computed (made before this existed). */
    public static Optional<Map<String, Object>> stored(Resource inventory) {
        if (inventory.get(GENERATION) == null || inventory.get("total_hosts") == null) {
            return Optional.empty();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String f : FIELDS) {
            out.put(f, inventory.get(f));
        }
        return Optional.of(out);
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }
}
