package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;

import dev.towerless.core.organizations.HostLimit;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an inventory holds (hosts and groups): seen by whoever sees the inventory, managed by its
 * admins, and never moved to another inventory (AWX's HostAccess and GroupAccess).
 */
public class InventoryContentAccess extends ModelAccess {
    private final String noun;

    InventoryContentAccess(String type, String noun, List<String> capabilities) {
        super(type, capabilities);
        this.noun = noun;
    }

    protected static Optional<Long> inventoryOf(Resource r) {
        return r.reference("inventory");
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(ResourceTypes.INVENTORY, inventoryOf(r), READ);
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        boolean allowed = a.isSuperuser() || data.get("inventory") != null
                && checkRelated(a, "inventory", ResourceTypes.INVENTORY, data, ADMIN, null, false);
        if (allowed && ResourceTypes.HOST.equals(type()) && data.get("inventory") != null) {
            // AWX's HostAccess.can_add: the organization's max_hosts, for superusers too.
            Object name = data.get("name");
            AccessDenied.throwIf(HostLimit.addRefusal(a.lookup().store(), asId(data.get("inventory")), name == null ? null : name.toString()));
        }
        return allowed;
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        Long inventory = asId(data.get("inventory"));
        if (inventory != null && !inventory.equals(inventoryOf(r).orElse(null))) {
            throw new AccessDenied("Unable to change inventory on a " + noun + ".");
        }
        return a.holds(ResourceTypes.INVENTORY, inventoryOf(r), ADMIN);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return a.holds(ResourceTypes.INVENTORY, inventoryOf(r), ADMIN);
    }

    /**
     * A host listed by a smart inventory (AWX's InventoryHostsList): shown to whoever can read the
     * smart inventory, even when the host's own inventory is not theirs to read (AWX lists a smart
     * inventory's hosts without asking HostAccess of each); only the hosts its membership names.
     */
    public boolean canSeeInSmartInventory(Access a, Resource host, Resource smartInventory) {
        return dev.towerless.core.inventory.SmartInventories.isSmart(smartInventory)
                && dev.towerless.core.inventory.SmartInventories.members(smartInventory).contains(host.id())
                && AccessPolicies.INVENTORIES.canSee(a, smartInventory);
    }

    /** The children of the inventories the user can see by name; empty when those cannot be named. */
    public Optional<Set<Long>> candidates(Access a, ResourceStore store) {
        Optional<Set<Long>> inventories = AccessPolicies.INVENTORIES.candidates(a);
        if (inventories.isEmpty()) {
            return Optional.empty();
        }
        Set<Long> ids = new java.util.LinkedHashSet<>();
        for (long inventory : inventories.get()) {
            if (a.holds(ResourceTypes.INVENTORY, inventory, READ)) {
                store.where(type(), "inventory", inventory).forEach(r -> {
                    a.lookup().remember(r);
                    ids.add(r.id());
                });
            }
        }
        return Optional.of(ids);
    }

    @Override
    public Optional<Set<Long>> candidates(Access a) {
        return candidates(a, a.lookup().store());
    }

    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        return name.equals("copy") ? earlier.getOrDefault("edit", false) : super.capability(a, r, name, earlier);
    }
}
