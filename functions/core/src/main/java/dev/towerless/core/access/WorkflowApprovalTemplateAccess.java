package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.EXECUTE;
import static dev.towerless.core.access.RoleCatalogue.READ;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Approval steps belong to their workflow: seen with it, changed by whoever may change it, run by its executors. */
public final class WorkflowApprovalTemplateAccess extends ModelAccess {
    WorkflowApprovalTemplateAccess() {
        super(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, List.of("edit", "delete"));
    }

    private static Optional<Resource> workflowOf(Access a, Resource r) {
        return a.lookup().find(ResourceTypes.WORKFLOW_JOB_TEMPLATE, r.reference("workflow_job_template"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(ResourceTypes.WORKFLOW_JOB_TEMPLATE, r.reference("workflow_job_template"), READ);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        return a.isSuperuser() || workflowOf(a, r).map(w -> AccessPolicies.WORKFLOW_JOB_TEMPLATES.canChange(a, w, Map.of()))
                .orElse(false);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return canChange(a, r, Map.of());
    }

    @Override
    public boolean canStart(Access a, Resource r) {
        return a.isSuperuser() || a.holds(ResourceTypes.WORKFLOW_JOB_TEMPLATE, r.reference("workflow_job_template"), EXECUTE);
    }
}
