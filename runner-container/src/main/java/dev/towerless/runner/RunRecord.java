package dev.towerless.runner;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.security.SafeEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What AWX records about how a run was started, so it can be debugged: {@code job_args} (the
 * command as a JSON list, secrets redacted), {@code job_cwd}, {@code job_env} (hidden as AWX
 * hides it) and the {@code rc}.
 */
record RunRecord(String args, String cwd, Map<String, String> env) {

    static RunRecord of(RunContext ctx, List<String> command, Path cwd, Map<String, String> env) {
        return new RunRecord(ctx.variables.toJson(command.stream().map(ctx.redactor::redact).toList()),
                cwd == null ? "" : cwd.toString(), SafeEnvironment.of(env, ctx.credentials.secrets()));
    }

    Outcome applyTo(Outcome outcome, int rc) {
        return outcome.with(JobFields.JOB_ARGS, args).with(JobFields.JOB_CWD, cwd).with(JobFields.JOB_ENV, env)
                .with(JobFields.RC, rc);
    }
}
