package dev.towerless.core.access;

import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.settings.SystemSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who holds which role, as data. A user's direct roles live on the user ({@code roles}); the roles
 * granted to a team live on the team ({@code roles}, what its members hold; {@code admin_roles},
 * what its admins hold: a credential owned by the team). The two singletons are the user's
 * {@code is_superuser} and {@code is_system_auditor} flags, as AWX keeps them in step.
 *
 * <p>Each grant or revoke is one conditional write on one item (guarded by a version, so two
 * grants at once both land). What a user holds through teams is worked out when they are
 * checked, from the few teams they belong to: revoking a team's role ends it on the next request.
 */
public final class Memberships {
    public static final String ROLES = "roles";
    public static final String ADMIN_ROLES = "admin_roles";
    private static final String VERSION = "roles_version";
    private static final int ATTEMPTS = 10;

    private final ResourceStore store;
    private final JobStore jobs;

    public Memberships(ResourceStore store, JobStore jobs) {
        this.store = store;
        this.jobs = jobs;
    }

    /** The request's view of {@code user}: their roles, their teams', and one lookup memo for the rules. */
    public Access accessFor(Resource user, boolean writeScope) {
        ResourceLookup lookup = new ResourceLookup(store, jobs);
        Set<Long> direct = directRoles(user);
        return new Access(user, writeScope, direct, heldBy(user, direct, lookup), lookup, () -> SystemSettings.load(store));
    }

    public static Set<Long> directRoles(Resource user) {
        return new LinkedHashSet<>(user.references(ROLES));
    }

    /**
     * Every role the user holds as a member, directly or through a team: their own grants, and the
     * grants of each team whose member role they hold (as a member, as the team's admin, or as an
     * admin of the team's organization), teams granted to teams included. Bounded by the user's
     * own memberships: one batch read of their teams per level of nesting, and one indexed query of
     * the teams of each organization they administer.
     */
    Set<Long> heldBy(Resource user, Set<Long> direct, ResourceLookup lookup) {
        Set<Long> held = new LinkedHashSet<>(direct);
        Set<Long> administeredOrgs = new HashSet<>();
        Deque<Long> teams = new ArrayDeque<>();
        for (long id : direct) {
            Role.ofId(id).ifPresent(r -> {
                if (ResourceTypes.TEAM.equals(r.contentType())) {
                    teams.add(r.objectId());
                } else if (ResourceTypes.ORGANIZATION.equals(r.contentType()) && RoleCatalogue.ADMIN.equals(r.field())) {
                    administeredOrgs.add(r.objectId());
                }
            });
        }
        for (long org : administeredOrgs) {
            store.where(ResourceTypes.TEAM, "organization", org).forEach(t -> {
                lookup.remember(t);
                teams.add(t.id());
            });
        }
        Set<Long> seen = new HashSet<>();
        while (!teams.isEmpty()) {
            List<Long> batch = new ArrayList<>();
            while (!teams.isEmpty()) {
                long t = teams.pop();
                if (seen.add(t)) {
                    batch.add(t);
                }
            }
            Map<Long, Resource> loaded = new LinkedHashMap<>();
            List<Long> missing = new ArrayList<>();
            for (long t : batch) {
                lookup.peek(ResourceTypes.TEAM, t).ifPresentOrElse(r -> loaded.put(t, r), () -> missing.add(t));
            }
            store.getMany(ResourceTypes.TEAM, missing).forEach((id, r) -> {
                lookup.remember(r);
                loaded.put(id, r);
            });
            for (Resource team : loaded.values()) {
                boolean orgAdmin = team.reference("organization").filter(administeredOrgs::contains).isPresent();
                boolean admin = orgAdmin || held.contains(Role.of(ResourceTypes.TEAM, team.id(), RoleCatalogue.ADMIN).id());
                boolean member = admin || held.contains(Role.of(ResourceTypes.TEAM, team.id(), RoleCatalogue.MEMBER).id());
                List<Long> granted = new ArrayList<>();
                if (member) {
                    granted.addAll(team.references(ROLES));
                }
                if (admin) {
                    granted.addAll(team.references(ADMIN_ROLES));
                }
                for (long g : granted) {
                    if (held.add(g)) {
                        Role.ofId(g).filter(r -> ResourceTypes.TEAM.equals(r.contentType()))
                                .ifPresent(r -> teams.add(r.objectId()));
                    }
                }
            }
        }
        return held;
    }

    /** Makes {@code user} a member of {@code role} (the singletons set the user's flags). Idempotent. */
    public void grant(Resource user, Role role) {
        if (role.equals(Role.SYSTEM_ADMINISTRATOR) || role.equals(Role.SYSTEM_AUDITOR)) {
            store.update(ResourceTypes.USER, user.id(), Map.of(singletonFlag(role), true));
            return;
        }
        change(ResourceTypes.USER, user.id(), ROLES, role.id(), true);
    }

    public void revoke(Resource user, Role role) {
        if (role.equals(Role.SYSTEM_ADMINISTRATOR) || role.equals(Role.SYSTEM_AUDITOR)) {
            store.update(ResourceTypes.USER, user.id(), Map.of(singletonFlag(role), false));
            return;
        }
        change(ResourceTypes.USER, user.id(), ROLES, role.id(), false);
    }

    /** Grants {@code role} to the members of {@code team} (AWX: the team's member role becomes its parent). */
    public void grantToTeam(Resource team, Role role) {
        change(ResourceTypes.TEAM, team.id(), ROLES, role.id(), true);
    }

    public void revokeFromTeam(Resource team, Role role) {
        change(ResourceTypes.TEAM, team.id(), ROLES, role.id(), false);
    }

    /** Grants {@code role} to the admins of {@code team} (a credential the team owns). */
    public void grantToTeamAdmins(Resource team, Role role) {
        change(ResourceTypes.TEAM, team.id(), ADMIN_ROLES, role.id(), true);
    }

    private static String singletonFlag(Role role) {
        return role.equals(Role.SYSTEM_ADMINISTRATOR) ? UserFields.IS_SUPERUSER : UserFields.IS_SYSTEM_AUDITOR;
    }

    /** Adds or removes one role id with a write that holds only if nobody changed the list meanwhile. */
    private void change(String type, long id, String field, long roleId, boolean add) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Resource current = store.get(type, id).orElseThrow(() -> new IllegalArgumentException(type + " " + id + " is gone"));
            List<Long> roles = new ArrayList<>(current.references(field));
            if (add == roles.contains(roleId)) {
                return;
            }
            if (add) {
                roles.add(roleId);
            } else {
                roles.remove(roleId);
            }
            Object version = current.get(VERSION);
            long next = version instanceof Number n ? n.longValue() + 1 : 1;
            if (store.updateIf(type, id, VERSION, version, Map.of(field, roles, VERSION, next)).isPresent()) {
                return;
            }
        }
        throw new IllegalStateException("the roles of " + type + " " + id + " kept changing; try again");
    }

    /** The users granted {@code role} themselves (AWX's {@code role.members}), by username. */
    public List<Resource> directMembers(Role role) {
        List<Resource> users = store.all(ResourceTypes.USER);
        if (role.isSingleton()) {
            String flag = singletonFlag(role);
            return sortedByUsername(users.stream().filter(u -> u.flag(flag)).toList());
        }
        return sortedByUsername(users.stream().filter(u -> u.references(ROLES).contains(role.id())).toList());
    }

    /** The teams granted {@code role} (whose member role is one of its parents). */
    public List<Resource> teamsGranted(Role role) {
        return store.all(ResourceTypes.TEAM).stream().filter(t -> t.references(ROLES).contains(role.id())).toList();
    }

    private static List<Resource> sortedByUsername(Collection<Resource> users) {
        return users.stream().sorted(java.util.Comparator.comparing(u -> String.valueOf(u.get(UserFields.USERNAME)))).toList();
    }

    /**
     * Removes the roles of a deleted object from every user and team that held them, as AWX's
     * cascade does; a later object never reuses the id, so this only keeps the lists tidy.
     */
    public void forgetObject(String type, long objectId) {
        if (!RoleCatalogue.hasRoles(type)) {
            return;
        }
        Set<Long> gone = new HashSet<>();
        RoleCatalogue.rolesOf(type).forEach(d -> gone.add(Role.of(type, objectId, d.field()).id()));
        for (String holderType : List.of(ResourceTypes.USER, ResourceTypes.TEAM)) {
            for (Resource holder : store.all(holderType)) {
                for (String field : List.of(ROLES, ADMIN_ROLES)) {
                    holder.references(field).stream().filter(gone::contains)
                            .forEach(r -> change(holderType, holder.id(), field, r, false));
                }
            }
        }
    }
}
