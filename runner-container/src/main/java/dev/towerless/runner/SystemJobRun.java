package dev.towerless.runner;

import dev.towerless.core.housekeeping.Cleanup;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import java.util.Map;

/**
 * A system job runs without ansible (AWX runs {@code awx-manage <job_type>}): the cleanup itself,
 * with what it removed as the job's output.
 */
final class SystemJobRun {
    private SystemJobRun() {
    }

    static Outcome run(RunContext ctx, Cleanup cleanup, dev.towerless.core.ports.JobStore jobs) {
        String type = ctx.job.string(JobFields.JOB_TYPE).orElse("");
        Map<String, Object> vars = ctx.variables.parse(ctx.job.string(JobFields.EXTRA_VARS).orElse(""));
        int days = vars.get("days") instanceof Number n ? n.intValue()
                : vars.get("days") instanceof String s && s.matches("\\d+") ? Integer.parseInt(s) : Cleanup.DEFAULT_DAYS;
        // AWX runs `awx-manage <job_type> [--days N]`; the same work runs here in the runner, without a process.
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("awx-manage", type));
        if (type.equals("cleanup_jobs") || type.equals("cleanup_activitystream")) {
            args.addAll(java.util.List.of("--days", Integer.toString(days)));
        }
        RunRecord record = RunRecord.of(ctx, args, java.nio.file.Path.of("").toAbsolutePath(), Map.of());
        switch (type) {
            case "cleanup_jobs" -> cleanup.jobsOlderThan(days, ctx::verbose);
            case "cleanup_tokens" -> cleanup.expiredTokens(ctx::verbose);
            case "gather_analytics" -> {
                return record.applyTo(HousekeepingChecksRun.gatherAnalytics(ctx, jobs), 0);
            }
            case "administrative_checks" -> {
                return record.applyTo(HousekeepingChecksRun.administrativeChecks(ctx), 0);
            }
            case "cleanup_activitystream", "cleanup_sessions" ->
                    ctx.verbose("Nothing to remove: Towerless keeps no " + (type.endsWith("sessions") ? "sessions" : "activity stream")
                            + " (API access is by token)");
            default -> {
                return record.applyTo(Outcome.of(JobStatus.ERROR, "Unknown system job type: " + type), 1);
            }
        }
        return record.applyTo(Outcome.of(JobStatus.SUCCESSFUL, ""), 0);
    }
}
