package dev.towerless.runner;

import dev.towerless.core.inventory.ImportedInventory;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Saves what an update read into the inventory, as AWX's {@code load_into_database}
 * (awx/main/management/commands/inventory_import.py, 21.14.0):
 * <ul>
 * <li>an imported host is the stored host with its instance id, else the one of its name;</li>
 * <li>with {@code overwrite}, hosts and groups this source imported before and no longer lists
 *     are deleted, and its groups lose the hosts and child groups it no longer puts there; hosts
 *     and groups added by hand or by other sources stay, as do their memberships;</li>
 * <li>variables are merged, or replaced with {@code overwrite_vars}; the inventory's own
 *     variables are always merged with the source's {@code all} variables;</li>
 * <li>{@code enabled} follows {@code enabled_var}/{@code enabled_value} when the variables
 *     carry it, and {@code instance_id} the kind's instance id variable.</li>
 * </ul>
 * Each item is written once, and only when it changes.
 */
final class InventoryImporter {
    private final RunContext ctx;
    private final long inventoryId;
    private final long sourceId;

    InventoryImporter(RunContext ctx, long inventoryId, long sourceId) {
        this.ctx = ctx;
        this.inventoryId = inventoryId;
        this.sourceId = sourceId;
    }

    void save(ImportedInventory mem) {
        ImportedInventory.Options o = mem.options();
        String now = Timestamps.format(ctx.clock.instant());
        List<Resource> dbHosts = ctx.resources.where(ResourceTypes.HOST, "inventory", inventoryId);
        List<Resource> dbGroups = ctx.resources.where(ResourceTypes.GROUP, "inventory", inventoryId);
        Set<Long> sourceHosts = new HashSet<>();
        dbHosts.stream().filter(this::ours).forEach(h -> sourceHosts.add(h.id()));

        // Which stored host each imported one is: by the instance id its variables give, else by name.
        Map<String, Long> dbInstanceIds = new HashMap<>();
        for (Resource h : dbHosts) {
            String stored = h.string("instance_id").orElse("");
            String fromVars = sourceHosts.contains(h.id()) && stored.isEmpty() ? mem.instanceId(vars(h)) : "";
            if (!fromVars.isEmpty()) {
                dbInstanceIds.putIfAbsent(fromVars, h.id());
            }
            if (!stored.isEmpty()) {
                dbInstanceIds.putIfAbsent(stored, h.id());
            }
        }
        Map<String, Resource> hostsByName = new HashMap<>();
        Map<Long, Resource> hostsById = new HashMap<>();
        dbHosts.forEach(h -> {
            hostsByName.putIfAbsent(h.name(), h);
            hostsById.put(h.id(), h);
        });
        Map<String, Long> matched = new LinkedHashMap<>(); // imported name -> stored host id
        Set<Long> taken = new HashSet<>();
        for (ImportedInventory.Host h : mem.hosts()) {
            Long id = h.instanceId().isEmpty() ? null : dbInstanceIds.get(h.instanceId());
            if (id == null && hostsByName.containsKey(h.name())) {
                id = hostsByName.get(h.name()).id();
            }
            if (id != null && taken.add(id)) {
                matched.put(h.name(), id);
            }
        }

        Set<Long> deletedHosts = new HashSet<>();
        Set<Long> deletedGroups = new HashSet<>();
        Set<String> memGroupNames = new HashSet<>();
        mem.groups().forEach(g -> memGroupNames.add(g.name()));
        if (o.overwrite()) {
            for (long id : sourceHosts) {
                if (!matched.containsValue(id) && ctx.resources.delete(ResourceTypes.HOST, id)) {
                    deletedHosts.add(id);
                }
            }
            for (Resource g : dbGroups) {
                if (ours(g) && !memGroupNames.contains(g.name()) && ctx.resources.delete(ResourceTypes.GROUP, g.id())) {
                    deletedGroups.add(g.id());
                }
            }
        }

        if (!mem.allVariables().isEmpty()) {
            ctx.resources.get(ResourceTypes.INVENTORY, inventoryId).ifPresent(inv -> {
                Map<String, Object> merged = new LinkedHashMap<>(vars(inv));
                merged.putAll(mem.allVariables());
                if (!merged.equals(vars(inv))) {
                    ctx.resources.update(ResourceTypes.INVENTORY, inventoryId, Map.of("variables", ctx.variables.toJson(merged)));
                }
            });
        }

        // Groups: update those of the same name, create the others.
        Map<String, Resource> groupsByName = new HashMap<>();
        dbGroups.stream().filter(g -> !deletedGroups.contains(g.id())).forEach(g -> groupsByName.putIfAbsent(g.name(), g));
        Map<String, Long> groupIds = new HashMap<>();
        for (ImportedInventory.Group g : mem.groups()) {
            Resource existing = groupsByName.get(g.name());
            if (existing == null) {
                Map<String, Object> v = new LinkedHashMap<>(g.variables());
                Object description = v.remove("_awx_description");
                Resource created = ctx.resources.create(ResourceTypes.GROUP, newItem(g.name(), description, v, now, Map.of()));
                groupIds.put(g.name(), created.id());
                groupsByName.put(g.name(), created);
            } else {
                groupIds.put(g.name(), existing.id());
                Map<String, Object> changes = new LinkedHashMap<>();
                Map<String, Object> v = varsAfter(existing, g.variables(), o.overwriteVars());
                if (!v.equals(vars(existing))) {
                    changes.put("variables", ctx.variables.toJson(v));
                }
                if (!ours(existing)) {
                    changes.put("inventory_source", sourceId);
                }
                write(ResourceTypes.GROUP, existing, changes, now);
            }
        }

        // Hosts: update the matched ones, create the others.
        Map<String, Long> hostIds = new HashMap<>();
        int created = 0;
        for (ImportedInventory.Host h : mem.hosts()) {
            Long id = matched.get(h.name());
            if (id == null) {
                Map<String, Object> v = new LinkedHashMap<>(h.variables());
                Object description = v.remove("_awx_description");
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("enabled", h.enabled() == null || h.enabled());
                extra.put("instance_id", h.instanceId());
                hostIds.put(h.name(), ctx.resources.create(ResourceTypes.HOST, newItem(h.name(), description, v, now, extra)).id());
                created++;
                continue;
            }
            hostIds.put(h.name(), id);
            Resource existing = hostsById.get(id);
            Map<String, Object> changes = new LinkedHashMap<>();
            Map<String, Object> v = varsAfter(existing, h.variables(), o.overwriteVars());
            if (!v.equals(vars(existing))) {
                changes.put("variables", ctx.variables.toJson(v));
            }
            if (h.enabled() != null && h.enabled() != existing.flag("enabled")) {
                changes.put("enabled", h.enabled());
            }
            if (!h.name().equals(existing.name())) {
                changes.put("name", h.name());
            }
            if (!h.instanceId().equals(existing.string("instance_id").orElse(""))) {
                changes.put("instance_id", h.instanceId());
            }
            if (!ours(existing)) {
                changes.put("inventory_source", sourceId);
            }
            write(ResourceTypes.HOST, existing, changes, now);
        }

        // Memberships: add what the source lists; with overwrite, drop what it no longer lists.
        Map<String, ImportedInventory.Group> memGroups = new HashMap<>();
        mem.groups().forEach(g -> memGroups.put(g.name(), g));
        Map<Long, String> importedGroupNames = new HashMap<>();
        groupIds.forEach((name, id) -> importedGroupNames.put(id, name));
        for (Resource stored : ctx.resources.where(ResourceTypes.GROUP, "inventory", inventoryId)) {
            ImportedInventory.Group g = memGroups.get(stored.name());
            Set<Long> hosts = new LinkedHashSet<>(stored.references("hosts"));
            Set<Long> children = new LinkedHashSet<>(stored.references("children"));
            hosts.removeAll(deletedHosts);
            children.removeAll(deletedGroups);
            if (g != null) {
                if (o.overwrite() && groupIds.get(g.name()) == stored.id()) {
                    Set<Long> listed = new HashSet<>();
                    g.hosts().forEach(n -> listed.add(hostIds.get(n)));
                    hosts.removeIf(id -> sourceHosts.contains(id) && !listed.contains(id));
                    Set<String> childNames = new HashSet<>(g.children());
                    // Only children this import lists somewhere: other groups' relationships are not its to undo.
                    children.removeIf(id -> importedGroupNames.containsKey(id) && !childNames.contains(importedGroupNames.get(id)));
                }
                g.hosts().stream().map(hostIds::get).filter(Objects::nonNull).forEach(hosts::add);
                g.children().stream().map(groupIds::get).filter(Objects::nonNull).forEach(children::add);
            }
            Map<String, Object> changes = new LinkedHashMap<>();
            if (!new ArrayList<>(hosts).equals(stored.references("hosts"))) {
                changes.put("hosts", List.copyOf(hosts));
            }
            if (!new ArrayList<>(children).equals(stored.references("children"))) {
                changes.put("children", List.copyOf(children));
            }
            if (!changes.isEmpty()) {
                ctx.resources.update(ResourceTypes.GROUP, stored.id(), changes);
            }
        }
        ctx.verbose("Imported " + hostIds.size() + " hosts and " + groupIds.size() + " groups (" + created + " hosts added)"
                + (o.overwrite() ? ", removed " + (deletedHosts.size() + deletedGroups.size()) + " no longer in the source" : ""));
    }

    private boolean ours(Resource r) {
        return r.reference("inventory_source").orElse(-1L) == sourceId;
    }

    private Map<String, Object> vars(Resource r) {
        return ctx.variables.parse(r.string("variables").orElse(""));
    }

    private Map<String, Object> varsAfter(Resource existing, Map<String, Object> imported, boolean overwriteVars) {
        if (overwriteVars) {
            return new LinkedHashMap<>(imported);
        }
        Map<String, Object> merged = new LinkedHashMap<>(vars(existing));
        merged.putAll(imported);
        return merged;
    }

    private Map<String, Object> newItem(String name, Object description, Map<String, Object> vars, String now, Map<String, Object> extra) {
        Map<String, Object> f = new LinkedHashMap<>(extra);
        f.put("name", name);
        f.put("description", description == null ? "imported" : String.valueOf(description));
        f.put("inventory", inventoryId);
        f.put("variables", ctx.variables.toJson(vars));
        f.put("inventory_source", sourceId);
        f.put("created", now);
        f.put("modified", now);
        return f;
    }

    private void write(String type, Resource existing, Map<String, Object> changes, String now) {
        if (!changes.isEmpty()) {
            changes.put("modified", now);
            ctx.resources.update(type, existing.id(), changes);
        }
    }
}
