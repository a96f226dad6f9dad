package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.PROJECT_ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.UPDATE;
import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;

/** Projects: created by an organization's project admins, updated by their update role, used by job templates. */
public final class ProjectAccess extends ModelAccess {
    ProjectAccess() {
        super(ResourceTypes.PROJECT, List.of("start", "schedule", "edit", "delete", "copy"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(r, READ);
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        return a.isSuperuser()
                || checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, PROJECT_ADMIN, null, true)
                && checkRelated(a, "credential", ResourceTypes.CREDENTIAL, data, USE, null, false);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        return a.isSuperuser()
                || checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, PROJECT_ADMIN, r, false)
                && a.holds(r, ADMIN)
                && checkRelated(a, "credential", ResourceTypes.CREDENTIAL, data, USE, r, false);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return canChange(a, r, Map.of());
    }

    /** A project update. */
    @Override
    public boolean canStart(Access a, Resource r) {
        return a.holds(r, UPDATE);
    }

    @Override
    public boolean canCopy(Access a, Resource r) {
        return a.isSuperuser() || a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), PROJECT_ADMIN);
    }

    @Override
    protected List<String> notificationAttachRoles() {
        return List.of(ADMIN);
    }
}
