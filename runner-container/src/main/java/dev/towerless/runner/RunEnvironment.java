package dev.towerless.runner;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.settings.SystemSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment of every process the run starts, built from nothing, as AWX's
 * {@code build_env} (awx/main/tasks/jobs.py, 21.14.0) builds it for each job kind: AWX's
 * {@code ANSIBLE_*} settings, the {@code AWX_TASK_ENV} setting, the job's ids, the private data
 * dir. Never the runner's own variables (its store endpoints, AWS credentials, run key). The
 * credentials' injections are added by the run that renders them.
 */
final class RunEnvironment {
    /** A fixed search path: the runner's own may name directories the run has no business in. */
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** AWX's MAX_EVENT_RES_DATA. */
    static final String MAX_EVENT_RES = "700000";

    private RunEnvironment() {
    }

    /** What every process of the run starts with: a search path, a home and temp dir in the private data dir. */
    static Map<String, String> base(RunContext ctx) {
        Map<String, String> env = new LinkedHashMap<>();
        String path = PATH;
        // ansible installed somewhere else (pip --user, a virtualenv): keep that one directory reachable.
        for (String program : new String[] {"ansible-runner", "ansible-playbook"}) {
            Path found = Sandbox.onPath(System.getenv().getOrDefault("PATH", ""), program).orElse(null);
            if (found != null && !(":" + path + ":").contains(":" + found.getParent() + ":")) {
                path = path + ":" + found.getParent();
            }
        }
        env.put("PATH", path);
        env.put("HOME", ctx.privateDir.toString());
        env.put("TMPDIR", ctx.privateDir.resolve("tmp").toString());
        env.put("LANG", "C.UTF-8");
        env.put("PYTHONUNBUFFERED", "1");
        return env;
    }

    /** AWX's environment for {@code kind}: ANSIBLE_* settings, AWX_TASK_ENV, the job's ids and the private data dir. */
    static Map<String, String> forJob(RunContext ctx) {
        Map<String, String> env = base(ctx);
        // awx/settings/defaults.py: the ANSIBLE_* settings every task gets.
        env.put("ANSIBLE_HOST_KEY_CHECKING", "False");
        env.put("ANSIBLE_PARAMIKO_RECORD_HOST_KEYS", "False");
        env.put("ANSIBLE_FORCE_COLOR", "True");
        env.put("ANSIBLE_INVENTORY_UNPARSED_FAILED", "True");
        env.putAll(ctx.settings.taskEnvironment());
        env.put("AWX_PRIVATE_DATA_DIR", ctx.privateDir.toString());
        String id = Long.toString(ctx.job.id());
        String inventory = ctx.job.longField(JobFields.INVENTORY).map(String::valueOf).orElse("");
        JobKind kind = ctx.job.kind();
        switch (kind) {
            case JOB -> {
                env.put("JOB_ID", id);
                env.put("INVENTORY_ID", inventory);
                env.put("PROJECT_REVISION", ctx.job.string(JobFields.SCM_REVISION).orElse(""));
                env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
                env.put("MAX_EVENT_RES", MAX_EVENT_RES);
                env.put("AWX_HOST", ctx.settings.text(SystemSettings.TOWER_URL_BASE));
                env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", ctx.privateDir.resolve("cp").toString());
                env.put("ANSIBLE_COLLECTIONS_PATHS", ctx.privateDir.resolve("requirements_collections")
                        + ":~/.ansible/collections:/usr/share/ansible/collections");
                env.put("ANSIBLE_ROLES_PATH", ctx.privateDir.resolve("requirements_roles")
                        + ":~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles");
            }
            case AD_HOC_COMMAND -> {
                env.put("AD_HOC_COMMAND_ID", id);
                env.put("INVENTORY_ID", inventory);
                env.put("INVENTORY_HOSTVARS", "True");
                env.put("ANSIBLE_LOAD_CALLBACK_PLUGINS", "1");
                env.put("ANSIBLE_SFTP_BATCH_MODE", "False");
                env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", ctx.privateDir.resolve("cp").toString());
            }
            case INVENTORY_UPDATE -> {
                env.put("INVENTORY_SOURCE_ID", ctx.job.longField("inventory_source").map(String::valueOf).orElse(""));
                env.put("INVENTORY_UPDATE_ID", id);
                // AWX's STANDARD_INVENTORY_UPDATE_ENV
                env.put("ANSIBLE_INVENTORY_UNPARSED_FAILED", "True");
                env.put("ANSIBLE_INVENTORY_EXPORT", "True");
                env.put("ANSIBLE_VERBOSE_TO_STDERR", "True");
            }
            case PROJECT_UPDATE -> {
                env.put("PROJECT_UPDATE_ID", id);
                env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
                env.put("ANSIBLE_ASK_PASS", "False");
                env.put("ANSIBLE_BECOME_ASK_PASS", "False");
                env.put("DISPLAY", "");
            }
            default -> {
            }
        }
        return env;
    }
}
