package dev.towerless.core.access;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;

/** Sent notifications: visible to whoever sees their template (AWX's NotificationAccess). */
public final class NotificationAccess extends ModelAccess {
    NotificationAccess() {
        super(ResourceTypes.NOTIFICATION, List.of());
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return r.reference("notification_template").flatMap(t -> a.lookup().find(ResourceTypes.NOTIFICATION_TEMPLATE, t))
                .map(t -> NotificationTemplateAccess.readableThroughOrganization(a, organizationOf(t))).orElse(false);
    }
}
