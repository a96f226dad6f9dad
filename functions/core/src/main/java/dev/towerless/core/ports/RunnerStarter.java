package dev.towerless.core.ports;

import dev.towerless.core.jobs.JobKind;
import java.util.Optional;

/**
 * Starts the process that runs one job: an ECS task on AWS, a child process locally. It passes
 * the job id and, for jobs that run user code, the per-job key that opens the job's sealed
 * secrets, to that process only. System jobs run no user code and get no key.
 */
public interface RunnerStarter {

    /** @return an identifier of the started runner (task ARN, local task id) */
    String start(long jobId, JobKind kind, Optional<String> runKey) throws RunnerLauncher.LaunchException;

    /**
     * The {@code attempt}-th start of the job's runner (0 first): a job a launch sent back to
     * pending ({@link RunnerLauncher.LaunchException.Outcome#RETRY_LATER}) is started again with
     * the next attempt, which an idempotent service (ECS's client token) must see as a new request.
     */
    default String start(long jobId, JobKind kind, int attempt, Optional<String> runKey) throws RunnerLauncher.LaunchException {
        return start(jobId, kind, runKey);
    }

    /**
     * Stops a runner the control plane has given up on (the reaper ended its job): its processes
     * and what it left on disk (private data dir, project checkout) go with it. On AWS ECS's
     * StopTask; locally the child process and its scratch dir. A runner already gone is no error.
     */
    default void stop(String task, String reason) {
    }
}
