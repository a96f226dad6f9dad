package dev.towerless.core.access;

import dev.towerless.core.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The role fields of the eight models that carry roles, in AWX's declaration order, with their
 * names, descriptions and implicit parents (awx/main/models at 21.14.0; research/awx-rbac.md §2).
 * Holding a parent implies holding the child: an organization's admin administers its projects.
 */
public final class RoleCatalogue {
    public static final String SYSTEM_ADMINISTRATOR = "system_administrator";
    public static final String SYSTEM_AUDITOR = "system_auditor";
    private static final String SA = "singleton:" + SYSTEM_ADMINISTRATOR;
    private static final String SAUD = "singleton:" + SYSTEM_AUDITOR;

    public static final String ADMIN = "admin_role";
    public static final String EXECUTE = "execute_role";
    public static final String READ = "read_role";
    public static final String USE = "use_role";
    public static final String UPDATE = "update_role";
    public static final String ADHOC = "adhoc_role";
    public static final String MEMBER = "member_role";
    public static final String AUDITOR = "auditor_role";
    public static final String APPROVAL = "approval_role";
    public static final String PROJECT_ADMIN = "project_admin_role";
    public static final String INVENTORY_ADMIN = "inventory_admin_role";
    public static final String CREDENTIAL_ADMIN = "credential_admin_role";
    public static final String WORKFLOW_ADMIN = "workflow_admin_role";
    public static final String NOTIFICATION_ADMIN = "notification_admin_role";
    public static final String JOB_TEMPLATE_ADMIN = "job_template_admin_role";
    public static final String EXECUTION_ENVIRONMENT_ADMIN = "execution_environment_admin_role";

    /** The models with roles, in the order their role ids are numbered. */
    public static final List<String> TYPES = List.of(ResourceTypes.ORGANIZATION, ResourceTypes.TEAM, ResourceTypes.PROJECT,
            ResourceTypes.INVENTORY, ResourceTypes.CREDENTIAL, ResourceTypes.JOB_TEMPLATE,
            ResourceTypes.WORKFLOW_JOB_TEMPLATE, ResourceTypes.INSTANCE_GROUP);

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(SYSTEM_ADMINISTRATOR, "System Administrator"), Map.entry(SYSTEM_AUDITOR, "System Auditor"),
            Map.entry(ADHOC, "Ad Hoc"), Map.entry(ADMIN, "Admin"), Map.entry(PROJECT_ADMIN, "Project Admin"),
            Map.entry(INVENTORY_ADMIN, "Inventory Admin"), Map.entry(CREDENTIAL_ADMIN, "Credential Admin"),
            Map.entry(JOB_TEMPLATE_ADMIN, "Job Template Admin"),
            Map.entry(EXECUTION_ENVIRONMENT_ADMIN, "Execution Environment Admin"),
            Map.entry(WORKFLOW_ADMIN, "Workflow Admin"), Map.entry(NOTIFICATION_ADMIN, "Notification Admin"),
            Map.entry(AUDITOR, "Auditor"), Map.entry(EXECUTE, "Execute"), Map.entry(MEMBER, "Member"),
            Map.entry(READ, "Read"), Map.entry(UPDATE, "Update"), Map.entry(USE, "Use"), Map.entry(APPROVAL, "Approve"));

    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(SYSTEM_ADMINISTRATOR, "Can manage all aspects of the system"),
            Map.entry(SYSTEM_AUDITOR, "Can view all aspects of the system"),
            Map.entry(ADHOC, "May run ad hoc commands on the %s"), Map.entry(ADMIN, "Can manage all aspects of the %s"),
            Map.entry(PROJECT_ADMIN, "Can manage all projects of the %s"),
            Map.entry(INVENTORY_ADMIN, "Can manage all inventories of the %s"),
            Map.entry(CREDENTIAL_ADMIN, "Can manage all credentials of the %s"),
            Map.entry(JOB_TEMPLATE_ADMIN, "Can manage all job templates of the %s"),
            Map.entry(EXECUTION_ENVIRONMENT_ADMIN, "Can manage all execution environments of the %s"),
            Map.entry(WORKFLOW_ADMIN, "Can manage all workflows of the %s"),
            Map.entry(NOTIFICATION_ADMIN, "Can manage all notifications of the %s"),
            Map.entry(AUDITOR, "Can view all aspects of the %s"), Map.entry(EXECUTE, "May run the %s"),
            Map.entry(MEMBER, "User is a member of the %s"), Map.entry(READ, "May view settings for the %s"),
            Map.entry(UPDATE, "May update the %s"), Map.entry(USE, "Can use the %s in a job template"),
            Map.entry(APPROVAL, "Can approve or deny a workflow approval node"));

    private static final Map<String, List<RoleDefinition>> ROLES = new LinkedHashMap<>();

    static {
        String o = ResourceTypes.ORGANIZATION;
        define(o, ADMIN, SA);
        define(o, EXECUTE, ADMIN);
        define(o, PROJECT_ADMIN, ADMIN);
        define(o, INVENTORY_ADMIN, ADMIN);
        define(o, CREDENTIAL_ADMIN, ADMIN);
        define(o, WORKFLOW_ADMIN, ADMIN);
        define(o, NOTIFICATION_ADMIN, ADMIN);
        define(o, JOB_TEMPLATE_ADMIN, ADMIN);
        define(o, EXECUTION_ENVIRONMENT_ADMIN, ADMIN);
        define(o, AUDITOR, SAUD);
        define(o, MEMBER, ADMIN);
        define(o, READ, MEMBER, AUDITOR, EXECUTE, PROJECT_ADMIN, INVENTORY_ADMIN, WORKFLOW_ADMIN, NOTIFICATION_ADMIN,
                CREDENTIAL_ADMIN, JOB_TEMPLATE_ADMIN, APPROVAL, EXECUTION_ENVIRONMENT_ADMIN);
        define(o, APPROVAL, ADMIN);

        String t = ResourceTypes.TEAM;
        define(t, ADMIN, "organization." + ADMIN);
        define(t, MEMBER, ADMIN);
        define(t, READ, "organization." + AUDITOR, MEMBER);

        String p = ResourceTypes.PROJECT;
        define(p, ADMIN, "organization." + PROJECT_ADMIN, SA);
        define(p, USE, ADMIN);
        define(p, UPDATE, ADMIN);
        define(p, READ, "organization." + AUDITOR, SAUD, USE, UPDATE);

        String i = ResourceTypes.INVENTORY;
        define(i, ADMIN, "organization." + INVENTORY_ADMIN);
        define(i, UPDATE, ADMIN);
        define(i, ADHOC, ADMIN);
        define(i, USE, ADHOC);
        define(i, READ, "organization." + AUDITOR, UPDATE, USE, ADMIN);

        String c = ResourceTypes.CREDENTIAL;
        define(c, ADMIN, SA, "organization." + CREDENTIAL_ADMIN);
        define(c, USE, ADMIN);
        define(c, READ, SAUD, "organization." + AUDITOR, USE, ADMIN);

        String j = ResourceTypes.JOB_TEMPLATE;
        define(j, ADMIN, "organization." + JOB_TEMPLATE_ADMIN);
        define(j, EXECUTE, ADMIN, "organization." + EXECUTE);
        define(j, READ, "organization." + AUDITOR, "inventory.organization." + AUDITOR, EXECUTE, ADMIN);

        String w = ResourceTypes.WORKFLOW_JOB_TEMPLATE;
        define(w, ADMIN, SA, "organization." + WORKFLOW_ADMIN);
        define(w, EXECUTE, ADMIN, "organization." + EXECUTE);
        define(w, READ, SAUD, "organization." + AUDITOR, EXECUTE, ADMIN, APPROVAL);
        define(w, APPROVAL, "organization." + APPROVAL, ADMIN);

        String g = ResourceTypes.INSTANCE_GROUP;
        define(g, ADMIN, SA);
        define(g, USE, ADMIN);
        define(g, READ, SAUD, USE, ADMIN);
    }

    private RoleCatalogue() {
    }

    private static void define(String type, String field, String... parents) {
        String model = modelName(type);
        String description = type.equals(ResourceTypes.ORGANIZATION) && field.equals(EXECUTE)
                ? "May run any executable resources in the organization"
                : DESCRIPTIONS.get(field).replace("%s", model);
        ROLES.computeIfAbsent(type, k -> new ArrayList<>())
                .add(new RoleDefinition(field, NAMES.get(field), description, List.of(parents)));
    }

    /** AWX's lower-cased model name in descriptions: "job template", "instance group". */
    public static String modelName(String type) {
        return type.replace('_', ' ');
    }

    /** AWX's verbose name ({@code resource_type_display_name}): "Job Template". */
    public static String displayName(String type) {
        StringBuilder out = new StringBuilder();
        for (String word : type.split("_")) {
            out.append(out.length() == 0 ? "" : " ").append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }

    public static boolean hasRoles(String type) {
        return ROLES.containsKey(type);
    }

    /** The role fields of a model in declaration order (empty for models without roles). */
    public static List<RoleDefinition> rolesOf(String type) {
        return ROLES.getOrDefault(type, List.of());
    }

    public static Optional<RoleDefinition> definition(String type, String field) {
        return rolesOf(type).stream().filter(d -> d.field().equals(field)).findFirst();
    }

    public static String singletonName(String singleton) {
        return NAMES.get(singleton);
    }

    public static String singletonDescription(String singleton) {
        return DESCRIPTIONS.get(singleton);
    }
}
