package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADHOC;
import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.APPROVAL;
import static dev.towerless.core.access.RoleCatalogue.AUDITOR;
import static dev.towerless.core.access.RoleCatalogue.EXECUTE;
import static dev.towerless.core.access.RoleCatalogue.JOB_TEMPLATE_ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.UPDATE;
import static dev.towerless.core.access.RoleCatalogue.USE;
import static dev.towerless.core.access.RoleCatalogue.WORKFLOW_ADMIN;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.resources.ResourceTypes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who may see, cancel, delete and relaunch a job of each kind (AWX's JobAccess, ProjectUpdateAccess,
 * InventoryUpdateAccess, AdHocCommandAccess, SystemJobAccess, WorkflowJobAccess and
 * WorkflowApprovalAccess): a job is seen with what it ran from, and its output with it.
 */
public final class UnifiedJobAccess {
    private UnifiedJobAccess() {
    }

    public static boolean canSee(Access a, UnifiedJob j) {
        if (a.readsAll()) {
            return true;
        }
        return switch (j.kind()) {
            case JOB -> a.holds(ResourceTypes.JOB_TEMPLATE, j.longField(JobFields.JOB_TEMPLATE), READ)
                    || directAdminOrAuditor(a, j.longField(JobFields.ORGANIZATION));
            case PROJECT_UPDATE -> a.holds(ResourceTypes.PROJECT, j.longField(JobFields.PROJECT), READ);
            case INVENTORY_UPDATE, AD_HOC_COMMAND -> a.holds(ResourceTypes.INVENTORY, j.longField(JobFields.INVENTORY), READ);
            case WORKFLOW_JOB -> Boolean.TRUE.equals(j.get("is_bulk_job"))
                    // AWX: a bulk job is seen by whoever launched it and its organization's admins
                    ? createdBy(j).filter(u -> u == a.userId()).isPresent()
                    || a.holdsDirectly(Role.of(ResourceTypes.ORGANIZATION, j.longField(JobFields.ORGANIZATION).orElse(-1L), ADMIN))
                    : a.holds(ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflowTemplate(j), READ);
            case WORKFLOW_APPROVAL -> workflowOf(a, j).map(w -> a.holds(ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflowTemplate(w), READ))
                    .orElse(false);
            default -> false;
        };
    }

    /**
     * The job templates whose jobs are exactly the playbook jobs ({@code jobs/}) this user may see,
     * when that can be said without reading jobs: as {@link #canSee} has it, a job is seen through
     * its template unless the user is a direct admin or auditor of some organization (who sees the
     * organization's jobs whatever their template), so without such a role the jobs seen are those
     * of the templates they may read: those they hold a role on, and the templates of each
     * organization where they hold a role that reaches its templates (execute, job template
     * admin); a mere member's organizations are not read. Empty when they hold such a direct role,
     * an organization auditor role (which also reaches templates through their inventory's
     * organization), or may read more than {@code max} templates.
     */
    public static Optional<java.util.Set<Long>> jobTemplatesWhoseJobsAreSeen(Access a, int max) {
        if (a.readsAll()) {
            return Optional.empty();
        }
        java.util.Set<Long> readable = new java.util.TreeSet<>();
        for (long t : a.objectsWithRoles(ResourceTypes.JOB_TEMPLATE)) {
            if (a.holds(ResourceTypes.JOB_TEMPLATE, t, READ)) {
                readable.add(t);
            }
        }
        for (long organization : a.objectsWithRoles(ResourceTypes.ORGANIZATION)) {
            if (directAdminOrAuditor(a, Optional.of(organization))) {
                return Optional.empty();
            }
            for (String reach : ORGANIZATION_ROLES_REACHING_TEMPLATES) {
                if (!a.holds(ResourceTypes.ORGANIZATION, organization, reach)) {
                    continue;
                }
                if (reach.equals(AUDITOR)) {
                    return Optional.empty(); // (its auditors also read templates through their inventory's organization)
                }
                // an organization-wide role: the organization's templates, from the parent index
                for (var template : a.lookup().store().where(ResourceTypes.JOB_TEMPLATE, "organization", organization)) {
                    a.lookup().remember(template);
                    if (a.holds(template, READ)) {
                        readable.add(template.id());
                    }
                }
                break;
            }
            if (readable.size() > max) {
                return Optional.empty();
            }
        }
        return readable.size() <= max ? Optional.of(readable) : Optional.empty();
    }

    /**
     * The organization roles a job template's roles name as parents ({@code organization.execute_role}
     * on its execute role...): only a user holding one of these on an organization reads that
     * organization's templates through it; a member, say, reads none that way.
     */
    private static final java.util.List<String> ORGANIZATION_ROLES_REACHING_TEMPLATES = RoleCatalogue.rolesOf(ResourceTypes.JOB_TEMPLATE)
            .stream().flatMap(d -> d.parents().stream()).filter(p -> p.startsWith("organization."))
            .map(p -> p.substring("organization.".length())).distinct().toList();

    public static boolean canCancel(Access a, UnifiedJob j) {
        if (a.isSuperuser()) {
            return true;
        }
        boolean creator = createdBy(j).filter(u -> u == a.userId()).isPresent();
        return switch (j.kind()) {
            case JOB -> creator || (j.longField(JobFields.JOB_TEMPLATE).isPresent()
                    ? a.holds(ResourceTypes.JOB_TEMPLATE, j.longField(JobFields.JOB_TEMPLATE), ADMIN)
                    : a.holds(ResourceTypes.ORGANIZATION, j.longField(JobFields.ORGANIZATION), JOB_TEMPLATE_ADMIN));
            case PROJECT_UPDATE -> creator || a.holds(ResourceTypes.PROJECT, j.longField(JobFields.PROJECT), ADMIN);
            case INVENTORY_UPDATE, AD_HOC_COMMAND -> creator || a.holds(ResourceTypes.INVENTORY, j.longField(JobFields.INVENTORY), ADMIN);
            case WORKFLOW_JOB -> creator || canDelete(a, j)
                    || a.holds(ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflowTemplate(j), ADMIN);
            default -> false;
        };
    }

    public static boolean canDelete(Access a, UnifiedJob j) {
        if (a.isSuperuser()) {
            return true;
        }
        return switch (j.kind()) {
            case JOB -> a.holds(ResourceTypes.ORGANIZATION, j.longField(JobFields.ORGANIZATION), ADMIN);
            case PROJECT_UPDATE -> a.holds(ResourceTypes.PROJECT, j.longField(JobFields.PROJECT), ADMIN);
            case INVENTORY_UPDATE -> a.holds(ResourceTypes.INVENTORY, j.longField(JobFields.INVENTORY), ADMIN);
            case AD_HOC_COMMAND -> a.lookup().find(ResourceTypes.INVENTORY, j.longField(JobFields.INVENTORY))
                    .map(i -> a.holds(ResourceTypes.ORGANIZATION, i.reference("organization"), ADMIN)).orElse(false);
            case WORKFLOW_JOB -> a.lookup().find(ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflowTemplate(j))
                    .map(w -> a.holds(ResourceTypes.ORGANIZATION, w.reference("organization"), WORKFLOW_ADMIN)).orElse(false);
            default -> false;
        };
    }

    /** Relaunching (AWX's can_start of a job): running what it ran from again. */
    public static boolean canRelaunch(Access a, UnifiedJob j) {
        if (a.isSuperuser()) {
            return true;
        }
        return switch (j.kind()) {
            case JOB -> j.longField(JobFields.JOB_TEMPLATE).isEmpty()
                    || a.holds(ResourceTypes.JOB_TEMPLATE, j.longField(JobFields.JOB_TEMPLATE), EXECUTE);
            case PROJECT_UPDATE -> a.holds(ResourceTypes.PROJECT, j.longField(JobFields.PROJECT), UPDATE);
            case INVENTORY_UPDATE -> a.holds(ResourceTypes.INVENTORY, j.longField(JobFields.INVENTORY), UPDATE);
            case AD_HOC_COMMAND -> a.holds(ResourceTypes.INVENTORY, j.longField(JobFields.INVENTORY), ADHOC)
                    && (j.longField("credential").isEmpty() || a.holds(ResourceTypes.CREDENTIAL, j.longField("credential"), USE));
            case WORKFLOW_JOB -> a.holds(ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflowTemplate(j), EXECUTE);
            default -> false;
        };
    }

    /** Approving or denying an approval step: the workflow's approvers (its admins and the organization's approvers among them). */
    public static boolean canApprove(Access a, UnifiedJob approval) {
        return a.isSuperuser() || workflowOf(a, approval)
                .map(w -> a.holds(ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflowTemplate(w), APPROVAL)).orElse(false);
    }

    public static Map<String, Boolean> capabilities(Access a, UnifiedJob j) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        out.put("delete", a.mayWrite() && canDelete(a, j));
        out.put("start", a.mayWrite() && canRelaunch(a, j));
        return out;
    }

    /** The user who launched the job, if a user did. */
    public static Optional<Long> createdBy(UnifiedJob j) {
        if (j.get(JobFields.LAUNCHED_BY) instanceof Map<?, ?> by && "user".equals(by.get("type")) && by.get("id") instanceof Number n) {
            return Optional.of(n.longValue());
        }
        return Optional.empty();
    }

    private static Optional<Long> workflowTemplate(UnifiedJob workflowJob) {
        return workflowJob.longField(JobFields.UNIFIED_JOB_TEMPLATE);
    }

    private static Optional<UnifiedJob> workflowOf(Access a, UnifiedJob approval) {
        return approval.longField(Origin.SOURCE_WORKFLOW_JOB).flatMap(id -> a.lookup().job(id));
    }

    /** AWX: a job is also seen by the direct admins and auditors of its organization. */
    private static boolean directAdminOrAuditor(Access a, Optional<Long> organization) {
        return organization.isPresent()
                && (a.holdsDirectly(Role.of(ResourceTypes.ORGANIZATION, organization.get(), ADMIN))
                || a.holdsDirectly(Role.of(ResourceTypes.ORGANIZATION, organization.get(), AUDITOR)));
    }
}
