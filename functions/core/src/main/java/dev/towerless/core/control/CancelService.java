package dev.towerless.core.control;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.WakeMessage;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.Topic;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * AWX's cancel: the flag is set first (so a runner can tell a cancel from a shutdown); a job that
 * has not started running is canceled at once; a running job's runner sees the flag at its next
 * heartbeat, interrupts ansible and ends the job {@code canceled} with its output kept. A cancel
 * no runner acknowledges is finished by the reaper.
 */
public final class CancelService {
    private static final Logger LOG = Logger.getLogger(CancelService.class.getName());

    public enum Result { CANCELED, REQUESTED, NOT_CANCELABLE }

    private final JobStore jobs;
    private final Topic lifecycle;
    private final Clock clock;

    public CancelService(JobStore jobs, Topic lifecycle, Clock clock) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    public static boolean canCancel(UnifiedJob job) {
        return job.status().isActive();
    }

    public Result cancel(long jobId) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<UnifiedJob> found = jobs.find(jobId);
            if (found.isEmpty() || !canCancel(found.get())) {
                return Result.NOT_CANCELABLE;
            }
            UnifiedJob job = found.get();
            String now = Timestamps.format(clock.instant());
            Map<String, Object> flag = job.cancelFlag() ? Map.of(JobFields.CANCEL_FLAG, true)
                    : Map.of(JobFields.CANCEL_FLAG, true, JobFields.CANCELED_ON, now);
            if (job.status() == JobStatus.RUNNING) {
                if (jobs.updateIfStatus(jobId, JobStatus.RUNNING, flag).isPresent()) {
                    if (!job.kind().runsInRunner()) {
                        // A workflow is canceled by the task manager's pass (its jobs first): wake it now.
                        publishQuietly(WakeMessage.cancelRequested(jobId));
                    }
                    return Result.REQUESTED;
                }
                continue; // it finished or was reaped meanwhile: look again
            }
            // new, pending, waiting: nothing runs yet, so the cancel takes effect now. A runner that
            // was about to claim a waiting job finds it canceled and exits.
            Map<String, Object> changes = new java.util.LinkedHashMap<>(
                    JobTransitions.changesFor(job, JobStatus.CANCELED, clock.instant(), flag));
            if (jobs.updateIfStatus(jobId, job.status(), changes).isPresent()) {
                publish(jobId);
                return Result.CANCELED;
            }
        }
        return Result.NOT_CANCELABLE;
    }

    private void publish(long jobId) {
        publishQuietly(WakeMessage.jobFinished(jobId, JobStatus.CANCELED.apiName()));
    }

    private void publishQuietly(String message) {
        try {
            lifecycle.publish(message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not publish " + message, e);
        }
    }
}
