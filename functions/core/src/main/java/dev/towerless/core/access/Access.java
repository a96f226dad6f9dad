package dev.towerless.core.access;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.settings.SystemSettings;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who is asking, for one request: the user, whether their token may write, and every role they
 * hold directly or through their teams ({@link Memberships#heldBy}). "Does the user hold role R on
 * object O" walks up from R through AWX's implicit parents (the object's own roles, its
 * organization's, the singletons) and asks whether any of those is held: a handful of lookups
 * whatever the number of objects, each object read once per request.
 */
public final class Access {
    private final Resource user;
    private final boolean superuser;
    private final boolean auditor;
    private final boolean writeScope;
    private final Set<Long> direct;
    private final Set<Long> held;
    private final ResourceLookup lookup;
    private final Supplier<SystemSettings> settings;
    private final Map<Role, Set<Role>> ancestors = new HashMap<>();
    private final Map<String, Object> memo = new HashMap<>();
    private SystemSettings loadedSettings;

    public Access(Resource user, boolean writeScope, Set<Long> direct, Set<Long> held, ResourceLookup lookup,
                  Supplier<SystemSettings> settings) {
        this.user = user;
        this.superuser = user.flag(UserFields.IS_SUPERUSER);
        this.auditor = user.flag(UserFields.IS_SYSTEM_AUDITOR);
        this.writeScope = writeScope;
        this.direct = Set.copyOf(direct);
        this.held = Set.copyOf(held);
        this.lookup = lookup;
        this.settings = settings;
        lookup.remember(user);
    }

    public Resource user() {
        return user;
    }

    public long userId() {
        return user.id();
    }

    public boolean isSuperuser() {
        return superuser;
    }

    public boolean isSystemAuditor() {
        return auditor;
    }

    /** Superusers and system auditors see every object (AWX's BaseAccess.get_queryset). */
    public boolean readsAll() {
        return superuser || auditor;
    }

    /** False for a token of scope {@code read}: it may only GET, and every capability is false. */
    public boolean mayWrite() {
        return writeScope;
    }

    public ResourceLookup lookup() {
        return lookup;
    }

    public SystemSettings settings() {
        if (loadedSettings == null) {
            loadedSettings = settings.get();
        }
        return loadedSettings;
    }

    /** Something a rule works out once per request (e.g. the labels on every template the user may see). */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, Supplier<T> compute) {
        return (T) memo.computeIfAbsent(key, k -> compute.get());
    }

    /** Roles granted to the user themself (not through a team or a parent role). */
    public Set<Long> directRoles() {
        return direct;
    }

    public Set<Long> heldRoles() {
        return Collections.unmodifiableSet(held);
    }

    public boolean holds(String type, long objectId, String field) {
        return holds(Role.of(type, objectId, field));
    }

    public boolean holds(Resource object, String field) {
        return holds(Role.of(object.type(), object.id(), field));
    }

    /** A role on a referenced object, false when the reference is empty (a template without an inventory). */
    public boolean holds(String type, Optional<Long> objectId, String field) {
        return objectId.isPresent() && holds(type, objectId.get(), field);
    }

    public boolean holds(Role role) {
        if (superuser) {
            return true;
        }
        for (Role a : ancestorsOf(role)) {
            if (a.equals(Role.SYSTEM_AUDITOR) ? auditor : held.contains(a.id())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the user is a member of {@code role} directly, not through a parent role or a team. */
    public boolean holdsDirectly(Role role) {
        return direct.contains(role.id());
    }

    /** The ids of the objects of a type on which the user holds some role directly or through a team. */
    public Set<Long> objectsWithRoles(String type) {
        Set<Long> ids = new HashSet<>();
        for (long id : held) {
            Role.ofId(id).filter(r -> type.equals(r.contentType())).ifPresent(r -> ids.add(r.objectId()));
        }
        return ids;
    }

    /** The role with every role that implies it, following AWX's implicit parents (self included). */
    public Set<Role> ancestorsOf(Role role) {
        Set<Role> known = ancestors.get(role);
        if (known == null) {
            known = new HashSet<>();
            collect(role, known);
            ancestors.put(role, known);
        }
        return known;
    }

    private void collect(Role role, Set<Role> into) {
        if (!into.add(role) || role.isSingleton()) {
            return;
        }
        for (String parent : role.definition().parents()) {
            if (parent.startsWith("singleton:")) {
                into.add(parent.endsWith(RoleCatalogue.SYSTEM_AUDITOR) ? Role.SYSTEM_AUDITOR : Role.SYSTEM_ADMINISTRATOR);
                continue;
            }
            List<String> path = List.of(parent.split("\\."));
            String type = role.contentType();
            Optional<Long> id = Optional.of(role.objectId());
            for (String fk : path.subList(0, path.size() - 1)) {
                String current = type;
                id = id.flatMap(i -> lookup.find(current, i)).flatMap(o -> o.reference(fk));
                type = referencedType(fk);
            }
            if (id.isPresent()) {
                collect(Role.of(type, id.get(), path.get(path.size() - 1)), into);
            }
        }
    }

    private static String referencedType(String foreignKey) {
        return switch (foreignKey) {
            case "organization" -> ResourceTypes.ORGANIZATION;
            case "inventory" -> ResourceTypes.INVENTORY;
            default -> throw new IllegalStateException("no role path through " + foreignKey);
        };
    }
}
