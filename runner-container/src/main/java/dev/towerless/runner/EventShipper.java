package dev.towerless.runner;

import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.ports.EventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ships events to the store while the play runs: a background thread drains a queue and writes
 * a batch whenever {@code maxBatch} events are waiting or {@code maxDelay} has passed, so
 * stdout shows up within a fraction of a second and large plays still write in bulk.
 */
final class EventShipper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventShipper.class.getName());
    private static final JobEvent STOP = new JobEvent(-1, -1, "stop", null, null, null, null, null, "", 0, 0, null,
            false, false, null);

    /** Writes each batch, then the line marks and extent that let readers page it without reading it all. */
    private final dev.towerless.core.jobs.JobOutput.Writer store;
    private final BlockingQueue<JobEvent> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final Duration maxDelay;
    private final Thread thread;
    private volatile RuntimeException failure;
    private long shipped;

    EventShipper(EventStore store, int maxBatch, Duration maxDelay) {
        this.store = new dev.towerless.core.jobs.JobOutput.Writer(store);
        this.maxBatch = maxBatch;
        this.maxDelay = maxDelay;
        this.thread = new Thread(this::loop, "event-shipper");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void offer(JobEvent event) {
        queue.add(event);
    }

    long shipped() {
        return shipped;
    }

    private void loop() {
        List<JobEvent> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                JobEvent first = queue.poll(maxDelay.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    if (first == STOP) {
                        stopping = true;
                    } else {
                        batch.add(first);
                    }
                }
                long deadline = System.nanoTime() + maxDelay.toNanos();
                while (!stopping && batch.size() < maxBatch && System.nanoTime() < deadline) {
                    JobEvent next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (next == STOP) {
                        stopping = true;
                    } else {
                        batch.add(next);
                    }
                }
                if (stopping) {
                    queue.drainTo(batch);
                    batch.remove(STOP);
                }
                flush(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "could not store job events", e);
                failure = e;
                return;
            }
        }
    }

    private void flush(List<JobEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        store.append(List.copyOf(batch));
        shipped += batch.size();
        batch.clear();
    }

    /** Ships everything still queued and stops; rethrows a failure to store. */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            thread.join(Duration.ofMinutes(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
