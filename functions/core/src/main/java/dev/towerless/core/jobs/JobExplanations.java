package dev.towerless.core.jobs;

/** AWX's job_explanation texts (research §1.7), so AWX users see the words they know. */
public final class JobExplanations {
    public static final String TIMEOUT = "Job terminated due to timeout";
    public static final String RUNNER_ERROR = "Job terminated due to error";
    public static final String MISSING_REVISION = "Missing a revision to run due to failed project update.";
    public static final String INVALID_INVENTORY = "Job could not start because it does not have a valid inventory.";
    public static final String NOT_ENOUGH_CAPACITY =
            "This job is not ready to start because there is not enough available capacity.";
    public static final String INVALID_PROJECT = "Job could not start because it does not have a valid project.";

    private JobExplanations() {
    }

    public static String heartbeatLost(String runner, long silentSeconds) {
        return "Job reaped: its runner " + runner + " sent no heartbeat for " + silentSeconds
                + " s, so it is presumed lost and the job has been marked as failed.";
    }

    public static String runnerStopped(String task, String reason, Integer exitCode) {
        return "Job reaped: its runner task " + task + " stopped without reporting a final status"
                + (reason == null || reason.isBlank() ? "" : " (" + reason + ")")
                + (exitCode == null ? "" : ", exit code " + exitCode) + ".";
    }

    public static String neverClaimed(long waitingSeconds) {
        return "Job reaped: no runner claimed it within " + waitingSeconds
                + " s of being started, so it has been marked as failed.";
    }

    public static String cancelUnacknowledged(long seconds) {
        return "Canceled by the reaper: no runner acknowledged the cancel within " + seconds + " s.";
    }

    public static String previousTaskFailed(UnifiedJob dependency) {
        return "Previous Task Failed: {\"job_type\": \"" + dependency.kind().type() + "\", \"job_name\": \""
                + dependency.name() + "\", \"job_id\": \"" + dependency.id() + "\"}";
    }

    public static String previousTaskCanceled(UnifiedJob dependency) {
        return "Previous Task Canceled: {\"job_type\": \"" + dependency.kind().type() + "\", \"job_name\": \""
                + dependency.name() + "\", \"job_id\": \"" + dependency.id() + "\"}";
    }

    public static String blockedBy(UnifiedJob blocker) {
        return "waiting for " + blocker.kind().type() + "-" + blocker.id() + " to finish";
    }

    /** Shown on a job a launch sent back to pending; cleared when it starts. */
    public static String launchDeferred(String reason) {
        return "Towerless will start a runner for this job on a later pass: " + reason;
    }

    public static String launchFailed(String reason) {
        return "Towerless could not start a runner for this job: " + reason;
    }
}
