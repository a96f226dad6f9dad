package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.CREDENTIAL_ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;

/**
 * Credentials: owned by a user, a team or an organization. Whoever holds {@code use} may put one in
 * a template or a launch without ever seeing its secrets; its admins change it.
 */
public final class CredentialAccess extends ModelAccess {
    CredentialAccess() {
        super(ResourceTypes.CREDENTIAL, List.of("edit", "delete", "copy", "use"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(r, READ);
    }

    /** {@code data} carries the owner: {@code user}, {@code team} or {@code organization} (exactly one, checked before). */
    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        Long user = asId(data.get("user"));
        if (user != null) {
            Resource owner = a.lookup().find(ResourceTypes.USER, user).orElse(null);
            if (owner == null || !(user == a.userId() || AccessPolicies.USERS.canAdmin(a, owner, false))) {
                return false;
            }
        }
        Long team = asId(data.get("team"));
        if (team != null) {
            Resource owner = a.lookup().find(ResourceTypes.TEAM, team).orElse(null);
            if (owner == null || !AccessPolicies.TEAMS.canChange(a, owner, Map.of())) {
                return false;
            }
        }
        Long org = asId(data.get("organization"));
        if (org != null && !(a.holds(ResourceTypes.ORGANIZATION, org, ADMIN)
                || a.holds(ResourceTypes.ORGANIZATION, org, CREDENTIAL_ADMIN))) {
            return false;
        }
        return user != null || team != null || org != null;
    }

    public boolean canUse(Access a, Resource r) {
        return a.holds(r, USE);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        return a.isSuperuser()
                || a.holds(r, ADMIN) && checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, CREDENTIAL_ADMIN, r, false);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return canChange(a, r, Map.of());
    }

    /** AWX's copy check asks can_add with the original, which names no owner: only superusers copy credentials. */
    @Override
    public boolean canCopy(Access a, Resource r) {
        return a.isSuperuser();
    }

    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        if (r.flag("managed") && (name.equals("edit") || name.equals("delete"))) {
            return false;
        }
        return name.equals("use") ? canUse(a, r) : super.capability(a, r, name, earlier);
    }
}
