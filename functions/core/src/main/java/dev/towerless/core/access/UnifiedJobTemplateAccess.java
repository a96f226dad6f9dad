package dev.towerless.core.access;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.Map;
import java.util.Optional;

/**
 * Rules about "whatever template this is" (a schedule's or a workflow node's): the template's own
 * access rules decide whether it may be seen, run or administered.
 */
public final class UnifiedJobTemplateAccess {
    private UnifiedJobTemplateAccess() {
    }

    public static Optional<Resource> find(Access a, long id) {
        for (String type : ResourceTypes.UNIFIED_JOB_TEMPLATES) {
            Optional<Resource> r = a.lookup().find(type, id);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    public static boolean canSee(Access a, Resource template) {
        return AccessPolicies.forType(template.type()).map(p -> p.canSee(a, template)).orElse(a.readsAll());
    }

    /** AWX's execute_role on a unified job template: each type's own start rule. */
    public static boolean canStart(Access a, Resource template) {
        return AccessPolicies.forType(template.type()).map(p -> p.canStart(a, template)).orElse(a.isSuperuser());
    }

    /** AWX's admin_role on a unified job template: each type's own change rule. */
    public static boolean canAdminister(Access a, Resource template) {
        return AccessPolicies.forType(template.type()).map(p -> p.canChange(a, template, Map.of())).orElse(a.isSuperuser());
    }
}
