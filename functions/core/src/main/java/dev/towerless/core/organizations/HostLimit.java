package dev.towerless.core.organizations;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An organization's {@code max_hosts} (0 = unlimited), after AWX's {@code check_org_host_limit}
 * (awx/main/access.py) and inventory_import's own check. The count is AWX's
 * {@code Host.objects.org_active_count}: distinct host names over the organization's inventories,
 * leaving out hosts imported from a {@code controller} source. AWX applies it to a licensed
 * installation only; Towerless has no licence, so it always applies.
 */
public final class HostLimit {
    /** AWX's words when a host is added at the limit, or anything is started above it. */
    public static final String REACHED = "You have already reached the maximum number of %d hosts"
            + " allowed for your organization. Contact your System Administrator for assistance.";
    /** inventory_import's words: the inventory update ends in error with them. */
    public static final String IMPORT_EXCEEDED = "Host limit for organization exceeded!";

    private HostLimit() {
    }

    /** How many hosts an organization holds against its limit. */
    public record Usage(long organization, String name, long maxHosts, long activeHosts) {
        public boolean limited() {
            return maxHosts > 0;
        }
    }

    /** AWX's HostAccess.can_add: a new name refused when the organization is at (or above) its limit. */
    public static Optional<String> addRefusal(ResourceStore store, Long inventory, String hostName) {
        return organizationOf(store, inventory).filter(org -> maxHosts(org) > 0).flatMap(org -> {
            Set<String> names = activeHostNames(store, org.id());
            long max = maxHosts(org);
            return names.size() > max || names.size() == max && (hostName == null || !names.contains(hostName))
                    ? Optional.of(String.format(REACHED, max)) : Optional.empty();
        });
    }

    /** AWX's bulk host_create: refused when the new names would take the organization past its limit. */
    public static Optional<String> addAllRefusal(ResourceStore store, Long inventory, Collection<String> hostNames) {
        return organizationOf(store, inventory).filter(org -> maxHosts(org) > 0).flatMap(org -> {
            Set<String> names = activeHostNames(store, org.id());
            names.addAll(hostNames);
            return names.size() > maxHosts(org) ? Optional.of(String.format(REACHED, maxHosts(org))) : Optional.empty();
        });
    }

    /** AWX's can_start of templates, jobs, workflows and ad hoc commands: refused only above the limit. */
    public static Optional<String> startRefusal(ResourceStore store, Long inventory) {
        return organizationOf(store, inventory).filter(org -> maxHosts(org) > 0)
                .filter(org -> activeHostNames(store, org.id()).size() > maxHosts(org))
                .map(org -> String.format(REACHED, maxHosts(org)));
    }

    /** The job field that carries the organization's max_hosts to the run plane, which may not read organizations. */
    public static final String JOB_LIMIT = "org_max_hosts";

    /**
     * An inventory update with its organization's max_hosts as it stands at launch: the runner
     * imports, and the run plane's role reads inventories and hosts but no organization.
     */
    public static dev.towerless.core.jobs.UnifiedJob stamped(ResourceStore store, dev.towerless.core.jobs.UnifiedJob update) {
        long max = organizationOf(store, update.longField(dev.towerless.core.jobs.JobFields.INVENTORY).orElse(null))
                .map(HostLimit::maxHosts).orElse(0L);
        return update.with(Map.of(JOB_LIMIT, max));
    }

    /**
     * inventory_import's check, made before anything is written (AWX checks again after the import
     * inside its transaction and rolls back): {@code kept} are the inventory's host names the import
     * leaves in place, {@code imported} those it writes; {@code maxHosts} the job's {@link #JOB_LIMIT}.
     * Empty when the import may go ahead.
     */
    public static Optional<String> importRefusal(ResourceStore store, long inventory, long maxHosts, Set<String> kept,
                                                 Collection<String> imported) {
        Optional<Long> org = store.get(ResourceTypes.INVENTORY, inventory).flatMap(i -> i.reference("organization"));
        if (maxHosts <= 0 || org.isEmpty()) {
            return Optional.empty();
        }
        if (activeHostNames(store, org.get()).size() > maxHosts) {
            return Optional.of(IMPORT_EXCEEDED);
        }
        Set<String> after = activeHostNames(store, org.get(), inventory);
        after.addAll(kept);
        after.addAll(imported);
        return after.size() > maxHosts ? Optional.of(IMPORT_EXCEEDED) : Optional.empty();
    }

    public static Usage usage(ResourceStore store, Resource organization) {
        return new Usage(organization.id(), organization.name(), maxHosts(organization), activeHostNames(store, organization.id()).size());
    }

    /** AWX's org_active_count, as the names themselves. */
    public static Set<String> activeHostNames(ResourceStore store, long organization) {
        return activeHostNames(store, organization, null);
    }

    private static Set<String> activeHostNames(ResourceStore store, long organization, Long leavingOut) {
        Set<String> names = new HashSet<>();
        Map<Long, Boolean> fromController = new HashMap<>();
        for (Resource inventory : store.where(ResourceTypes.INVENTORY, "organization", organization)) {
            if (leavingOut != null && leavingOut == inventory.id()) {
                continue;
            }
            for (Resource host : store.where(ResourceTypes.HOST, "inventory", inventory.id())) {
                boolean remote = host.reference("inventory_source").map(s -> fromController.computeIfAbsent(s, id ->
                        store.get(ResourceTypes.INVENTORY_SOURCE, id).map(src -> "controller".equals(src.get("source"))).orElse(false)))
                        .orElse(false);
                if (!remote) {
                    names.add(host.name());
                }
            }
        }
        return names;
    }

    private static Optional<Resource> organizationOf(ResourceStore store, Long inventory) {
        if (inventory == null) {
            return Optional.empty(); // AWX: a missing inventory is refused further down the line
        }
        return store.get(ResourceTypes.INVENTORY, inventory).flatMap(i -> i.reference("organization"))
                .flatMap(o -> store.get(ResourceTypes.ORGANIZATION, o));
    }

    private static long maxHosts(Resource organization) {
        return organization.get("max_hosts") instanceof Number n ? n.longValue() : 0;
    }
}
