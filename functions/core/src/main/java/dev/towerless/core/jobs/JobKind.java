package dev.towerless.core.jobs;

/**
 * The kinds of unified job AWX has. {@code type} is the API's {@code type} field and
 * {@code endpoint} the collection under {@code /api/v2/}.
 */
public enum JobKind {
    JOB("job", "jobs"),
    PROJECT_UPDATE("project_update", "project_updates"),
    INVENTORY_UPDATE("inventory_update", "inventory_updates"),
    AD_HOC_COMMAND("ad_hoc_command", "ad_hoc_commands"),
    SYSTEM_JOB("system_job", "system_jobs"),
    WORKFLOW_JOB("workflow_job", "workflow_jobs"),
    WORKFLOW_APPROVAL("workflow_approval", "workflow_approvals");

    private final String type;
    private final String endpoint;

    JobKind(String type, String endpoint) {
        this.type = type;
        this.endpoint = endpoint;
    }

    public String type() {
        return type;
    }

    public String endpoint() {
        return endpoint;
    }

    /** How AWX names the kind in messages ({@code job_friendly_name}): "Job", "Project Update" … */
    public String friendlyName() {
        StringBuilder out = new StringBuilder();
        for (String word : type.split("_")) {
            out.append(out.length() == 0 ? "" : " ").append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }

    /**
     * Workflow jobs are a state machine walked by the workflow manager, and approvals wait for a
     * person: nothing of either runs in a container.
     */
    public boolean runsInRunner() {
        return this != WORKFLOW_JOB && this != WORKFLOW_APPROVAL;
    }

    private static final java.util.Map<String, JobKind> BY_TYPE = new java.util.HashMap<>();

    static {
        for (JobKind k : values()) {
            BY_TYPE.put(k.type, k);
        }
    }

    public static JobKind fromType(String type) {
        JobKind k = BY_TYPE.get(type);
        if (k == null) {
            throw new IllegalArgumentException("unknown job type: " + type);
        }
        return k;
    }
}
