package dev.towerless.runner;

import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Proves the runner is alive: one conditional write of the job's heartbeat item per period (12
 * writes a minute at the default 5 s, one write unit each: the heartbeat has its own table, see
 * {@link HeartbeatStore}), then one read of the job, which is where the runner learns of a
 * cancel, or that the job was ended without it. A refused heartbeat means the reaper ended it.
 */
final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    private final JobStore jobs;
    private final HeartbeatStore heartbeats;
    private final long jobId;
    private final String runnerId;
    private final Duration period;
    private final Clock clock;
    private final ProcessControl control;
    private final Thread thread;
    private volatile boolean running = true;

    Heartbeat(JobStore jobs, HeartbeatStore heartbeats, long jobId, String runnerId, Duration period, Clock clock,
              ProcessControl control) {
        this.jobs = jobs;
        this.heartbeats = heartbeats;
        this.jobId = jobId;
        this.runnerId = runnerId;
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
            if (!heartbeats.beat(jobId, runnerId, clock.instant())) {
                LOG.warning(() -> "job " + jobId + " was reaped (its heartbeats are refused); stopping");
                control.cancel();
                return;
            }
            Optional<UnifiedJob> job = jobs.find(jobId).filter(j -> j.status() == JobStatus.RUNNING);
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
