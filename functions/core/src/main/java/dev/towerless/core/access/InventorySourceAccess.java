package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.UPDATE;
import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;

/** Inventory sources: managed by the inventory's admins (with use of the source project), synced by its update role. */
public final class InventorySourceAccess extends InventoryContentAccess {
    InventorySourceAccess() {
        super(ResourceTypes.INVENTORY_SOURCE, "inventory source", List.of("start", "schedule", "edit", "delete"));
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        if (data.get("inventory") == null) {
            return false;
        }
        return checkRelated(a, "source_project", ResourceTypes.PROJECT, data, USE, null, false)
                && checkRelated(a, "inventory", ResourceTypes.INVENTORY, data, ADMIN, null, false)
                && newCredentialUsable(a, data);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        return inventoryOf(r).flatMap(i -> a.lookup().find(ResourceTypes.INVENTORY, i))
                .map(inv -> AccessPolicies.INVENTORIES.canChange(a, inv, Map.of())).orElse(false)
                && checkRelated(a, "source_project", ResourceTypes.PROJECT, data, USE, r, false)
                && (!data.containsKey("credential") || java.util.Objects.equals(data.get("credential"), r.reference("credential").orElse(null))
                        || newCredentialUsable(a, data));
    }

    /**
     * AWX's InventorySourceSerializer.validate: the credential a request sets must be one the
     * caller may use, or the sync would hand its secrets to an inventory plugin the caller controls.
     */
    private static boolean newCredentialUsable(Access a, Map<String, Object> data) {
        return !(data.get("credential") instanceof Number id) || a.holds(ResourceTypes.CREDENTIAL, id.longValue(), USE);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return a.isSuperuser() || inventoryOf(r).flatMap(i -> a.lookup().find(ResourceTypes.INVENTORY, i))
                .map(inv -> AccessPolicies.INVENTORIES.canChange(a, inv, Map.of())).orElse(false);
    }

    /** A sync. */
    @Override
    public boolean canStart(Access a, Resource r) {
        return a.holds(ResourceTypes.INVENTORY, inventoryOf(r), UPDATE);
    }

    @Override
    public boolean canAttach(Access a, Resource owner, Resource sub, String relationship) {
        if ("credentials".equals(relationship)) {
            return a.isSuperuser() || canChange(a, owner, Map.of()) && a.holds(sub, USE);
        }
        return super.canAttach(a, owner, sub, relationship);
    }

    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        return name.equals("delete") ? earlier.getOrDefault("edit", false) : super.capability(a, r, name, earlier);
    }
}
