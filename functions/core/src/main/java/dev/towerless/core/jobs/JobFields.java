package dev.towerless.core.jobs;

/** AWX field names of unified jobs, shared by the store, the runner and the API. */
public final class JobFields {
    public static final String ID = "id";
    public static final String TYPE = "type";
    public static final String NAME = "name";
    public static final String DESCRIPTION = "description";
    public static final String CREATED = "created";
    public static final String MODIFIED = "modified";
    public static final String STATUS = "status";
    public static final String FAILED = "failed";
    public static final String STARTED = "started";
    public static final String FINISHED = "finished";
    public static final String ELAPSED = "elapsed";
    public static final String JOB_EXPLANATION = "job_explanation";
    public static final String RESULT_TRACEBACK = "result_traceback";
    public static final String LAUNCH_TYPE = "launch_type";
    public static final String CANCEL_FLAG = "cancel_flag";
    public static final String EXECUTION_NODE = "execution_node";
    public static final String UNIFIED_JOB_TEMPLATE = "unified_job_template";
    public static final String JOB_TEMPLATE = "job_template";
    public static final String ORGANIZATION = "organization";
    public static final String PROJECT = "project";
    public static final String INVENTORY = "inventory";
    public static final String CREDENTIALS = "credentials";
    public static final String PLAYBOOK = "playbook";
    public static final String EXTRA_VARS = "extra_vars";
    public static final String LIMIT = "limit";
    public static final String JOB_TYPE = "job_type";
    public static final String VERBOSITY = "verbosity";
    public static final String FORKS = "forks";
    public static final String TIMEOUT = "timeout";
    public static final String SCM_URL = "scm_url";
    public static final String SCM_BRANCH = "scm_branch";
    public static final String SCM_REVISION = "scm_revision";
    /** On a project: the playbooks its last successful update found (projects/N/playbooks/). */
    public static final String PROJECT_PLAYBOOKS = "playbook_files";
    /** On a project: the inventory files its last successful update found (projects/N/inventories/). */
    public static final String PROJECT_INVENTORY_FILES = "inventory_files";
    public static final String SCM_CREDENTIAL = "credential";
    public static final String PROJECT_UPDATE = "project_update";
    public static final String RC = "rc";
    public static final String TASK_IMPACT = "task_impact";
    public static final String INSTANCE_GROUP = "instance_group";
    /** Instance groups to try, in order (template, inventory, organization), cached at creation as AWX does. */
    public static final String PREFERRED_INSTANCE_GROUPS = "preferred_instance_groups";
    public static final String CANCELED_ON = "canceled_on";
    /** Last time the job's runner proved it was alive (ISO timestamp). */
    public static final String LAST_HEARTBEAT = "last_heartbeat";
    /** What the launcher returned for the job's runner: an ECS task ARN, or a local pid. */
    public static final String RUNNER_TASK = "runner_task";
    /** When the runner spawned ansible-runner: Towerless's own latency metric, not in AWX's API. */
    public static final String ANSIBLE_STARTED = "ansible_started";
    public static final String EMITTED_EVENTS = "emitted_events";
    public static final String LAUNCHED_BY = "launched_by";
    /** The label ids of the job (its template's when it was launched, as AWX copies them). */
    public static final String LABELS = "labels";
    /** The execution environment the job runs in (on Fargate: which runner image). */
    public static final String EXECUTION_ENVIRONMENT = "execution_environment";
    /** What the playbook published with set_stats (AWX's {@code artifacts}); workflows pass them down. */
    public static final String ARTIFACTS = "artifacts";
    /** The schedule that launched the job (AWX's {@code schedule}). */
    public static final String SCHEDULE = "schedule";
    /** The occurrence of that schedule this run is for (ISO timestamp; Towerless's own). */
    public static final String SCHEDULED_FOR = "scheduled_for";
    public static final String ALLOW_SIMULTANEOUS = "allow_simultaneous";
    /**
     * The job's secrets sealed under its own run key (core/runplane/RunSecrets), present only
     * while the job is waiting or running; never shown by the API.
     */
    public static final String RUN_SECRETS = "run_secrets";
    /** How many launches ECS (or another launcher) turned away for now (throttled, no capacity); never shown by the API. */
    public static final String LAUNCH_ATTEMPTS = "launch_attempts";
    /** AWX's record of how the run was started: the command (redacted), its directory and environment. */
    public static final String JOB_ARGS = "job_args";
    public static final String JOB_CWD = "job_cwd";
    public static final String JOB_ENV = "job_env";
    /**
     * The job template's own extra_vars when the job was launched (JSON): AWX's {@code safe_dict},
     * the only variables someone with admin on the template wrote. The runner compares the job's
     * extra_vars with them to decide which reach ansible as plain values and which as
     * {@code !unsafe}. Kept for the runner, not shown by the API.
     */
    public static final String JOB_TEMPLATE_EXTRA_VARS = "job_template_extra_vars";
    /**
     * The passwords typed at launch for the credentials' "ASK" inputs, by AWX's names, each sealed
     * (AWX's {@code start_args}). Only the job's runner opens them; the API never shows them.
     */
    public static final String START_ARGS = "start_args";

    private JobFields() {
    }
}
