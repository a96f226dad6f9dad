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
}
