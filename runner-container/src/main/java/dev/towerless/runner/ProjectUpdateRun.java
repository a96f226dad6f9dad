package dev.towerless.runner;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.resources.ResourceTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A project update: clone the project's branch, record the revision it resolved to on the
 * update and on the project, with the playbooks and inventory files it offers ({@link ProjectFiles}). The git output is the update's stdout, with URL credentials
 * redacted as AWX does.
 */
final class ProjectUpdateRun {
    /** An update without its own timeout still may not run forever. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    private ProjectUpdateRun() {
    }

    static Outcome run(RunContext ctx) throws Exception {
        String url = ctx.job.string(JobFields.SCM_URL).orElse("");
        String branch = ctx.job.string(JobFields.SCM_BRANCH).orElse("");
        try (Git git = new Git(ctx.credentials.kind("scm"), ctx.privateDir, RunEnvironment.forJob(ctx))) {
            return update(ctx, git, url, branch);
        }
    }

    private static Outcome update(RunContext ctx, Git git, String url, String branch) throws Exception {
        Path checkout = ctx.privateDir.resolve("project");
        ctx.verbose("Updating project " + ctx.job.name() + " from " + url + (branch.isEmpty() ? "" : " (branch " + branch + ")"));
        ProcessRunner.Result clone = git.clone(url, branch, checkout, timeout(ctx), ctx::verbose, ctx.control);
        RunRecord record = RunRecord.of(ctx, git.lastCommand(), checkout.getParent(), git.environment());
        if (ctx.control.requested()) {
            return record.applyTo(Outcome.of(JobStatus.CANCELED, ""), clone.exitCode());
        }
        if (clone.timedOut()) {
            return record.applyTo(Outcome.of(JobStatus.FAILED, "Job terminated due to timeout"), clone.exitCode());
        }
        if (clone.exitCode() != 0) {
            String reason = clone.stderrTail().stream().filter(l -> l.startsWith("fatal:") || l.startsWith("error:"))
                    .reduce((a, b) -> b).orElse("git exited with code " + clone.exitCode());
            return record.applyTo(Outcome.of(JobStatus.FAILED, ctx.redactor.redact("Could not clone " + url + ": " + reason)),
                    clone.exitCode());
        }
        String revision = git.head(checkout);
        ctx.verbose("Revision: " + revision);
        long projectId = ctx.job.longField(JobFields.PROJECT).orElseThrow();
        ProjectFiles.Listing files = ProjectFiles.of(checkout);
        ctx.resources.update(ResourceTypes.PROJECT, projectId, Map.of(JobFields.SCM_REVISION, revision,
                JobFields.PROJECT_PLAYBOOKS, files.playbooks(), JobFields.PROJECT_INVENTORY_FILES, files.inventories()));
        return record.applyTo(Outcome.of(JobStatus.SUCCESSFUL, "").with(JobFields.SCM_REVISION, revision), 0);
    }

    private static Duration timeout(RunContext ctx) {
        long seconds = ctx.settings.timeout(ctx.job.longField(JobFields.TIMEOUT).orElse(0L),
                dev.towerless.core.settings.SystemSettings.DEFAULT_PROJECT_UPDATE_TIMEOUT);
        return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TIMEOUT;
    }
}
