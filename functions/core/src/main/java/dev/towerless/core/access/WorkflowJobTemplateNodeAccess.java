package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Workflow nodes: seen with their workflow; added and changed by its admins, who must also be able
 * to run the node's template and use its prompted inventory; edges need only admin of the workflow.
 */
public final class WorkflowJobTemplateNodeAccess extends ModelAccess {
    WorkflowJobTemplateNodeAccess() {
        super(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, List.of());
    }

    private static Optional<Long> workflowOf(Resource r) {
        return r.reference("workflow_job_template");
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflowOf(r), READ);
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        return a.isSuperuser()
                || checkRelated(a, "workflow_job_template", ResourceTypes.WORKFLOW_JOB_TEMPLATE, data, ADMIN, null, true)
                && templateExecutable(a, asId(data.get("unified_job_template")))
                && checkRelated(a, "inventory", ResourceTypes.INVENTORY, data, USE, null, false);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        Long current = r.reference("unified_job_template").orElse(null);
        Long next = data.containsKey("unified_job_template") ? asId(data.get("unified_job_template")) : current;
        boolean templates = current == null && next == null
                || templateExecutable(a, next) && (Objects.equals(current, next) || templateExecutable(a, current));
        return templates && workflowAdmin(a, r) && checkRelated(a, "inventory", ResourceTypes.INVENTORY, data, USE, r, false);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return workflowAdmin(a, r);
    }

    /** Edges: admin of the workflow (the controller checks both nodes are in it). */
    @Override
    public boolean canAttach(Access a, Resource owner, Resource sub, String relationship) {
        if ("credentials".equals(relationship)) {
            return a.isSuperuser() || canChange(a, owner, Map.of()) && a.holds(sub, USE);
        }
        return workflowAdmin(a, owner);
    }

    @Override
    public boolean canUnattach(Access a, Resource owner, Resource sub, String relationship) {
        return workflowAdmin(a, owner);
    }

    private static boolean workflowAdmin(Access a, Resource node) {
        return workflowOf(node).isEmpty() ? a.isSuperuser() : a.holds(ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflowOf(node), ADMIN);
    }

    private static boolean templateExecutable(Access a, Long template) {
        if (template == null) {
            return true;
        }
        return UnifiedJobTemplateAccess.find(a, template).map(t -> UnifiedJobTemplateAccess.canStart(a, t)).orElse(false);
    }
}
