package dev.towerless.runner;

import dev.towerless.core.organizations.HostLimit;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * inventory_import's organization host limit, judged on what ansible-inventory listed before a
 * single host is written: AWX checks after writing, inside a transaction it rolls back; with no
 * transaction here, refusing first is what leaves nothing half-imported.
 */
final class ImportHostLimit {
    private ImportHostLimit() {
    }

    /** AWX's refusal ("Host limit for organization exceeded!") if the import would pass max_hosts. */
    @SuppressWarnings("unchecked")
    static Optional<String> refusal(RunContext ctx, long inventoryId, long sourceId, Map<String, Object> listed) {
        Set<String> imported = new LinkedHashSet<>(((Map<String, Object>) ((Map<String, Object>) listed
                .getOrDefault("_meta", Map.of())).getOrDefault("hostvars", Map.of())).keySet());
        listed.forEach((name, group) -> {
            if (!name.equals("_meta") && group instanceof Map<?, ?> g && g.get("hosts") instanceof List<?> hosts) {
                hosts.forEach(h -> imported.add(String.valueOf(h)));
            }
        });
        boolean overwrite = Boolean.TRUE.equals(ctx.job.get("overwrite"));
        Set<String> kept = new LinkedHashSet<>();
        for (Resource host : ctx.resources.where(ResourceTypes.HOST, "inventory", inventoryId)) {
            // With overwrite, what this source imported before and no longer lists is removed.
            boolean removed = overwrite && host.reference("inventory_source").orElse(-1L) == sourceId && !imported.contains(host.name());
            if (!removed) {
                kept.add(host.name());
            }
        }
        long max = ctx.job.longField(HostLimit.JOB_LIMIT).orElse(0L);
        return HostLimit.importRefusal(ctx.resources, inventoryId, max, kept, imported);
    }
}
