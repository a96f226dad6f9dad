package dev.towerless.core.resources;

/** The {@code type} names of AWX's non-job objects. */
public final class ResourceTypes {
    public static final String ORGANIZATION = "organization";
    public static final String INVENTORY = "inventory";
    public static final String HOST = "host";
    public static final String CREDENTIAL = "credential";
    public static final String CREDENTIAL_TYPE = "credential_type";
    /** AWX's CredentialInputSource: one input of a credential filled at launch by an external lookup credential. */
    public static final String CREDENTIAL_INPUT_SOURCE = "credential_input_source";
    public static final String PROJECT = "project";
    public static final String JOB_TEMPLATE = "job_template";
    public static final String USER = "user";
    public static final String TOKEN = "o_auth2_access_token";
    public static final String INSTANCE_GROUP = "instance_group";
    public static final String SYSTEM_JOB_TEMPLATE = "system_job_template";
    public static final String INVENTORY_SOURCE = "inventory_source";
    public static final String GROUP = "group";
    public static final String TEAM = "team";
    public static final String SCHEDULE = "schedule";
    public static final String WORKFLOW_JOB_TEMPLATE = "workflow_job_template";
    public static final String WORKFLOW_JOB_TEMPLATE_NODE = "workflow_job_template_node";
    public static final String WORKFLOW_APPROVAL_TEMPLATE = "workflow_approval_template";
    public static final String NOTIFICATION_TEMPLATE = "notification_template";
    public static final String NOTIFICATION = "notification";
    public static final String LABEL = "label";
    public static final String EXECUTION_ENVIRONMENT = "execution_environment";
    public static final String APPLICATION = "o_auth2_application";
    /** The types a schedule (and a job's {@code unified_job_template}) can point at; they share one id sequence. */
    public static final java.util.List<String> UNIFIED_JOB_TEMPLATES =
            java.util.List.of(JOB_TEMPLATE, PROJECT, INVENTORY_SOURCE, SYSTEM_JOB_TEMPLATE, WORKFLOW_JOB_TEMPLATE,
                    WORKFLOW_APPROVAL_TEMPLATE);

    private ResourceTypes() {
    }

    /** The field that names an object uniquely within its type (what awx.awx looks up by). */
    public static String naturalKeyField(String type) {
        return switch (type) {
            case USER -> "username";
            case TOKEN -> "token_digest";
            default -> "name";
        };
    }

    /**
     * The id sequence of a type. Projects and job templates share one, as AWX's unified job
     * templates do, so a job's {@code unified_job_template} id is unambiguous.
     */
    public static String sequenceFor(String type) {
        return switch (type) {
            case PROJECT, JOB_TEMPLATE, SYSTEM_JOB_TEMPLATE, INVENTORY_SOURCE, WORKFLOW_JOB_TEMPLATE,
                 WORKFLOW_APPROVAL_TEMPLATE -> "unified_job_template";
            default -> type;
        };
    }

    /** The field naming the object a resource belongs to and is listed under (hosts of an inventory). */
    public static java.util.Optional<String> parentField(String type) {
        if (WORKFLOW_JOB_TEMPLATE_NODE.equals(type)) {
            return java.util.Optional.of(WORKFLOW_JOB_TEMPLATE);
        }
        if (TEAM.equals(type)) {
            return java.util.Optional.of(ORGANIZATION); // an organization admin is a member of its every team
        }
        if (NOTIFICATION.equals(type)) {
            return java.util.Optional.of(NOTIFICATION_TEMPLATE); // a template's page shows its newest five
        }
        if (CREDENTIAL_INPUT_SOURCE.equals(type)) {
            return java.util.Optional.of("target_credential"); // read by the credential they fill, at every launch
        }
        if (HOST.equals(type) || GROUP.equals(type) || INVENTORY_SOURCE.equals(type)) {
            return java.util.Optional.of(INVENTORY);
        }
        // listed by organization (organizations/N/inventories/, ?organization=N): read from the parent index
        return ORGANIZATION_CHILDREN.contains(type) ? java.util.Optional.of(ORGANIZATION) : java.util.Optional.empty();
    }

    /** The types whose only parent is their organization (a job template's is its project's, stored on it). */
    private static final java.util.Set<String> ORGANIZATION_CHILDREN = java.util.Set.of(INVENTORY, PROJECT, JOB_TEMPLATE,
            CREDENTIAL, NOTIFICATION_TEMPLATE, WORKFLOW_JOB_TEMPLATE, LABEL, EXECUTION_ENVIRONMENT, APPLICATION, TEAM);

    /** Every type name declared here (what the nightly count repair walks, with the schemas' types). */
    public static java.util.List<String> declared() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (java.lang.reflect.Field f : ResourceTypes.class.getFields()) {
            if (f.getType() == String.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                try {
                    out.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }
}
