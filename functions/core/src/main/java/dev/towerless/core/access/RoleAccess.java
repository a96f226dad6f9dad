package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.MEMBER;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.Optional;

/**
 * Granting and revoking roles (AWX's RoleAccess): only an admin of the role's object may hand it
 * on, and only to users and teams they can see; organization membership and administration go to
 * users alone, and only to users the granter may administer; the system roles are the superusers'.
 */
public final class RoleAccess {
    private RoleAccess() {
    }

    /** Whether the user may see the role ({@code roles/N/}): a role of an object they see, one they hold, or a singleton. */
    public static boolean canSee(Access a, Role role) {
        if (a.readsAll() || role.isSingleton() || a.holds(role)) {
            return true;
        }
        return contentObject(a, role).map(o -> AccessPolicies.forType(o.type()).map(p -> p.canSee(a, o)).orElse(false))
                .orElse(false);
    }

    public static Optional<Resource> contentObject(Access a, Role role) {
        return role.isSingleton() ? Optional.empty() : a.lookup().find(role.contentType(), role.objectId());
    }

    /** Granting {@code role} to (or revoking it from) a user; the same rule both ways. */
    public static boolean canGrantToUser(Access a, Role role, Resource user) {
        if (a.isSuperuser()) {
            return true;
        }
        if (!AccessPolicies.USERS.canSee(a, user)) {
            return false;
        }
        return canGrant(a, role, user);
    }

    /** Granting {@code role} to (or revoking it from) a team. */
    public static boolean canGrantToTeam(Access a, Role role, Resource team) {
        if (a.isSuperuser()) {
            return true;
        }
        if (!AccessPolicies.TEAMS.canSee(a, team)) {
            return false;
        }
        return canGrant(a, role, null);
    }

    /** Granting {@code role} to a user the caller just created (AWX skips the check that the caller can see them). */
    public static boolean canGrantNew(Access a, Role role, Resource user) {
        return a.isSuperuser() || canGrant(a, role, user);
    }

    private static boolean canGrant(Access a, Role role, Resource user) {
        if (role.isSingleton()) {
            return false;
        }
        boolean participation = ADMIN.equals(role.field()) || MEMBER.equals(role.field());
        if (ResourceTypes.ORGANIZATION.equals(role.contentType()) && participation) {
            if (user == null || !UserAccess.organizationsManageUsers(a) || !AccessPolicies.USERS.canAdmin(a, user, true)) {
                return false;
            }
        }
        if (ResourceTypes.TEAM.equals(role.contentType()) && participation && !UserAccess.organizationsManageUsers(a)) {
            return false;
        }
        return a.holds(role.contentType(), role.objectId(), ADMIN);
    }
}
