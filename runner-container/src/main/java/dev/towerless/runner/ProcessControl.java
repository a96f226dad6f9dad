package dev.towerless.runner;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Stops the process a run is waiting on when the job is canceled: SIGINT first (ansible-runner
 * then ends the play and reports it canceled, keeping its output), SIGTERM after a grace, and
 * finally SIGKILL for the whole process tree. A cancel that arrives between two processes stops
 * the next one from starting.
 */
final class ProcessControl {
    private static final Logger LOG = Logger.getLogger(ProcessControl.class.getName());
    private final Duration grace;
    private volatile boolean requested;
    private Process current;

    ProcessControl(Duration grace) {
        this.grace = grace;
    }

    boolean requested() {
        return requested;
    }

    synchronized void attach(Process p) {
        current = p;
        if (requested) {
            stop(p);
        }
    }

    /** The process the run is waiting on, if any (the prompt watch looks at its children). */
    synchronized java.util.Optional<ProcessHandle> current() {
        return current == null ? java.util.Optional.empty() : java.util.Optional.of(current.toHandle());
    }

    synchronized void detach() {
        current = null;
    }

    /** Asks the current process (and any later one) to stop. */
    void cancel() {
        Process p;
        synchronized (this) {
            if (requested) {
                return;
            }
            requested = true;
            p = current;
        }
        if (p != null) {
            stop(p);
        }
    }

    private void stop(Process p) {
        Thread t = new Thread(() -> {
            try {
                signal(p, "INT");
                if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                LOG.warning("the process did not stop on SIGINT; sending SIGTERM");
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cancel");
        t.setDaemon(true);
        t.start();
    }

    private static void signal(Process p, String signal) throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        } catch (IOException e) {
            p.destroy();
        }
    }
}
