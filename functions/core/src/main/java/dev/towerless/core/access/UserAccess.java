package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.MEMBER;
import static dev.towerless.core.access.RoleCatalogue.READ;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.settings.SystemSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Users (AWX's UserAccess and UserDetail.update_filter): anyone sees themself, the superusers and
 * auditors, and the members of organizations they can read; organization admins manage the users
 * whose every organization they administer; only superusers make superusers or auditors.
 */
public final class UserAccess extends ModelAccess {
    UserAccess() {
        super(ResourceTypes.USER, List.of("edit", "delete"));
    }

    /** AWX's ORG_ADMINS_CAN_SEE_ALL_USERS for a direct organization admin or auditor. */
    static boolean seesAllUsers(Access a) {
        return a.settings().flag(SystemSettings.ORG_ADMINS_CAN_SEE_ALL_USERS) && TeamAccess.adminOrAuditorOfAnOrganization(a);
    }

    /** AWX's MANAGE_ORGANIZATION_AUTH: may organization and team admins manage their users? */
    static boolean organizationsManageUsers(Access a) {
        return a.settings().flag(SystemSettings.MANAGE_ORGANIZATION_AUTH);
    }

    @Override
    protected boolean canRead(Access a, Resource target) {
        if (seesAllUsers(a) || target.id() == a.userId()
                || target.flag(UserFields.IS_SUPERUSER) || target.flag(UserFields.IS_SYSTEM_AUDITOR)) {
            return true;
        }
        for (long org : directOrganizations(target, MEMBER)) {
            if (a.holds(ResourceTypes.ORGANIZATION, org, READ)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        if ((isTrue(data.get(UserFields.IS_SUPERUSER)) || isTrue(data.get(UserFields.IS_SYSTEM_AUDITOR))) && !a.isSuperuser()) {
            return false;
        }
        if (a.isSuperuser()) {
            return true;
        }
        return organizationsManageUsers(a) && !administeredOrganizations(a).isEmpty();
    }

    @Override
    public boolean canChange(Access a, Resource target, Map<String, Object> data) {
        if (isTrue(data.get(UserFields.IS_SUPERUSER)) && !a.isSuperuser()) {
            return false;
        }
        if (isTrue(data.get(UserFields.IS_SYSTEM_AUDITOR)) && !(a.isSuperuser() || target.id() == a.userId())) {
            return false;
        }
        if (!organizationsManageUsers(a) && !a.isSuperuser()) {
            return false;
        }
        return target.id() == a.userId() || canAdmin(a, target, false);
    }

    /**
     * AWX's update_filter: what a user who may change {@code target} still may not change. Null when
     * the change is allowed, else AWX's 403 message ("Cannot change is_superuser, username.").
     */
    public String forbiddenChange(Access a, Resource target, Map<String, Object> input) {
        List<String> fields = new ArrayList<>();
        if (!a.isSuperuser()) {
            fields.addAll(List.of(UserFields.IS_SUPERUSER, UserFields.IS_SYSTEM_AUDITOR));
        }
        if (canChange(a, target, input) && !canAdmin(a, target, false)) {
            fields.addAll(List.of(UserFields.USERNAME, "is_active"));
        }
        List<String> bad = new ArrayList<>();
        for (String f : fields) {
            Object left = f.equals("is_active") ? Boolean.TRUE : target.fields().getOrDefault(f, f.startsWith("is_") ? false : null);
            Object right = input.get(f);
            if (left != null && right != null && !left.equals(f.startsWith("is_") ? asBoolean(right) : right)) {
                bad.add(f);
            }
        }
        return bad.isEmpty() ? null : "Cannot change " + String.join(", ", bad) + ".";
    }

    @Override
    public boolean canDelete(Access a, Resource target) {
        if (target.id() == a.userId()) {
            return false;
        }
        if (target.flag(UserFields.IS_SUPERUSER) && a.lookup().store().all(ResourceTypes.USER).stream()
                .filter(u -> u.flag(UserFields.IS_SUPERUSER)).count() == 1) {
            return false;
        }
        return canAdmin(a, target, true);
    }

    /**
     * AWX's UserAccess.can_admin: superusers; otherwise only while organizations manage their users,
     * never for superusers or auditors, and only an admin of every organization the target belongs
     * to. A user in no organization ("orphan") only if {@code allowOrphans} and every role the target
     * holds is one the requester holds or implies.
     */
    public boolean canAdmin(Access a, Resource target, boolean allowOrphans) {
        if (a.isSuperuser()) {
            return true;
        }
        if (!organizationsManageUsers(a)) {
            return false;
        }
        if (target.flag(UserFields.IS_SUPERUSER) || target.flag(UserFields.IS_SYSTEM_AUDITOR)) {
            return false;
        }
        Set<Long> orgs = organizationsOf(target);
        if (orgs.isEmpty()) {
            if (!allowOrphans) {
                return false;
            }
            for (long roleId : Memberships.directRoles(target)) {
                Optional<Role> role = Role.ofId(roleId);
                if (role.isPresent() && !a.holds(role.get())) {
                    return false;
                }
            }
            return true;
        }
        for (long org : orgs) {
            if (!a.holds(ResourceTypes.ORGANIZATION, org, ADMIN)) {
                return false;
            }
        }
        return true;
    }

    /** The organizations that count the user as a member (their member or admin role, held directly). */
    public static Set<Long> organizationsOf(Resource user) {
        Set<Long> orgs = new LinkedHashSet<>(directOrganizations(user, MEMBER));
        orgs.addAll(directOrganizations(user, ADMIN));
        return orgs;
    }

    private static Set<Long> directOrganizations(Resource user, String field) {
        Set<Long> orgs = new LinkedHashSet<>();
        for (long id : Memberships.directRoles(user)) {
            Role.ofId(id).filter(r -> ResourceTypes.ORGANIZATION.equals(r.contentType()) && field.equals(r.field()))
                    .ifPresent(r -> orgs.add(r.objectId()));
        }
        return orgs;
    }

    /** The organizations whose admin role the user holds. */
    static Set<Long> administeredOrganizations(Access a) {
        Set<Long> out = new LinkedHashSet<>();
        for (long org : a.objectsWithRoles(ResourceTypes.ORGANIZATION)) {
            if (a.holds(ResourceTypes.ORGANIZATION, org, ADMIN)) {
                out.add(org);
            }
        }
        return out;
    }

    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        if (!organizationsManageUsers(a)) {
            return a.isSuperuser();
        }
        if (name.equals("delete")) { // users are one of the models whose delete is not its edit
            return canDelete(a, r);
        }
        return super.capability(a, r, name, earlier);
    }

    @Override
    public Optional<Set<Long>> candidates(Access a) {
        return Optional.empty();
    }

    static boolean isTrue(Object v) {
        return Boolean.TRUE.equals(asBoolean(v));
    }

    /** Python's to_python_boolean: true/1/t and false/0/f, any case. */
    static Boolean asBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null) {
            return null;
        }
        String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "true", "1", "t" -> true;
            case "false", "0", "f" -> false;
            default -> null;
        };
    }
}
