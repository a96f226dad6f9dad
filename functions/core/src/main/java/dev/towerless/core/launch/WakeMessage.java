package dev.towerless.core.launch;

/**
 * The body of a message on the wake queue. Wake messages only make the task manager run
 * sooner; its periodic tick reaches the same result without them, so they carry no state.
 */
public final class WakeMessage {
    private WakeMessage() {
    }

    public static String jobCreated(long jobId) {
        return "{\"reason\":\"job_created\",\"job_id\":" + jobId + "}";
    }

    /** A runner began a job (for {@code started} notifications; the task manager has nothing to do). */
    public static String jobStarted(long jobId) {
        return "{\"reason\":\"job_started\",\"job_id\":" + jobId + "}";
    }

    /** A cancel was asked of a running job that the task manager itself winds down (a workflow). */
    public static String cancelRequested(long jobId) {
        return "{\"reason\":\"cancel_requested\",\"job_id\":" + jobId + "}";
    }

    /**
     * A pass left {@code deferred} jobs pending because ECS turned their launch away (throttled, no
     * capacity): sent delayed, so they are tried again in seconds rather than at the next tick.
     */
    public static String launchesDeferred(int deferred) {
        return "{\"reason\":\"launches_deferred\",\"deferred\":" + deferred + "}";
    }

    public static String jobFinished(long jobId, String status) {
        return "{\"reason\":\"job_finished\",\"job_id\":" + jobId + ",\"status\":\"" + status + "\"}";
    }
}
