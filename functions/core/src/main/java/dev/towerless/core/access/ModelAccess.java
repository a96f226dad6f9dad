package dev.towerless.core.access;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The access rules of one model, after AWX's {@code BaseAccess} (awx/main/access.py): who may read
 * it, add, change, delete, start and copy it, attach things to it, and what its
 * {@code summary_fields.user_capabilities} say. Superusers may do everything the rules do not
 * refuse them by name; system auditors read everything and change nothing.
 */
public abstract class ModelAccess {
    private final String type;
    private final List<String> capabilities;

    protected ModelAccess(String type, List<String> capabilities) {
        this.type = type;
        this.capabilities = capabilities;
    }

    public final String type() {
        return type;
    }

    /** Whether the user may see the object: its detail, and its place in lists. */
    public final boolean canSee(Access a, Resource r) {
        a.lookup().remember(r);
        return a.readsAll() || canRead(a, r);
    }

    /** AWX's {@code filtered_queryset}, for one object and a user who is neither superuser nor auditor. */
    protected abstract boolean canRead(Access a, Resource r);

    /** {@code data}: the new object's fields (references as ids). */
    public boolean canAdd(Access a, Map<String, Object> data) {
        return a.isSuperuser();
    }

    /** {@code data}: the fields being written (empty: "could this user change it at all"). */
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        return a.isSuperuser();
    }

    public boolean canDelete(Access a, Resource r) {
        return a.isSuperuser();
    }

    public boolean canStart(Access a, Resource r) {
        return a.isSuperuser();
    }

    /** AWX: copying needs what creating the same object would. */
    public boolean canCopy(Access a, Resource r) {
        return a.isSuperuser();
    }

    /**
     * Attaching {@code sub} under {@code relationship}: by default, change the owner and see the
     * attached object. Notification templates follow AWX's NotificationAttachMixin (attaching and
     * detaching alike): change the template, and hold {@link #notificationAttachRoles} on the owner.
     */
    public boolean canAttach(Access a, Resource owner, Resource sub, String relationship) {
        if (relationship.startsWith("notification_templates")) {
            return NotificationTemplateAccess.canAttachTo(a, owner, sub, notificationAttachRoles());
        }
        return canChange(a, owner, Map.of()) && AccessPolicies.forType(sub.type()).map(p -> p.canSee(a, sub)).orElse(true);
    }

    public boolean canUnattach(Access a, Resource owner, Resource sub, String relationship) {
        if (relationship.startsWith("notification_templates")) {
            return canAttach(a, owner, sub, relationship);
        }
        return canChange(a, owner, Map.of());
    }

    /** The owner's roles that let a notification admin attach templates to it; null: seeing the owner is enough. */
    protected List<String> notificationAttachRoles() {
        return null;
    }

    /**
     * The objects a list may show this user, when they can be named without reading the whole type
     * (e.g. the templates the user holds a role on); empty when only reading every object and asking
     * {@link #canSee} will do (the user holds roles that reach objects they are not named on).
     */
    public Optional<Set<Long>> candidates(Access a) {
        if (!RoleCatalogue.hasRoles(type)) {
            return Optional.empty();
        }
        Set<Long> organizations = a.objectsWithRoles(ResourceTypes.ORGANIZATION);
        if (organizations.isEmpty()) {
            return Optional.of(a.objectsWithRoles(type));
        }
        // Organization-wide roles reach objects by their stored organization: those objects are the
        // organization's children in the parent index, read per organization rather than the whole type.
        if (!ResourceTypes.parentField(type).equals(Optional.of(ResourceTypes.ORGANIZATION))
                || reachesThroughAnotherObjectsOrganization(a, organizations)) {
            return Optional.empty();
        }
        Set<Long> ids = new java.util.LinkedHashSet<>(a.objectsWithRoles(type));
        for (long organization : organizations) {
            a.lookup().store().where(type, "organization", organization).forEach(r -> {
                a.lookup().remember(r);
                ids.add(r.id());
            });
        }
        return Optional.of(ids);
    }

    /**
     * Whether some role of this type has a parent through another object's organization
     * ({@code inventory.organization.auditor_role} on a job template) that one of these
     * organizations' roles fills: such objects are not the organization's children.
     */
    private boolean reachesThroughAnotherObjectsOrganization(Access a, Set<Long> organizations) {
        for (RoleDefinition d : RoleCatalogue.rolesOf(type)) {
            for (String parent : d.parents()) {
                String[] path = parent.split("\\.");
                if (path.length > 2 && "organization".equals(path[path.length - 2])
                        && organizations.stream().anyMatch(o -> a.holds(ResourceTypes.ORGANIZATION, o, path[path.length - 1]))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** AWX's {@code user_capabilities}, in AWX's order (read tokens: all false). */
    public Map<String, Boolean> capabilities(Access a, Resource r) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String c : List.of("edit", "delete", "start", "schedule", "copy", "adhoc", "use")) {
            if (capabilities.contains(c)) {
                out.put(c, a.mayWrite() && capability(a, r, c, out));
            }
        }
        Map<String, Boolean> ordered = new LinkedHashMap<>();
        capabilities.forEach(c -> ordered.put(c, out.get(c)));
        return ordered;
    }

    /** One capability; {@code earlier} holds those computed before it (AWX derives delete from edit, schedule from start). */
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        try {
            return switch (name) {
                case "edit" -> canChange(a, r, Map.of());
                case "delete" -> earlier.getOrDefault("edit", false);
                case "start" -> canStart(a, r);
                case "schedule" -> earlier.getOrDefault("start", false);
                case "copy" -> canCopy(a, r);
                default -> false;
            };
        } catch (AccessDenied e) {
            return false;
        }
    }

    // ---- helpers shared by the rules ----

    /**
     * AWX's {@code check_related}: a change of {@code field} needs {@code role} on the new object and
     * on the current one; {@code mandatory} also checks the current one when unchanged, and refuses
     * creation without it to all but superusers. {@code existing} is null when creating.
     */
    protected static boolean checkRelated(Access a, String field, String relatedType, Map<String, Object> data, String role,
                                          Resource existing, boolean mandatory) {
        boolean given = data != null && data.containsKey(field);
        Long next = given ? asId(data.get(field)) : null;
        Long current = existing != null && (given || mandatory) ? existing.reference(field).orElse(null) : null;
        boolean changed = given;
        if (existing != null && Objects.equals(next, current)) {
            changed = false;
        }
        if (next == null && existing == null && mandatory) {
            return a.isSuperuser();
        }
        if (next != null && changed && !hasRole(a, relatedType, next, role)) {
            return false;
        }
        return current == null || !(changed || mandatory) || hasRole(a, relatedType, current, role);
    }

    /** A role on a related object; for models without that role AWX asks their access rules (read, change, start). */
    protected static boolean hasRole(Access a, String type, long id, String role) {
        if (RoleCatalogue.definition(type, role).isPresent()) {
            return a.holds(type, id, role);
        }
        Optional<Resource> r = a.lookup().find(type, id);
        Optional<ModelAccess> policy = AccessPolicies.forType(type);
        if (r.isEmpty() || policy.isEmpty()) {
            return false;
        }
        return switch (role) {
            case RoleCatalogue.READ -> policy.get().canSee(a, r.get());
            case RoleCatalogue.ADMIN -> policy.get().canChange(a, r.get(), Map.of());
            case RoleCatalogue.EXECUTE -> policy.get().canStart(a, r.get());
            default -> false;
        };
    }

    protected static Long asId(Object v) {
        return v instanceof Number n ? n.longValue() : null;
    }

    protected static boolean changes(Map<String, Object> data, String field, Resource existing) {
        return data != null && data.containsKey(field) && !Objects.equals(asId(data.get(field)), existing.reference(field).orElse(null));
    }

    protected static Optional<Long> organizationOf(Resource r) {
        return r.reference("organization");
    }
}
