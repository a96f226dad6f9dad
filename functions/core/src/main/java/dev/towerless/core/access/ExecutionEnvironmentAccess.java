package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.EXECUTION_ENVIRONMENT_ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Execution environments (AWX's ExecutionEnvironmentAccess): global ones are seen by everyone and
 * managed by superusers; an organization's by those who read it and managed by its execution
 * environment admins. A managed one (the runner's own) keeps its image: only {@code pull} changes.
 */
public final class ExecutionEnvironmentAccess extends ModelAccess {
    public static final String MANAGED_ONLY_PULL = "Only the 'pull' field can be edited for managed execution environments.";
    private static final Set<String> MANAGED_FIXED = Set.of("name", "description", "organization", "image", "credential");

    ExecutionEnvironmentAccess() {
        super(ResourceTypes.EXECUTION_ENVIRONMENT, List.of("edit", "delete", "copy"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return organizationOf(r).isEmpty() || a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), READ);
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        return a.isSuperuser()
                || checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, EXECUTION_ENVIRONMENT_ADMIN, null, true);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        if (r.flag("managed")) {
            for (String f : MANAGED_FIXED) {
                if (data.containsKey(f) && !java.util.Objects.equals(data.get(f), r.get(f))) {
                    throw new AccessDenied(MANAGED_ONLY_PULL);
                }
            }
        }
        if (a.isSuperuser()) {
            return true;
        }
        if (organizationOf(r).isEmpty()) {
            return false;
        }
        return checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, EXECUTION_ENVIRONMENT_ADMIN, r, true);
    }

    /** A managed one is never deleted, not even by a superuser. */
    @Override
    public boolean canDelete(Access a, Resource r) {
        return !r.flag("managed") && canChange(a, r, Map.of());
    }

    @Override
    public boolean canCopy(Access a, Resource r) {
        return a.isSuperuser() || a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), EXECUTION_ENVIRONMENT_ADMIN);
    }

    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        return name.equals("delete") ? canDelete(a, r) : super.capability(a, r, name, earlier);
    }
}
