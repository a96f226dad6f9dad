package dev.towerless.core.deletion;

import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every way one stored object points at another, with what AWX 21.14.0 does to the pointer when
 * the object it points at is deleted (its models' {@code on_delete}: CASCADE deletes the holder,
 * SET_NULL clears the field, a many-to-many row goes with either end). {@link Deletions} follows
 * these; the orphan scan (DeleteEverythingEndToEndTest) checks the store against them.
 */
public final class Links {

    /** What happens to the holder when its target goes. */
    public enum OnDelete { CASCADE, SET_NULL, DETACH }

    /** {@code holder.field} points at an object of one of {@code targets}; {@code many}: a list of ids. */
    public record Link(String holder, String field, Set<String> targets, OnDelete onDelete, boolean many) {
        public boolean pointsAt(String type) {
            return targets.contains(type);
        }
    }

    /**
     * A job field pointing at a template-side object. Jobs keep their history (SET_NULL), except
     * the updates AWX deletes with their project or inventory source ({@code cascadeKinds}).
     */
    public record JobLink(String field, Set<String> targets, boolean many, Set<JobKind> cascadeKinds) {
        public boolean pointsAt(String type) {
            return targets.contains(type);
        }
    }

    private static final Set<String> UJT = Set.copyOf(ResourceTypes.UNIFIED_JOB_TEMPLATES);
    private static final List<String> NOTIFICATION_SETS = List.of("notification_templates_started",
            "notification_templates_success", "notification_templates_error", "notification_templates_approvals");

    public static final List<Link> RESOURCES = build();

    public static final List<JobLink> JOBS = List.of(
            new JobLink("unified_job_template", UJT, false, Set.of(JobKind.PROJECT_UPDATE, JobKind.INVENTORY_UPDATE)),
            new JobLink("job_template", Set.of(ResourceTypes.JOB_TEMPLATE), false, Set.of()),
            new JobLink("workflow_job_template", Set.of(ResourceTypes.WORKFLOW_JOB_TEMPLATE), false, Set.of()),
            new JobLink("workflow_approval_template", Set.of(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE), false, Set.of()),
            new JobLink("system_job_template", Set.of(ResourceTypes.SYSTEM_JOB_TEMPLATE), false, Set.of()),
            new JobLink("inventory_source", Set.of(ResourceTypes.INVENTORY_SOURCE), false, Set.of(JobKind.INVENTORY_UPDATE)),
            new JobLink("project", Set.of(ResourceTypes.PROJECT), false, Set.of(JobKind.PROJECT_UPDATE)),
            new JobLink("inventory", Set.of(ResourceTypes.INVENTORY), false, Set.of()),
            new JobLink("credentials", Set.of(ResourceTypes.CREDENTIAL), true, Set.of()),
            new JobLink("credential", Set.of(ResourceTypes.CREDENTIAL), false, Set.of()),
            new JobLink("organization", Set.of(ResourceTypes.ORGANIZATION), false, Set.of()),
            new JobLink("execution_environment", Set.of(ResourceTypes.EXECUTION_ENVIRONMENT), false, Set.of()),
            new JobLink("labels", Set.of(ResourceTypes.LABEL), true, Set.of()),
            new JobLink("instance_group", Set.of(ResourceTypes.INSTANCE_GROUP), false, Set.of()),
            new JobLink("schedule", Set.of(ResourceTypes.SCHEDULE), false, Set.of()));

    private Links() {
    }

    private static List<Link> build() {
        List<Link> l = new ArrayList<>();
        // organizations
        l.add(setNull(ResourceTypes.ORGANIZATION, "default_environment", ResourceTypes.EXECUTION_ENVIRONMENT));
        l.add(detach(ResourceTypes.ORGANIZATION, "instance_groups", ResourceTypes.INSTANCE_GROUP));
        l.add(detach(ResourceTypes.ORGANIZATION, "galaxy_credentials", ResourceTypes.CREDENTIAL));
        // inventories and what they hold
        l.add(setNull(ResourceTypes.INVENTORY, "organization", ResourceTypes.ORGANIZATION));
        l.add(detach(ResourceTypes.INVENTORY, "labels", ResourceTypes.LABEL));
        l.add(detach(ResourceTypes.INVENTORY, "instance_groups", ResourceTypes.INSTANCE_GROUP));
        l.add(cascade(ResourceTypes.HOST, "inventory", ResourceTypes.INVENTORY));
        l.add(cascade(ResourceTypes.GROUP, "inventory", ResourceTypes.INVENTORY));
        l.add(detach(ResourceTypes.GROUP, "hosts", ResourceTypes.HOST));
        l.add(detach(ResourceTypes.GROUP, "children", ResourceTypes.GROUP));
        l.add(cascade(ResourceTypes.INVENTORY_SOURCE, "inventory", ResourceTypes.INVENTORY));
        l.add(cascade(ResourceTypes.INVENTORY_SOURCE, "source_project", ResourceTypes.PROJECT));
        l.add(setNull(ResourceTypes.INVENTORY_SOURCE, "credential", ResourceTypes.CREDENTIAL));
        l.add(setNull(ResourceTypes.INVENTORY_SOURCE, "execution_environment", ResourceTypes.EXECUTION_ENVIRONMENT));
        // credentials
        l.add(cascade(ResourceTypes.CREDENTIAL, "organization", ResourceTypes.ORGANIZATION));
        l.add(cascade(ResourceTypes.CREDENTIAL, "credential_type", ResourceTypes.CREDENTIAL_TYPE));
        l.add(cascade(ResourceTypes.CREDENTIAL_INPUT_SOURCE, "target_credential", ResourceTypes.CREDENTIAL));
        l.add(cascade(ResourceTypes.CREDENTIAL_INPUT_SOURCE, "source_credential", ResourceTypes.CREDENTIAL));
        // projects and templates (unified job templates' organization is SET_NULL in AWX)
        l.add(setNull(ResourceTypes.PROJECT, "organization", ResourceTypes.ORGANIZATION));
        l.add(setNull(ResourceTypes.PROJECT, "credential", ResourceTypes.CREDENTIAL));
        l.add(setNull(ResourceTypes.PROJECT, "default_environment", ResourceTypes.EXECUTION_ENVIRONMENT));
        l.add(setNull(ResourceTypes.JOB_TEMPLATE, "inventory", ResourceTypes.INVENTORY));
        l.add(setNull(ResourceTypes.JOB_TEMPLATE, "project", ResourceTypes.PROJECT));
        l.add(setNull(ResourceTypes.JOB_TEMPLATE, "organization", ResourceTypes.ORGANIZATION));
        l.add(setNull(ResourceTypes.JOB_TEMPLATE, "execution_environment", ResourceTypes.EXECUTION_ENVIRONMENT));
        l.add(detach(ResourceTypes.JOB_TEMPLATE, "credentials", ResourceTypes.CREDENTIAL));
        l.add(detach(ResourceTypes.JOB_TEMPLATE, "labels", ResourceTypes.LABEL));
        l.add(detach(ResourceTypes.JOB_TEMPLATE, "instance_groups", ResourceTypes.INSTANCE_GROUP));
        l.add(setNull(ResourceTypes.WORKFLOW_JOB_TEMPLATE, "organization", ResourceTypes.ORGANIZATION));
        l.add(setNull(ResourceTypes.WORKFLOW_JOB_TEMPLATE, "inventory", ResourceTypes.INVENTORY));
        l.add(detach(ResourceTypes.WORKFLOW_JOB_TEMPLATE, "labels", ResourceTypes.LABEL));
        l.add(cascade(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "workflow_job_template", ResourceTypes.WORKFLOW_JOB_TEMPLATE));
        l.add(new Link(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "unified_job_template", UJT, OnDelete.SET_NULL, false));
        l.add(setNull(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "inventory", ResourceTypes.INVENTORY));
        l.add(setNull(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "execution_environment", ResourceTypes.EXECUTION_ENVIRONMENT));
        l.add(detach(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "credentials", ResourceTypes.CREDENTIAL));
        l.add(detach(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "labels", ResourceTypes.LABEL));
        l.add(detach(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "instance_groups", ResourceTypes.INSTANCE_GROUP));
        for (String edge : List.of("success_nodes", "failure_nodes", "always_nodes")) {
            l.add(detach(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, edge, ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE));
        }
        // schedules go with their template; their prompts are SET_NULL / detached
        l.add(new Link(ResourceTypes.SCHEDULE, "unified_job_template", UJT, OnDelete.CASCADE, false));
        l.add(setNull(ResourceTypes.SCHEDULE, "inventory", ResourceTypes.INVENTORY));
        l.add(setNull(ResourceTypes.SCHEDULE, "execution_environment", ResourceTypes.EXECUTION_ENVIRONMENT));
        l.add(detach(ResourceTypes.SCHEDULE, "credentials", ResourceTypes.CREDENTIAL));
        l.add(detach(ResourceTypes.SCHEDULE, "labels", ResourceTypes.LABEL));
        l.add(detach(ResourceTypes.SCHEDULE, "instance_groups", ResourceTypes.INSTANCE_GROUP));
        // notification sets of every owner
        for (String owner : List.of(ResourceTypes.ORGANIZATION, ResourceTypes.PROJECT, ResourceTypes.INVENTORY_SOURCE,
                ResourceTypes.JOB_TEMPLATE, ResourceTypes.SYSTEM_JOB_TEMPLATE, ResourceTypes.WORKFLOW_JOB_TEMPLATE)) {
            for (String set : NOTIFICATION_SETS) {
                l.add(detach(owner, set, ResourceTypes.NOTIFICATION_TEMPLATE));
            }
        }
        l.add(cascade(ResourceTypes.NOTIFICATION_TEMPLATE, "organization", ResourceTypes.ORGANIZATION));
        l.add(cascade(ResourceTypes.NOTIFICATION, "notification_template", ResourceTypes.NOTIFICATION_TEMPLATE));
        // organizations' other children
        l.add(cascade(ResourceTypes.TEAM, "organization", ResourceTypes.ORGANIZATION));
        l.add(cascade(ResourceTypes.LABEL, "organization", ResourceTypes.ORGANIZATION));
        l.add(cascade(ResourceTypes.EXECUTION_ENVIRONMENT, "organization", ResourceTypes.ORGANIZATION));
        l.add(setNull(ResourceTypes.EXECUTION_ENVIRONMENT, "credential", ResourceTypes.CREDENTIAL));
        l.add(cascade(ResourceTypes.APPLICATION, "organization", ResourceTypes.ORGANIZATION));
        // users' tokens
        l.add(cascade(ResourceTypes.TOKEN, "user", ResourceTypes.USER));
        l.add(cascade(ResourceTypes.TOKEN, "application", ResourceTypes.APPLICATION));
        return List.copyOf(l);
    }

    private static Link cascade(String holder, String field, String target) {
        return new Link(holder, field, Set.of(target), OnDelete.CASCADE, false);
    }

    private static Link setNull(String holder, String field, String target) {
        return new Link(holder, field, Set.of(target), OnDelete.SET_NULL, false);
    }

    private static Link detach(String holder, String field, String target) {
        return new Link(holder, field, Set.of(target), OnDelete.DETACH, true);
    }

    /** The links whose target may be of this type. */
    public static List<Link> into(String type) {
        return RESOURCES.stream().filter(k -> k.pointsAt(type)).toList();
    }
}
