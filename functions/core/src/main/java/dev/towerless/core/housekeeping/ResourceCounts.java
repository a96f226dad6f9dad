package dev.towerless.core.housekeeping;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceSchema;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.settings.SystemSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The nightly repair of the per-type counters a list's {@code count} reads: each type is
 * counted by reading it once and its counter set to that, whatever drift a crash between an
 * insert and its count left; items an older version stored get the index keys they lack.
 * Runs with the nightly sweep (and when the local stack starts on a kept state directory).
 */
public final class ResourceCounts {
    private final ResourceStore resources;

    public ResourceCounts(ResourceStore resources) {
        this.resources = resources;
    }

    /** Every type's count, repaired; returns what each type holds. */
    public Map<String, Long> repairAll() {
        TreeSet<String> types = new TreeSet<>(ResourceTypes.declared());
        Schemas.all().stream().map(ResourceSchema::type).forEach(types::add);
        types.add(SystemSettings.TYPE);
        Map<String, Long> out = new LinkedHashMap<>();
        for (String type : types) {
            out.put(type, resources.recount(type));
        }
        return out;
    }
}
