package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.MEMBER;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;

/** OAuth2 applications (AWX's OAuth2ApplicationAccess): seen by the organization's members, managed by its admins. */
public final class ApplicationAccess extends ModelAccess {
    ApplicationAccess() {
        super(ResourceTypes.APPLICATION, List.of("edit", "delete"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), MEMBER);
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        return a.isSuperuser() || checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, ADMIN, null, true);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        return a.isSuperuser() || a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), ADMIN)
                && checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, ADMIN, r, false);
    }

    /** AWX: superusers, or a direct admin of the application's organization. */
    @Override
    public boolean canDelete(Access a, Resource r) {
        return a.isSuperuser() || organizationOf(r)
                .map(o -> a.holdsDirectly(Role.of(ResourceTypes.ORGANIZATION, o, ADMIN))).orElse(false);
    }
}
