package dev.towerless.core.inventory;

import dev.towerless.core.resources.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host as a host filter sees it: its own fields, its inventory (and that inventory's
 * organization), the groups that list it directly and the inventory sources that made it, as
 * AWX's {@code Host} relations {@code inventory}, {@code groups} and {@code inventory_sources}.
 */
public record FilterableHost(Resource host, Resource inventory, Optional<Resource> organization, List<Resource> groups,
                             List<Resource> inventorySources) {

    /** The host's {@code ansible_facts} (AWX's JSON field; empty when none were gathered). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> facts() {
        return host.get("ansible_facts") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
