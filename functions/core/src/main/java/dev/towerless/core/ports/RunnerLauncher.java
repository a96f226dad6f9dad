package dev.towerless.core.ports;

/**
 * Starts one runner for one job: an ECS Fargate task on AWS, a child process locally. The job
 * is already {@code waiting} when this is called; the runner claims it by moving it to running.
 */
public interface RunnerLauncher {

    /** Starts the runner and returns an identifier of it (task ARN, process id). */
    String launch(long jobId) throws LaunchException;

    class LaunchException extends Exception {
        public LaunchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * AWX's failed {@code pre_start} check: the job cannot start for what it was given (a credential
     * without a required input), so it ends {@code failed} with this explanation, not in error.
     */
    class PreStartFailed extends LaunchException {
        public PreStartFailed(String explanation) {
            super(explanation, null);
        }
    }
}
