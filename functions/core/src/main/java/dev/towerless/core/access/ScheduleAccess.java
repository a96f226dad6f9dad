package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Schedules: seen with their template; made by whoever may run it (with use of any prompted
 * inventory); changed by the template's admins, or by their creator while they may still run it.
 */
public final class ScheduleAccess extends ModelAccess {
    public static final String CREATED_BY = "created_by";

    ScheduleAccess() {
        super(ResourceTypes.SCHEDULE, List.of("edit", "delete"));
    }

    private static Optional<Resource> templateOf(Access a, Object id) {
        Long t = asId(id);
        return t == null ? Optional.empty() : UnifiedJobTemplateAccess.find(a, t);
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return templateOf(a, r.get("unified_job_template")).map(t -> UnifiedJobTemplateAccess.canSee(a, t)).orElse(false);
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        if (!checkRelated(a, "inventory", ResourceTypes.INVENTORY, data, USE, null, false)) {
            return false;
        }
        return templateOf(a, data.get("unified_job_template")).map(t -> UnifiedJobTemplateAccess.canStart(a, t)).orElse(false);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        if (!checkRelated(a, "inventory", ResourceTypes.INVENTORY, data, USE, r, false)) {
            return false;
        }
        Object current = r.get("unified_job_template");
        Object next = data.getOrDefault("unified_job_template", current);
        Optional<Resource> now = templateOf(a, current);
        Optional<Resource> then = templateOf(a, next);
        if (now.isEmpty() || then.isEmpty()) {
            return false;
        }
        boolean admin = UnifiedJobTemplateAccess.canAdminister(a, now.get())
                && (Objects.equals(asId(current), asId(next)) || UnifiedJobTemplateAccess.canAdminister(a, then.get()));
        if (admin) {
            return true;
        }
        boolean creator = Objects.equals(asId(r.get(CREATED_BY)), a.userId());
        return creator && UnifiedJobTemplateAccess.canStart(a, now.get()) && UnifiedJobTemplateAccess.canStart(a, then.get());
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return canChange(a, r, Map.of());
    }

    @Override
    public boolean canAttach(Access a, Resource owner, Resource sub, String relationship) {
        if ("credentials".equals(relationship)) {
            return a.isSuperuser() || canChange(a, owner, Map.of()) && a.holds(sub, USE);
        }
        return super.canAttach(a, owner, sub, relationship);
    }
}
