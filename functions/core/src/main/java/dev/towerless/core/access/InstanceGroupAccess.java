package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;

/** Instance groups: superusers create and delete them (never the default one); their admins change them. */
public final class InstanceGroupAccess extends ModelAccess {
    /** AWX's DEFAULT_EXECUTION_QUEUE_NAME and DEFAULT_CONTROL_PLANE_QUEUE_NAME. */
    private static final List<String> PROTECTED = List.of("default", "controlplane");

    InstanceGroupAccess() {
        super(ResourceTypes.INSTANCE_GROUP, List.of("edit", "delete"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(r, READ);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        return a.isSuperuser() || a.holds(r, ADMIN);
    }

    /** Refused even to superusers for the default groups. */
    @Override
    public boolean canDelete(Access a, Resource r) {
        return !PROTECTED.contains(r.name()) && a.isSuperuser();
    }

    public boolean canUse(Access a, Resource r) {
        return a.holds(r, USE);
    }

    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        return name.equals("delete") ? canDelete(a, r) : super.capability(a, r, name, earlier);
    }
}
