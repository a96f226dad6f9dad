package dev.towerless.core.access;

import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One access policy per model; the API asks these and decides nothing on its own. */
public final class AccessPolicies {
    public static final OrganizationAccess ORGANIZATIONS = new OrganizationAccess();
    public static final TeamAccess TEAMS = new TeamAccess();
    public static final UserAccess USERS = new UserAccess();
    public static final ProjectAccess PROJECTS = new ProjectAccess();
    public static final InventoryAccess INVENTORIES = new InventoryAccess();
    public static final InventoryContentAccess HOSTS = new InventoryContentAccess(ResourceTypes.HOST, "host",
            List.of("edit", "delete"));
    public static final InventoryContentAccess GROUPS = new InventoryContentAccess(ResourceTypes.GROUP, "group",
            List.of("copy", "edit", "delete"));
    public static final InventorySourceAccess INVENTORY_SOURCES = new InventorySourceAccess();
    public static final CredentialAccess CREDENTIALS = new CredentialAccess();
    public static final CredentialTypeAccess CREDENTIAL_TYPES = new CredentialTypeAccess();
    public static final JobTemplateAccess JOB_TEMPLATES = new JobTemplateAccess();
    public static final WorkflowJobTemplateAccess WORKFLOW_JOB_TEMPLATES = new WorkflowJobTemplateAccess();
    public static final WorkflowJobTemplateNodeAccess WORKFLOW_NODES = new WorkflowJobTemplateNodeAccess();
    public static final WorkflowApprovalTemplateAccess WORKFLOW_APPROVAL_TEMPLATES = new WorkflowApprovalTemplateAccess();
    public static final InstanceGroupAccess INSTANCE_GROUPS = new InstanceGroupAccess();
    public static final NotificationTemplateAccess NOTIFICATION_TEMPLATES = new NotificationTemplateAccess();
    public static final NotificationAccess NOTIFICATIONS = new NotificationAccess();
    public static final ScheduleAccess SCHEDULES = new ScheduleAccess();
    public static final SystemJobTemplateAccess SYSTEM_JOB_TEMPLATES = new SystemJobTemplateAccess();
    public static final LabelAccess LABELS = new LabelAccess();
    public static final ExecutionEnvironmentAccess EXECUTION_ENVIRONMENTS = new ExecutionEnvironmentAccess();
    public static final ApplicationAccess APPLICATIONS = new ApplicationAccess();

    private static final Map<String, ModelAccess> BY_TYPE = List.of(ORGANIZATIONS, TEAMS, USERS, PROJECTS, INVENTORIES, HOSTS,
            GROUPS, INVENTORY_SOURCES, CREDENTIALS, CREDENTIAL_TYPES, JOB_TEMPLATES, WORKFLOW_JOB_TEMPLATES, WORKFLOW_NODES,
            WORKFLOW_APPROVAL_TEMPLATES, INSTANCE_GROUPS, NOTIFICATION_TEMPLATES, NOTIFICATIONS, SCHEDULES,
            SYSTEM_JOB_TEMPLATES, LABELS, EXECUTION_ENVIRONMENTS, APPLICATIONS).stream().collect(Collectors.toMap(ModelAccess::type, Function.identity()));

    private AccessPolicies() {
    }

    public static Optional<ModelAccess> forType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static ModelAccess of(String type) {
        return forType(type).orElseThrow(() -> new IllegalArgumentException("no access policy for " + type));
    }
}
