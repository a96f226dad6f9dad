package dev.towerless.core.liveness;

import dev.towerless.core.jobs.JobExplanations;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.WakeMessage;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.HeartbeatStore.Beat;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.Topic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the jobs nobody will end: runners that went silent, tasks that stopped without a final
 * status, waiting jobs no runner claimed, cancels no runner acknowledged. Every verdict is a
 * conditional write on the status the reaper saw, so a runner finishing at the same moment
 * either wins cleanly or loses cleanly; a final status is never overwritten.
 */
public final class Reaper {
    private static final Logger LOG = Logger.getLogger(Reaper.class.getName());

    private final JobStore jobs;
    private final HeartbeatStore heartbeats;
    private final Topic lifecycle;
    private final Clock clock;
    private final LivenessSettings settings;

    private final dev.towerless.core.ports.RunnerStarter runners;

    public Reaper(JobStore jobs, HeartbeatStore heartbeats, Topic lifecycle, Clock clock, LivenessSettings settings) {
        this(jobs, heartbeats, lifecycle, clock, settings, new dev.towerless.core.ports.RunnerStarter() {
            @Override
            public String start(long jobId, dev.towerless.core.jobs.JobKind kind, Optional<String> runKey) {
                throw new UnsupportedOperationException("the reaper starts no runner");
            }
        });
    }

    /** {@code runners} stops the runner of a job the reaper ends while that runner may still be there. */
    public Reaper(JobStore jobs, HeartbeatStore heartbeats, Topic lifecycle, Clock clock, LivenessSettings settings,
                  dev.towerless.core.ports.RunnerStarter runners) {
        this.jobs = jobs;
        this.heartbeats = heartbeats;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.settings = settings;
        this.runners = runners;
    }

    /** What one pass did. */
    public record ReapResult(int examined, int reaped) {
    }

    /** The periodic pass over the active jobs (one query on the sparse index). */
    public ReapResult reap() {
        Instant now = clock.instant();
        int reaped = 0;
        int examined = 0;
        List<UnifiedJob> active = jobs.active();
        // The running jobs' heartbeats: a batch read per 100 running jobs, nothing for the others.
        List<Long> beating = active.stream().filter(j -> j.status() == JobStatus.RUNNING && j.kind().runsInRunner())
                .map(UnifiedJob::id).toList();
        Map<Long, Beat> beats = beating.isEmpty() ? Map.of() : heartbeats.lastBeats(beating);
        for (UnifiedJob job : active) {
            examined++;
            Optional<Beat> beat = Optional.ofNullable(beats.get(job.id()));
            Optional<Verdict> verdict = judge(job, beat, now);
            if (verdict.isPresent() && apply(job, verdict.get(), beat)) {
                reaped++;
                stopRunner(job, verdict.get().explanation());
            }
        }
        return new ReapResult(examined, reaped);
    }

    /**
     * An ECS "Task State Change" to STOPPED (or the local launcher's equivalent): if the job is
     * still waiting or running, its runner is gone for good.
     */
    public boolean taskStopped(long jobId, String task, String stoppedReason, Integer exitCode) {
        Optional<UnifiedJob> job = jobs.find(jobId);
        if (job.isEmpty() || !(job.get().status() == JobStatus.RUNNING || job.get().status() == JobStatus.WAITING)) {
            return false; // finished normally (the runner writes its status before it exits), or a duplicate event
        }
        UnifiedJob j = job.get();
        if (j.cancelFlag()) {
            return apply(j, new Verdict(JobStatus.CANCELED, ""), Optional.empty());
        }
        return apply(j, new Verdict(JobStatus.FAILED, JobExplanations.runnerStopped(task, stoppedReason, exitCode)), Optional.empty());
    }

    private Optional<Verdict> judge(UnifiedJob job, Optional<Beat> beat, Instant now) {
        if (!job.kind().runsInRunner()) {
            return Optional.empty(); // a workflow job has no runner: the workflow manager ends it
        }
        if (job.status() == JobStatus.RUNNING) {
            // A runner of the version before heartbeats had their own table wrote them on the job.
            Instant lastSign = beat.map(Beat::at).or(() -> instant(job, JobFields.LAST_HEARTBEAT)).or(job::started).orElse(now);
            Duration silent = Duration.between(lastSign, now);
            // Silenced: an earlier pass decided, and died before ending the job; its runner can beat no more.
            boolean lost = beat.map(Beat::silenced).orElse(false) || silent.compareTo(settings.heartbeatGrace()) > 0;
            if (job.cancelFlag()) {
                // The user asked for a cancel: it ends canceled, whether the runner ignores it or is gone.
                Instant asked = instant(job, JobFields.CANCELED_ON).orElse(job.started().orElse(now));
                if (lost || Duration.between(asked, now).compareTo(settings.cancelGrace()) > 0) {
                    return Optional.of(new Verdict(JobStatus.CANCELED,
                            JobExplanations.cancelUnacknowledged(Duration.between(asked, now).toSeconds())));
                }
                return Optional.empty();
            }
            if (lost) {
                String runner = job.string(JobFields.EXECUTION_NODE).orElse("(unknown)");
                return Optional.of(new Verdict(JobStatus.FAILED, JobExplanations.heartbeatLost(runner, silent.toSeconds()), true));
            }
        } else if (job.status() == JobStatus.WAITING) {
            Instant since = instant(job, JobFields.MODIFIED).orElse(job.created());
            Duration waited = Duration.between(since, now);
            if (job.cancelFlag()) {
                return Optional.of(new Verdict(JobStatus.CANCELED, ""));
            }
            if (waited.compareTo(settings.waitingGrace()) > 0) {
                return Optional.of(new Verdict(JobStatus.FAILED, JobExplanations.neverClaimed(waited.toSeconds())));
            }
        }
        return Optional.empty();
    }

    private boolean apply(UnifiedJob job, Verdict verdict, Optional<Beat> beat) {
        Map<String, Object> changes = JobTransitions.changesFor(job, verdict.status(), clock.instant(),
                Map.of(JobFields.JOB_EXPLANATION, verdict.explanation()));
        // A verdict of silence holds only for the silence seen: a heartbeat written since the read keeps
        // the job alive. Silencing first means no heartbeat can land after this check.
        if (verdict.onSilence() && !heartbeats.silence(job.id(), beat.map(Beat::at))) {
            return false;
        }
        Optional<UnifiedJob> written = verdict.onSilence()
                ? jobs.updateIfStatusAndUnchanged(job.id(), job.status(), JobFields.LAST_HEARTBEAT, job.get(JobFields.LAST_HEARTBEAT),
                        changes)
                : jobs.updateIfStatus(job.id(), job.status(), changes);
        if (written.isEmpty()) {
            return false; // the runner (or another reaper) ended it first: its word stands
        }
        LOG.warning(() -> "reaped job " + job.id() + " (" + job.kind().type() + ") as " + verdict.status().apiName() + ": "
                + verdict.explanation());
        try {
            lifecycle.publish(WakeMessage.jobFinished(job.id(), verdict.status().apiName()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not publish that " + job + " was reaped; the next tick will notice", e);
        }
        return true;
    }

    /**
     * A runner gone silent may still be alive (hung, stopped, cut off): once its job is ended, it
     * is stopped, so its processes and leftovers (private data dir, checkout) do not outlive the job.
     */
    private void stopRunner(UnifiedJob job, String reason) {
        job.string(JobFields.RUNNER_TASK).filter(t -> !t.isBlank()).ifPresent(task -> {
            try {
                runners.stop(task, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not stop the runner " + task + " of reaped job " + job.id(), e);
            }
        });
    }

    private static Optional<Instant> instant(UnifiedJob job, String field) {
        return job.string(field).map(Timestamps::parse);
    }

    private record Verdict(JobStatus status, String explanation, boolean onSilence) {
        Verdict(JobStatus status, String explanation) {
            this(status, explanation, false);
        }
    }
}
