package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.ValidationException;
import java.util.List;
import java.util.Map;

/** Organizations: read with the read role; only superusers create them; their admins change and delete them. */
public final class OrganizationAccess extends ModelAccess {
    OrganizationAccess() {
        super(ResourceTypes.ORGANIZATION, List.of("edit", "delete"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(r, READ);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        if (!a.isSuperuser() && data.containsKey("max_hosts") && !java.util.Objects.equals(
                ModelAccess.asId(data.get("max_hosts")), ModelAccess.asId(r.fields().getOrDefault("max_hosts", 0L)))) {
            if (!a.holds(r, ADMIN)) {
                return false;
            }
            throw ValidationException.of("__all__", "Cannot change max_hosts.");
        }
        return a.holds(r, ADMIN);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return canChange(a, r, Map.of());
    }

    @Override
    public boolean canAttach(Access a, Resource owner, Resource sub, String relationship) {
        if ("instance_groups".equals(relationship)) {
            return a.holds(owner, ADMIN) && a.holds(sub, USE);
        }
        return super.canAttach(a, owner, sub, relationship);
    }

    @Override
    public boolean canUnattach(Access a, Resource owner, Resource sub, String relationship) {
        return canAttach(a, owner, sub, relationship); // AWX falls back to the attach rule here
    }

    /** AWX: the organization's admin role is not a parent of its auditor role, so both are named. */
    @Override
    protected List<String> notificationAttachRoles() {
        return List.of(ADMIN, RoleCatalogue.AUDITOR);
    }
}
