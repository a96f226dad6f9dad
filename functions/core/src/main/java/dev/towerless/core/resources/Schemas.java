package dev.towerless.core.resources;

import static dev.towerless.core.resources.FieldSpec.bool;
import static dev.towerless.core.resources.FieldSpec.choice;
import static dev.towerless.core.resources.FieldSpec.integer;
import static dev.towerless.core.resources.FieldSpec.reference;
import static dev.towerless.core.resources.FieldSpec.string;
import static dev.towerless.core.resources.FieldSpec.text;
import static dev.towerless.core.resources.FieldSpec.variables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** AWX's writable fields and defaults for each resource type the API serves (api reference). */
public final class Schemas {

    public static final ResourceSchema ORGANIZATION = new ResourceSchema(ResourceTypes.ORGANIZATION, "organizations",
            List.of(string("name", true, null), text("description"), integer("max_hosts", 0),
                    reference("default_environment", ResourceTypes.EXECUTION_ENVIRONMENT, false)),
            ResourceSchema.CrossFieldRule.NONE);

    public static final ResourceSchema INVENTORY = new ResourceSchema(ResourceTypes.INVENTORY, "inventories",
            List.of(string("name", true, null), text("description"),
                    reference("organization", ResourceTypes.ORGANIZATION, true),
                    choice("kind", "", "", "smart"), variables("variables"),
                    FieldSpec.string("host_filter", false, null), bool("prevent_instance_group_fallback", false)),
            ResourceSchema.CrossFieldRule.NONE);

    public static final ResourceSchema HOST = new ResourceSchema(ResourceTypes.HOST, "hosts",
            List.of(string("name", true, null), text("description"),
                    reference("inventory", ResourceTypes.INVENTORY, true),
                    bool("enabled", true), string("instance_id", false, ""), variables("variables")),
            ResourceSchema.CrossFieldRule.NONE);

    public static final ResourceSchema CREDENTIAL = new ResourceSchema(ResourceTypes.CREDENTIAL, "credentials",
            List.of(string("name", true, null), text("description"),
                    reference("organization", ResourceTypes.ORGANIZATION, false),
                    reference("credential_type", ResourceTypes.CREDENTIAL_TYPE, true),
                    FieldSpec.dict("inputs"),
                    // AWX's write-only owners, valid only on creation: the user or team made the credential's admin.
                    reference("user", ResourceTypes.USER, false).asWriteOnly(),
                    reference("team", ResourceTypes.TEAM, false).asWriteOnly()),
            ResourceSchema.CrossFieldRule.NONE);

    public static final ResourceSchema PROJECT = new ResourceSchema(ResourceTypes.PROJECT, "projects",
            List.of(string("name", true, null), text("description"),
                    reference("organization", ResourceTypes.ORGANIZATION, false),
                    choice("scm_type", "git", "git"),
                    string("scm_url", false, ""), string("scm_branch", false, ""),
                    string("scm_refspec", false, ""), bool("scm_clean", false),
                    bool("scm_delete_on_update", false),
                    reference("credential", ResourceTypes.CREDENTIAL, false),
                    integer("timeout", 0), bool("scm_update_on_launch", false),
                    integer("scm_update_cache_timeout", 0), bool("allow_override", false),
                    reference("default_environment", ResourceTypes.EXECUTION_ENVIRONMENT, false)),
            (merged, errors) -> {
                if (merged.get("scm_url") == null || merged.get("scm_url").toString().isBlank()) {
                    errors.put("scm_url", List.of("SCM URL is required."));
                }
            });

    public static final ResourceSchema JOB_TEMPLATE = new ResourceSchema(ResourceTypes.JOB_TEMPLATE, "job_templates",
            List.of(string("name", true, null), text("description"),
                    choice("job_type", "run", "run", "check"),
                    reference("inventory", ResourceTypes.INVENTORY, false),
                    reference("project", ResourceTypes.PROJECT, true),
                    string("playbook", true, null), string("scm_branch", false, ""),
                    integer("forks", 0), string("limit", false, ""),
                    choice("verbosity", 0L, 0L, 1L, 2L, 3L, 4L, 5L),
                    variables("extra_vars"), string("job_tags", false, ""), string("skip_tags", false, ""),
                    integer("timeout", 0), bool("become_enabled", false), bool("diff_mode", false),
                    bool("allow_simultaneous", false),
                    bool("ask_variables_on_launch", false), bool("ask_limit_on_launch", false),
                    bool("ask_job_type_on_launch", false), bool("ask_verbosity_on_launch", false),
                    bool("ask_forks_on_launch", false), bool("ask_inventory_on_launch", false),
                    bool("ask_credential_on_launch", false), bool("ask_tags_on_launch", false),
                    bool("ask_skip_tags_on_launch", false), bool("ask_diff_mode_on_launch", false),
                    bool("ask_scm_branch_on_launch", false), bool("ask_execution_environment_on_launch", false),
                    bool("ask_labels_on_launch", false), bool("ask_instance_groups_on_launch", false),
                    bool("ask_job_slice_count_on_launch", false), bool("ask_timeout_on_launch", false),
                    integer("job_slice_count", 1), bool("survey_enabled", false),
                    bool("prevent_instance_group_fallback", false),
                    reference("execution_environment", ResourceTypes.EXECUTION_ENVIRONMENT, false)),
            (merged, errors) -> {
                if (merged.get("inventory") == null && !Boolean.TRUE.equals(merged.get("ask_inventory_on_launch"))) {
                    errors.put("inventory", List.of("Job Templates must have an inventory or allow prompting for it."));
                }
                String slices = JobSlicing.problem(merged.get("job_slice_count"));
                if (slices != null) {
                    errors.put("job_slice_count", List.of(slices));
                }
                Object forks = merged.get("forks");
                if (forks instanceof Number n && n.longValue() < 0) {
                    errors.put("forks", List.of("Ensure this value is greater than or equal to 0."));
                }
            });

    public static final ResourceSchema USER = new ResourceSchema(ResourceTypes.USER, "users",
            List.of(string("username", true, null), string("first_name", false, ""),
                    string("last_name", false, ""), string("email", false, ""),
                    FieldSpec.string("password", false, "").asWriteOnly(), bool("is_superuser", false),
                    bool("is_system_auditor", false)),
            ResourceSchema.CrossFieldRule.NONE);

    /** A budget of concurrent jobs and forks (0 = unlimited); every runner is its own Fargate task. */
    public static final ResourceSchema INSTANCE_GROUP = new ResourceSchema(ResourceTypes.INSTANCE_GROUP, "instance_groups",
            List.of(string("name", true, null), integer("max_concurrent_jobs", 0), integer("max_forks", 0),
                    bool("is_container_group", false), integer("policy_instance_percentage", 0),
                    integer("policy_instance_minimum", 0), text("pod_spec_override")),
            (merged, errors) -> {
                for (String f : List.of("max_concurrent_jobs", "max_forks")) {
                    if (merged.get(f) instanceof Number n && n.longValue() < 0) {
                        errors.put(f, List.of("Ensure this value is greater than or equal to 0."));
                    }
                }
            });

    /** Where an inventory's hosts come from: a project (AWX's "scm") or a cloud's inventory plugin (InventorySourceKinds). */
    public static final ResourceSchema INVENTORY_SOURCE = new ResourceSchema(ResourceTypes.INVENTORY_SOURCE, "inventory_sources",
            List.of(string("name", true, null), text("description"),
                    reference("inventory", ResourceTypes.INVENTORY, true),
                    choice("source", "scm", dev.towerless.core.inventory.InventorySourceKinds.SOURCE_CHOICES.toArray()),
                    reference("source_project", ResourceTypes.PROJECT, false), string("source_path", false, ""),
                    variables("source_vars"), reference("credential", ResourceTypes.CREDENTIAL, false),
                    bool("overwrite", false), bool("overwrite_vars", false), bool("update_on_launch", false),
                    integer("update_cache_timeout", 0), integer("timeout", 0), choice("verbosity", 1L, 0L, 1L, 2L),
                    string("enabled_var", false, ""), string("enabled_value", false, ""), string("host_filter", false, ""),
                    string("limit", false, ""), reference("execution_environment", ResourceTypes.EXECUTION_ENVIRONMENT, false)),
            (merged, errors) -> {
                if ("scm".equals(merged.get("source"))) {
                    if (merged.get("source_project") == null) {
                        errors.put("source_project", List.of("Project required for scm type sources."));
                    }
                    if (merged.get("source_path") == null || merged.get("source_path").toString().isBlank()) {
                        errors.put("source_path", List.of("Inventory file path required for scm type sources."));
                    }
                } else {
                    // AWX's InventorySourceSerializer.validate: the project fields belong to scm sources only.
                    List<String> redundant = java.util.stream.Stream.of("source_project", "source_path", "scm_branch")
                            .filter(f -> merged.get(f) != null && !"".equals(merged.get(f))).toList();
                    if (!redundant.isEmpty()) {
                        errors.put("detail", List.of("Cannot set " + String.join(" ", redundant) + " if not SCM type."));
                    }
                }
            });

    public static final ResourceSchema TEAM = new ResourceSchema(ResourceTypes.TEAM, "teams",
            List.of(string("name", true, null), text("description"), reference("organization", ResourceTypes.ORGANIZATION, true)),
            ResourceSchema.CrossFieldRule.NONE);

    public static final ResourceSchema GROUP = new ResourceSchema(ResourceTypes.GROUP, "groups",
            List.of(string("name", true, null), text("description"), reference("inventory", ResourceTypes.INVENTORY, true),
                    variables("variables")),
            ResourceSchema.CrossFieldRule.NONE);

    /** What an ad hoc command may be given (AWX's AdHocCommandSerializer); it runs on creation. */
    public static final ResourceSchema AD_HOC_COMMAND = new ResourceSchema("ad_hoc_command", "ad_hoc_commands",
            List.of(reference("inventory", ResourceTypes.INVENTORY, true), string("limit", false, ""),
                    reference("credential", ResourceTypes.CREDENTIAL, false),
                    string("module_name", false, "command"), text("module_args"),
                    choice("job_type", "run", "run", "check"), integer("forks", 0),
                    choice("verbosity", 0L, 0L, 1L, 2L, 3L, 4L, 5L), bool("become_enabled", false),
                    bool("diff_mode", false), variables("extra_vars")),
            (merged, errors) -> {
                String module = String.valueOf(merged.get("module_name"));
                if (module.isBlank()) {
                    errors.put("module_name", List.of("This field may not be blank."));
                }
                if ((module.equals("command") || module.equals("shell") || module.equals("ansible.builtin.command")
                        || module.equals("ansible.builtin.shell")) && String.valueOf(merged.get("module_args")).isBlank()) {
                    errors.put("module_args", List.of("No argument passed to " + module + " module."));
                }
                if (merged.get("forks") instanceof Number n && n.longValue() < 0) {
                    errors.put("forks", List.of("Ensure this value is greater than or equal to 0."));
                }
            });

    /**
     * A user's schedule of a template (AWX's ScheduleSerializer). The prompts are null unless
     * given; the API checks them against the template's ask_* flags and computes the run times.
     */
    public static final ResourceSchema SCHEDULE = new ResourceSchema(ResourceTypes.SCHEDULE, "schedules",
            withLaunchPrompts(string("name", true, null), text("description"),
                    new FieldSpec("unified_job_template", FieldSpec.Kind.INTEGER, true, null, null, List.of(), false, 0),
                    new FieldSpec("rrule", FieldSpec.Kind.STRING, true, null, null, List.of(), false, 0),
                    bool("enabled", true)),
            Schemas::checkLaunchPrompts);

    /** AWX's notification templates; the type's configuration is checked by the API (NotificationTypes). */
    public static final ResourceSchema NOTIFICATION_TEMPLATE = new ResourceSchema(ResourceTypes.NOTIFICATION_TEMPLATE,
            "notification_templates",
            List.of(string("name", true, null), text("description"),
                    reference("organization", ResourceTypes.ORGANIZATION, true),
                    new FieldSpec("notification_type", FieldSpec.Kind.CHOICE, true, null, null, List.of("email", "grafana",
                            "irc", "mattermost", "pagerduty", "rocketchat", "slack", "twilio", "webhook", "awssns"), false, 0),
                    FieldSpec.dict("notification_configuration"), FieldSpec.dict("messages")),
            ResourceSchema.CrossFieldRule.NONE);

    /** AWX's workflow job templates; their nodes are {@link #WORKFLOW_JOB_TEMPLATE_NODE}s. */
    public static final ResourceSchema WORKFLOW_JOB_TEMPLATE = new ResourceSchema(ResourceTypes.WORKFLOW_JOB_TEMPLATE,
            "workflow_job_templates",
            List.of(string("name", true, null), text("description"),
                    reference("organization", ResourceTypes.ORGANIZATION, false),
                    reference("inventory", ResourceTypes.INVENTORY, false), variables("extra_vars"),
                    string("limit", false, null), string("scm_branch", false, null),
                    string("job_tags", false, null), string("skip_tags", false, null),
                    bool("survey_enabled", false), bool("allow_simultaneous", false),
                    bool("ask_variables_on_launch", false), bool("ask_inventory_on_launch", false),
                    bool("ask_scm_branch_on_launch", false), bool("ask_limit_on_launch", false),
                    bool("ask_labels_on_launch", false), bool("ask_skip_tags_on_launch", false),
                    bool("ask_tags_on_launch", false), string("webhook_service", false, "")),
            ResourceSchema.CrossFieldRule.NONE);

    /** One node of a workflow template: what it runs, its prompts; edges are set through sub-lists. */
    public static final ResourceSchema WORKFLOW_JOB_TEMPLATE_NODE = new ResourceSchema(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE,
            "workflow_job_template_nodes",
            withLaunchPrompts(reference("workflow_job_template", ResourceTypes.WORKFLOW_JOB_TEMPLATE, true),
                    integer("unified_job_template", 0).orNull(), string("identifier", false, null),
                    bool("all_parents_must_converge", false)),
            Schemas::checkLaunchPrompts);

    /** An approval step of a workflow: who must approve, within {@code timeout} seconds (0: no limit). */
    public static final ResourceSchema WORKFLOW_APPROVAL_TEMPLATE = new ResourceSchema(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE,
            "workflow_approval_templates",
            List.of(string("name", true, null), text("description"), integer("timeout", 0)),
            (merged, errors) -> {
                if (merged.get("timeout") instanceof Number n && n.longValue() < 0) {
                    errors.put("timeout", List.of("Ensure this value is greater than or equal to 0."));
                }
            });

    /** AWX's labels: a name within an organization, attached to templates, inventories and jobs. */
    public static final ResourceSchema LABEL = new ResourceSchema(ResourceTypes.LABEL, "labels",
            List.of(string("name", true, null), reference("organization", ResourceTypes.ORGANIZATION, true)),
            ResourceSchema.CrossFieldRule.NONE);

    /**
     * AWX's execution environments: the image a job runs in. On Fargate the image of the runner task
     * that job uses; locally recorded on the job while the local runner runs it.
     */
    public static final ResourceSchema EXECUTION_ENVIRONMENT = new ResourceSchema(ResourceTypes.EXECUTION_ENVIRONMENT,
            "execution_environments",
            List.of(string("name", true, null), text("description"),
                    reference("organization", ResourceTypes.ORGANIZATION, false),
                    new FieldSpec("image", FieldSpec.Kind.STRING, true, null, null, List.of(), false, 1024),
                    reference("credential", ResourceTypes.CREDENTIAL, false),
                    choice("pull", "", "", "always", "missing", "never")),
            ResourceSchema.CrossFieldRule.NONE);

    /** AWX's OAuth2 applications (the collection's {@code application} module); tokens may name one. */
    public static final ResourceSchema APPLICATION = new ResourceSchema(ResourceTypes.APPLICATION, "applications",
            List.of(string("name", true, null), text("description"),
                    reference("organization", ResourceTypes.ORGANIZATION, true),
                    new FieldSpec("client_type", FieldSpec.Kind.CHOICE, true, null, null, List.of("confidential", "public"), false, 0),
                    new FieldSpec("authorization_grant_type", FieldSpec.Kind.CHOICE, true, null, null,
                            List.of("authorization-code", "password"), false, 0),
                    text("redirect_uris"), bool("skip_authorization", false)),
            (merged, errors) -> {
                if ("authorization-code".equals(merged.get("authorization_grant_type"))
                        && String.valueOf(merged.getOrDefault("redirect_uris", "")).isBlank()) {
                    errors.put("redirect_uris", List.of("Redirect URIs must be set for authorization-code grant type."));
                }
            });

    private static final List<ResourceSchema> ALL = List.of(ORGANIZATION, INVENTORY, HOST, CREDENTIAL, PROJECT,
            JOB_TEMPLATE, USER, INSTANCE_GROUP, INVENTORY_SOURCE, GROUP, TEAM, SCHEDULE, NOTIFICATION_TEMPLATE,
            WORKFLOW_JOB_TEMPLATE, WORKFLOW_JOB_TEMPLATE_NODE, WORKFLOW_APPROVAL_TEMPLATE, LABEL, EXECUTION_ENVIRONMENT,
            APPLICATION);

    private Schemas() {
    }

    /**
     * AWX's LaunchTimeConfig: the prompts a schedule or a workflow node may set, after its own
     * fields. Each is null unless given ("not prompted"); the template's ask_* flags decide later.
     */
    private static List<FieldSpec> withLaunchPrompts(FieldSpec... own) {
        List<FieldSpec> fields = new ArrayList<>(List.of(own));
        fields.addAll(List.of(FieldSpec.dict("extra_data"), reference("inventory", ResourceTypes.INVENTORY, false),
                string("limit", false, null), choice("job_type", null, "run", "check").orNull(),
                choice("verbosity", null, 0L, 1L, 2L, 3L, 4L, 5L).orNull(), integer("forks", 0).orNull(),
                string("scm_branch", false, null), string("job_tags", false, null),
                string("skip_tags", false, null), bool("diff_mode", false).orNull(),
                integer("timeout", 0).orNull(), integer("job_slice_count", 0).orNull(),
                reference("execution_environment", ResourceTypes.EXECUTION_ENVIRONMENT, false)));
        return List.copyOf(fields);
    }

    private static void checkLaunchPrompts(Map<String, Object> merged, Map<String, List<String>> errors) {
        if (merged.get("forks") instanceof Number n && n.longValue() < 0) {
            errors.put("forks", List.of("Ensure this value is greater than or equal to 0."));
        }
        String slices = JobSlicing.problem(merged.get("job_slice_count"));
        if (slices != null) {
            errors.put("job_slice_count", List.of(slices));
        }
    }

    public static Optional<ResourceSchema> forType(String type) {
        return ALL.stream().filter(s -> s.type().equals(type)).findFirst();
    }

    public static List<ResourceSchema> all() {
        return new ArrayList<>(ALL);
    }

    /**
     * The managed credential types, with AWX's ids, names, kinds, namespaces, inputs and injectors
     * (the catalogue is {@link dev.towerless.core.credentials.ManagedCredentialTypes}).
     */
    public static List<Map<String, Object>> builtInCredentialTypes() {
        return dev.towerless.core.credentials.ManagedCredentialTypes.all();
    }
}
