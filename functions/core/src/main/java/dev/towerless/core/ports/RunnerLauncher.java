package dev.towerless.core.ports;

/**
 * Starts one runner for one job: an ECS Fargate task on AWS, a child process locally. The job
 * is already {@code waiting} when this is called; the runner claims it by moving it to running.
 */
public interface RunnerLauncher {

    /** Starts the runner and returns an identifier of it (task ARN, process id). */
    String launch(long jobId) throws LaunchException;

    /** A runner that did not start, and what that means for its job ({@link Outcome}). */
    class LaunchException extends Exception {
        /** What the task manager does with the job. */
        public enum Outcome {
            /** Nothing started and retrying will not help (a bad task definition …): the job ends in error, with this reason. */
            FAILED,
            /**
             * Nothing started, but it may on a later try (throttled, no capacity, a quota reached): the job
             * goes back to pending, keeps its place, and a later pass launches it again.
             */
            RETRY_LATER,
            /**
             * The service did not say whether a runner started (a timeout, a server error after the
             * client's own retries): the job stays waiting, so a runner that did start claims it, and
             * the reaper ends it with its explanation if none claims it within the waiting grace.
             */
            UNKNOWN
        }

        private final Outcome outcome;

        public LaunchException(String message, Throwable cause) {
            this(message, cause, Outcome.FAILED);
        }

        public LaunchException(String message, Throwable cause, Outcome outcome) {
            super(message, cause);
            this.outcome = outcome;
        }

        public static LaunchException retryLater(String message, Throwable cause) {
            return new LaunchException(message, cause, Outcome.RETRY_LATER);
        }

        public static LaunchException outcomeUnknown(String message, Throwable cause) {
            return new LaunchException(message, cause, Outcome.UNKNOWN);
        }

        public Outcome outcome() {
            return outcome;
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
