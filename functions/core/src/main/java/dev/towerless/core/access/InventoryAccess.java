package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADHOC;
import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.INVENTORY_ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.UPDATE;
import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Inventories: created by an organization's inventory admins; their admins manage them, their
 * hosts, groups and sources; {@code update} syncs their sources, {@code adhoc} runs ad hoc commands.
 */
public final class InventoryAccess extends ModelAccess {
    InventoryAccess() {
        super(ResourceTypes.INVENTORY, List.of("edit", "delete", "adhoc", "copy"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(r, READ);
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        return a.isSuperuser() || checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, INVENTORY_ADMIN, null, false);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        // A smart inventory's host filter may be changed only at the organization's inventory-admin level.
        Object filter = data.get("host_filter");
        boolean orgAdminMandatory = filter != null && !filter.toString().isEmpty() && !Objects.equals(filter, r.get("host_filter"));
        return checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, INVENTORY_ADMIN, r, orgAdminMandatory)
                && a.holds(r, ADMIN);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return canChange(a, r, Map.of());
    }

    /** Syncing its inventory sources. */
    public boolean canUpdate(Access a, Resource r) {
        return a.holds(r, UPDATE);
    }

    public boolean canRunAdHocCommands(Access a, Resource r) {
        return a.holds(r, ADHOC);
    }

    public boolean canUse(Access a, Resource r) {
        return a.holds(r, USE);
    }

    @Override
    public boolean canCopy(Access a, Resource r) {
        return a.isSuperuser() || a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), INVENTORY_ADMIN);
    }

    @Override
    public boolean canAttach(Access a, Resource owner, Resource sub, String relationship) {
        if ("instance_groups".equals(relationship)) {
            return a.holds(sub, USE) && a.holds(owner, ADMIN);
        }
        return super.canAttach(a, owner, sub, relationship);
    }

    @Override
    public boolean canUnattach(Access a, Resource owner, Resource sub, String relationship) {
        return canAttach(a, owner, sub, relationship); // AWX falls back to the attach rule here
    }

    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        return name.equals("adhoc") ? canRunAdHocCommands(a, r) : super.capability(a, r, name, earlier);
    }
}
