package dev.towerless.core.inventory;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.settings.SystemSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Smart inventories' memberships (AWX's SmartInventoryMembership): the ids of the hosts a smart
 * inventory's {@code host_filter} matches, kept on the smart inventory's own item so that listing
 * its hosts, counting them and building a job's inventory read that one item and then the hosts,
 * never every host of the install. A rebuild reads the hosts of the inventory's organization (as
 * AWX's query does) and stores the result with one write, conditional on the filter it used.
 * AWX rebuilds when a smart inventory is saved and when a job on it starts; with
 * {@code AWX_REBUILD_SMART_MEMBERSHIP} also when a host is saved or deleted.
 */
public final class SmartInventories {
    /** The membership field on a smart inventory's item (not shown by the API). */
    public static final String MEMBERS = "smart_host_ids";
    public static final String KIND = "smart";

    private final ResourceStore store;

    public SmartInventories(ResourceStore store) {
        this.store = store;
    }

    public static boolean isSmart(Resource inventory) {
        return inventory != null && KIND.equals(inventory.get("kind"));
    }

    /** The member host ids as last rebuilt, in AWX's order (by name). */
    public static List<Long> members(Resource smartInventory) {
        return smartInventory.references(MEMBERS);
    }

    /** The member hosts that still exist, in AWX's order (by name, then id). */
    public List<Resource> hosts(Resource smartInventory) {
        Map<Long, Resource> found = store.getMany(ResourceTypes.HOST, members(smartInventory));
        return members(smartInventory).stream().map(found::get).filter(Objects::nonNull).toList();
    }

    /**
     * AWX's {@code update_smart_memberships_for_inventory}: stores the hosts the filter matches now;
     * true when the membership changed. The write is conditional on the filter it evaluated, so a
     * filter changed meanwhile is evaluated again rather than overwritten with the old answer.
     */
    public boolean rebuild(Resource smartInventory) {
        Resource inventory = smartInventory;
        for (int attempt = 0; attempt < 5; attempt++) {
            List<Long> matching = matching(inventory);
            if (matching.equals(members(inventory))) {
                return false;
            }
            if (store.updateIf(ResourceTypes.INVENTORY, inventory.id(), "host_filter", inventory.get("host_filter"),
                    Map.of(MEMBERS, matching)).isPresent()) {
                return true;
            }
            Optional<Resource> again = store.get(ResourceTypes.INVENTORY, inventory.id());
            if (again.isEmpty() || !isSmart(again.get())) {
                return false;
            }
            inventory = again.get();
        }
        throw new IllegalStateException("the host filter of inventory " + smartInventory.id() + " kept changing during its rebuild");
    }

    /** AWX's {@code update_host_smart_inventory_memberships}: every smart inventory; the number that changed. */
    public int rebuildAll() {
        int changed = 0;
        for (Resource inventory : smartInventories()) {
            changed += rebuild(inventory) ? 1 : 0;
        }
        return changed;
    }

    /**
     * A host was created, changed or deleted ({@code before}/{@code after} null for either end).
     * With {@code AWX_REBUILD_SMART_MEMBERSHIP} (AWX's default is off), the smart inventories
     * whose membership this changes are rebuilt; the host is checked against each smart
     * inventory of its organization first, so an edit that changes no membership costs no rebuild.
     */
    public int hostChanged(Resource before, Resource after) {
        if (!SystemSettings.load(store).flag(SystemSettings.AWX_REBUILD_SMART_MEMBERSHIP)) {
            return 0;
        }
        Resource host = after != null ? after : before;
        Optional<FilterableHost> view = after == null ? Optional.empty() : view(after);
        Optional<Long> organization = view.flatMap(v -> v.inventory().reference("organization"))
                .or(() -> host.reference("inventory").flatMap(i -> store.get(ResourceTypes.INVENTORY, i))
                        .flatMap(i -> i.reference("organization")));
        boolean renamed = before != null && after != null && !before.name().equals(after.name());
        int rebuilt = 0;
        for (Resource smart : smartInventories()) {
            if (smart.reference("organization").isPresent() && !smart.reference("organization").equals(organization)) {
                continue;
            }
            boolean was = members(smart).contains(host.id());
            boolean now = view.isPresent() && filterOf(smart).map(f -> f.matches(view.get())).orElse(false);
            if (was != now || (renamed && (was || now))) {
                rebuilt += rebuild(smart) ? 1 : 0;
            }
        }
        return rebuilt;
    }

    /** The smart inventories a host is a member of (AWX's {@code hosts/N/smart_inventories/}). */
    public List<Resource> smartInventoriesOf(Resource host) {
        return smartInventories().stream().filter(i -> members(i).contains(host.id())).toList();
    }

    private List<Resource> smartInventories() {
        return store.where(ResourceTypes.INVENTORY, "kind", KIND).stream()
                .filter(i -> !Boolean.TRUE.equals(i.get("pending_deletion")))
                .sorted(Comparator.comparingLong(Resource::id)).toList();
    }

    private static Optional<SmartFilter> filterOf(Resource smart) {
        String text = smart.string("host_filter").orElse("");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SmartFilter.parse(text));
        } catch (SmartFilter.Invalid stored) {
            return Optional.empty(); // refused when saved; one stored before that check matches nothing
        }
    }

    /**
     * The hosts the filter matches now: those of the smart inventory's organization (every
     * organization's when it has none), one per name (the lowest id), ordered by name as AWX's
     * HostManager orders them.
     */
    public List<Long> matching(Resource smartInventory) {
        Optional<SmartFilter> filter = filterOf(smartInventory);
        if (filter.isEmpty()) {
            return List.of();
        }
        Optional<Long> organization = smartInventory.reference("organization");
        List<Resource> inventories = (organization.isPresent()
                ? store.where(ResourceTypes.INVENTORY, "organization", organization.get())
                : store.all(ResourceTypes.INVENTORY)).stream().filter(i -> !isSmart(i)).toList();
        Map<Long, Optional<Resource>> organizations = new HashMap<>();
        Map<String, Resource> byName = new LinkedHashMap<>();
        for (Resource inventory : inventories) {
            Optional<Resource> org = organizations.computeIfAbsent(inventory.reference("organization").orElse(-1L),
                    id -> id < 0 ? Optional.empty() : store.get(ResourceTypes.ORGANIZATION, id));
            List<Resource> hosts = store.where(ResourceTypes.HOST, "inventory", inventory.id());
            if (hosts.isEmpty()) {
                continue;
            }
            Map<Long, List<Resource>> groupsOf = groupsByHost(inventory.id());
            Map<Long, Resource> sources = sourcesOf(hosts);
            for (Resource h : hosts) {
                FilterableHost view = new FilterableHost(h, inventory, org, groupsOf.getOrDefault(h.id(), List.of()),
                        h.references("inventory_sources").stream().map(sources::get).filter(Objects::nonNull).toList());
                if (filter.get().matches(view)) {
                    byName.merge(h.name(), h, (a, b) -> a.id() <= b.id() ? a : b);
                }
            }
        }
        List<Resource> chosen = new ArrayList<>(byName.values());
        chosen.sort(Comparator.comparing(Resource::name).thenComparingLong(Resource::id));
        return chosen.stream().map(Resource::id).toList();
    }

    /** One host as the filter sees it (its inventory, organization, groups and sources read). */
    public Optional<FilterableHost> view(Resource host) {
        Optional<Resource> inventory = host.reference("inventory").flatMap(i -> store.get(ResourceTypes.INVENTORY, i));
        if (inventory.isEmpty()) {
            return Optional.empty();
        }
        Optional<Resource> org = inventory.get().reference("organization").flatMap(o -> store.get(ResourceTypes.ORGANIZATION, o));
        Map<Long, Resource> sources = sourcesOf(List.of(host));
        return Optional.of(new FilterableHost(host, inventory.get(), org, groupsByHost(inventory.get().id()).getOrDefault(host.id(), List.of()),
                host.references("inventory_sources").stream().map(sources::get).filter(Objects::nonNull).toList()));
    }

    private Map<Long, List<Resource>> groupsByHost(long inventory) {
        Map<Long, List<Resource>> out = new HashMap<>();
        for (Resource g : store.where(ResourceTypes.GROUP, "inventory", inventory)) {
            for (long h : g.references("hosts")) {
                out.computeIfAbsent(h, k -> new ArrayList<>()).add(g);
            }
        }
        return out;
    }

    private Map<Long, Resource> sourcesOf(List<Resource> hosts) {
        Set<Long> ids = new java.util.HashSet<>();
        hosts.forEach(h -> ids.addAll(h.references("inventory_sources")));
        return ids.isEmpty() ? Map.of() : store.getMany(ResourceTypes.INVENTORY_SOURCE, ids);
    }
}
