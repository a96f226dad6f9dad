package dev.towerless.core.resources;

import dev.towerless.core.ports.ResourceStore;
import java.util.Optional;

/**
 * Finds a unified job template (job template, project, inventory source, system job template,
 * workflow or approval template) by id alone: they share one id sequence, so an id names one.
 */
public final class UnifiedJobTemplates {
    private UnifiedJobTemplates() {
    }

    public static Optional<Resource> find(ResourceStore resources, long id) {
        for (String type : ResourceTypes.UNIFIED_JOB_TEMPLATES) {
            Optional<Resource> r = resources.get(type, id);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }
}
