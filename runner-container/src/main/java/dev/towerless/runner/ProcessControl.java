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
    private java.util.function.Supplier<ProcessHandle> target;

    ProcessControl(Duration grace) {
        this.grace = grace;
    }

    boolean requested() {
        return requested;
    }

    synchronized void attach(Process p) {
        attach(p, p::toHandle);
    }

    /** {@code signalTarget}: the process a SIGINT must reach (a sandbox's command rather than the sandbox). */
    synchronized void attach(Process p, java.util.function.Supplier<ProcessHandle> signalTarget) {
        current = p;
        target = signalTarget;
        if (requested) {
            stop(p, signalTarget);
        }
    }

    /** The process the run is waiting on, if any (the prompt watch looks at its children). */
    synchronized java.util.Optional<ProcessHandle> current() {
        return current == null ? java.util.Optional.empty() : java.util.Optional.of(current.toHandle());
    }

    synchronized void detach() {
        current = null;
        target = null;
    }

    /** Asks the current process (and any later one) to stop. */
    void cancel() {
        Process p;
        java.util.function.Supplier<ProcessHandle> t;
        synchronized (this) {
            if (requested) {
                return;
            }
            requested = true;
            p = current;
            t = target;
        }
        if (p != null) {
            stop(p, t);
        }
    }

    private void stop(Process p, java.util.function.Supplier<ProcessHandle> signalTarget) {
        Thread t = new Thread(() -> {
            try {
                signal(signalTarget.get(), "INT");
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

    private static void signal(ProcessHandle p, String signal) throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        } catch (IOException e) {
            p.destroy();
        }
    }
}
