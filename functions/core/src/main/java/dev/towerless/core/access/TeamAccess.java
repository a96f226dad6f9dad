package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.AUDITOR;
import static dev.towerless.core.access.RoleCatalogue.MEMBER;
import static dev.towerless.core.access.RoleCatalogue.READ;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Teams: members of the team's organization see it; its admins (and the organization's) manage it,
 * as long as organizations manage their own users ({@code MANAGE_ORGANIZATION_AUTH}).
 */
public final class TeamAccess extends ModelAccess {
    TeamAccess() {
        super(ResourceTypes.TEAM, List.of("edit", "delete"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        if (UserAccess.seesAllUsers(a)) {
            return true;
        }
        return a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), MEMBER) || a.holds(r, READ);
    }

    @Override
    public Optional<Set<Long>> candidates(Access a) {
        return UserAccess.seesAllUsers(a) ? Optional.empty() : super.candidates(a);
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        return UserAccess.organizationsManageUsers(a)
                && checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, ADMIN, null, false);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        Long org = asId(data.get("organization"));
        if (org != null && !org.equals(organizationOf(r).orElse(null))) {
            throw new AccessDenied("Unable to change organization on a team.");
        }
        if (a.isSuperuser()) {
            return true;
        }
        return UserAccess.organizationsManageUsers(a) && a.holds(r, ADMIN);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return canChange(a, r, Map.of());
    }

    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        return UserAccess.organizationsManageUsers(a) ? super.capability(a, r, name, earlier) : a.isSuperuser();
    }

    /** Whether the user directly administers or audits some organization (AWX's admin_of/auditor_of_organizations). */
    static boolean adminOrAuditorOfAnOrganization(Access a) {
        for (long id : a.directRoles()) {
            Optional<Role> r = Role.ofId(id);
            if (r.isPresent() && ResourceTypes.ORGANIZATION.equals(r.get().contentType())
                    && (ADMIN.equals(r.get().field()) || AUDITOR.equals(r.get().field()))) {
                return true;
            }
        }
        return false;
    }
}
