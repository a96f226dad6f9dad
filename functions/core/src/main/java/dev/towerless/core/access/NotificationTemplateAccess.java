package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.AUDITOR;
import static dev.towerless.core.access.RoleCatalogue.NOTIFICATION_ADMIN;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;

/**
 * Notification templates belong to an organization: its notification admins (and its admins) see
 * and manage them, its auditors see them. One without an organization is the superusers' alone.
 */
public final class NotificationTemplateAccess extends ModelAccess {
    NotificationTemplateAccess() {
        super(ResourceTypes.NOTIFICATION_TEMPLATE, List.of("edit", "delete", "copy"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return readableThroughOrganization(a, organizationOf(r));
    }

    /** AWX: templates of organizations where the user is a notification admin, or a direct auditor. */
    static boolean readableThroughOrganization(Access a, java.util.Optional<Long> organization) {
        return organization.isPresent() && (a.holds(ResourceTypes.ORGANIZATION, organization.get(), NOTIFICATION_ADMIN)
                || a.holdsDirectly(Role.of(ResourceTypes.ORGANIZATION, organization.get(), AUDITOR)));
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        return a.isSuperuser() || checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, NOTIFICATION_ADMIN, null, true);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        return organizationOf(r).isPresent()
                && checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, NOTIFICATION_ADMIN, r, true);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return canChange(a, r, Map.of());
    }

    /** Sending a test notification. */
    @Override
    public boolean canStart(Access a, Resource r) {
        return a.isSuperuser() || a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), NOTIFICATION_ADMIN);
    }

    @Override
    public boolean canCopy(Access a, Resource r) {
        return a.isSuperuser() || a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), RoleCatalogue.ADMIN);
    }

    /**
     * AWX's NotificationAttachMixin: attaching a template to {@code owner} (or detaching it) needs
     * the right to change the template, and {@code ownerRoles} on the owner (null: reading it).
     */
    static boolean canAttachTo(Access a, Resource owner, Resource template, List<String> ownerRoles) {
        if (a.isSuperuser()) {
            return true;
        }
        if (!AccessPolicies.NOTIFICATION_TEMPLATES.canChange(a, template, Map.of())) {
            return false;
        }
        if (ownerRoles == null) {
            return AccessPolicies.forType(owner.type()).map(p -> p.canSee(a, owner)).orElse(false);
        }
        return ownerRoles.stream().anyMatch(role -> a.holds(owner, role));
    }
}
