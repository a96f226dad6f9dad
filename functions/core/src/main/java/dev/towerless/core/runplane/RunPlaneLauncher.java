package dev.towerless.core.runplane;

import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.RunnerLauncher;
import dev.towerless.core.ports.RunnerStarter;
import dev.towerless.core.ports.SecretLookup;
import dev.towerless.core.resources.VariablesCodec;
import dev.towerless.core.security.SecretBox;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's side of the wall between the planes (docs/security.md): before a runner
 * starts, this opens the job's secrets with the sealing key, seals them under a fresh key, stores
 * the bundle on the (waiting) job and starts the runner with that key alone.
 */
public final class RunPlaneLauncher implements RunnerLauncher {

    private final JobStore jobs;
    private final ResourceStore resources;
    private final SecretBox sealing;
    private final VariablesCodec codec;
    private final RunnerStarter starter;
    private final SecretLookup lookup;

    public RunPlaneLauncher(JobStore jobs, ResourceStore resources, SecretBox sealing, VariablesCodec codec,
                            RunnerStarter starter) {
        this(jobs, resources, sealing, codec, starter, SecretLookup.NONE);
    }

    /** {@code lookup} reads the inputs that credential input sources fill, before the runner starts. */
    public RunPlaneLauncher(JobStore jobs, ResourceStore resources, SecretBox sealing, VariablesCodec codec,
                            RunnerStarter starter, SecretLookup lookup) {
        this.lookup = lookup;
        this.jobs = jobs;
        this.resources = resources;
        this.sealing = sealing;
        this.codec = codec;
        this.starter = starter;
    }

    @Override
    public String launch(long jobId) throws LaunchException {
        UnifiedJob job = jobs.find(jobId).orElseThrow(() -> new LaunchException("job " + jobId + " no longer exists", null));
        // Each launch a service turned away for now counts, so the next is a new request (ECS's client token).
        int attempt = job.longField(dev.towerless.core.jobs.JobFields.LAUNCH_ATTEMPTS).map(Long::intValue).orElse(0);
        if (job.kind() == JobKind.SYSTEM_JOB) {
            return starter.start(jobId, job.kind(), attempt, Optional.empty());
        }
        RunSecrets.Sealed sealed;
        try {
            sealed = RunSecrets.gather(job, resources, sealing, lookup).seal(codec);
        } catch (RunSecrets.CannotStart e) {
            throw new PreStartFailed(e.getMessage());
        } catch (RuntimeException e) {
            throw new LaunchException("the job's credentials could not be prepared for its run: " + e.getMessage(), e);
        }
        // Guarded by the status: a job canceled meanwhile gets no bundle and no runner.
        if (jobs.updateIfStatus(jobId, JobStatus.WAITING, Map.of(RunSecrets.FIELD, sealed.bundle())).isEmpty()) {
            throw new LaunchException("the job left waiting before its runner started", null);
        }
        return starter.start(jobId, job.kind(), attempt, Optional.of(sealed.key()));
    }
}
