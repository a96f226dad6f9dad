package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.APPROVAL;
import static dev.towerless.core.access.RoleCatalogue.EXECUTE;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.USE;
import static dev.towerless.core.access.RoleCatalogue.WORKFLOW_ADMIN;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;

/** Workflow job templates: made by an organization's workflow admins; {@code execute} launches, {@code approval} approves. */
public final class WorkflowJobTemplateAccess extends ModelAccess {
    WorkflowJobTemplateAccess() {
        super(ResourceTypes.WORKFLOW_JOB_TEMPLATE, List.of("start", "schedule", "edit", "copy", "delete"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(r, READ);
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        return a.isSuperuser()
                || checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, WORKFLOW_ADMIN, null, true)
                && checkRelated(a, "inventory", ResourceTypes.INVENTORY, data, USE, null, false);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        return a.isSuperuser()
                || checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, WORKFLOW_ADMIN, r, false)
                && checkRelated(a, "inventory", ResourceTypes.INVENTORY, data, USE, r, false)
                && a.holds(r, ADMIN);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return a.isSuperuser() || a.holds(r, ADMIN);
    }

    @Override
    public boolean canStart(Access a, Resource r) {
        return a.isSuperuser() || a.holds(r, EXECUTE);
    }

    public boolean canApprove(Access a, Resource r) {
        return a.isSuperuser() || a.holds(r, APPROVAL);
    }

    @Override
    public boolean canCopy(Access a, Resource r) {
        if (organizationOf(r).isEmpty()) {
            return a.isSuperuser();
        }
        return a.isSuperuser() || a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), WORKFLOW_ADMIN);
    }
}
