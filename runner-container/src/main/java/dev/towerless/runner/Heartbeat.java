package dev.towerless.runner;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Proves the runner is alive: one conditional update of the job's {@code last_heartbeat} per
 * period (12 writes a minute at the default 5 s). The same write returns the job, so it is also
 * where the runner learns of a cancel, or that the job was ended without it (reaped).
 */
final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    private final JobStore jobs;
    private final long jobId;
    private final Duration period;
    private final Clock clock;
    private final ProcessControl control;
    private final Thread thread;
    private volatile boolean running = true;

    Heartbeat(JobStore jobs, long jobId, Duration period, Clock clock, ProcessControl control) {
        this.jobs = jobs;
        this.jobId = jobId;
        this.period = period;
        this.clock = clock;
        this.control = control;
        this.thread = new Thread(this::loop, "heartbeat");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(period.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (!running) {
                return;
            }
            beat();
        }
    }

    void beat() {
        try {
            Optional<UnifiedJob> job = jobs.updateIfStatus(jobId, JobStatus.RUNNING,
                    Map.of(JobFields.LAST_HEARTBEAT, Timestamps.format(clock.instant())));
            if (job.isEmpty()) {
                LOG.warning(() -> "job " + jobId + " is no longer running (ended by someone else); stopping");
                control.cancel();
            } else if (job.get().cancelFlag() && !control.requested()) {
                LOG.info(() -> "job " + jobId + " was canceled; interrupting ansible");
                control.cancel();
            }
        } catch (RuntimeException e) {
            // The store is unreachable: keep running; if this lasts, the reaper decides.
            LOG.log(Level.WARNING, "heartbeat for job " + jobId + " not written", e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
