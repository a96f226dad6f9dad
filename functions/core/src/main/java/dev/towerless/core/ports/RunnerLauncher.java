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
}
