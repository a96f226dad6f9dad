package dev.towerless.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a child process with exactly the environment it is given (nothing of the runner's own is
 * inherited), hands each stdout line to a consumer as it arrives, keeps the tail of stderr for
 * explanations, and kills the whole process tree on timeout.
 */
final class ProcessRunner {
    private static final int TAIL_LINES = 20;

    private ProcessRunner() {
    }

    record Result(int exitCode, boolean timedOut, List<String> stderrTail) {
    }

    static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout,
                      Consumer<String> stdoutLines) throws IOException, InterruptedException {
        return run(command, workDir, env, timeout, stdoutLines, false, null);
    }

    /**
     * With {@code mergeStderr}, stderr lines go to the consumer too and the tail covers both.
     * With a {@code control}, a cancel stops the process (or keeps it from starting).
     */
    static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout,
                      Consumer<String> stdoutLines, boolean mergeStderr, ProcessControl control)
            throws IOException, InterruptedException {
        return run(command, workDir, env, timeout, stdoutLines, mergeStderr, control, null);
    }

    /**
     * Untrusted code of the run (ansible, inventory scripts): started through the sandbox, as the
     * run user where there is one, in the private data dir's namespace where bubblewrap works.
     */
    static Result runUntrusted(List<String> command, Path workDir, Map<String, String> env, Duration timeout,
                               Consumer<String> stdoutLines, boolean mergeStderr, ProcessControl control,
                               Sandbox sandbox, Path privateDir) throws IOException, InterruptedException {
        return run(sandbox.wrap(command, privateDir), workDir, env, timeout, stdoutLines, mergeStderr, control, sandbox);
    }

    private static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout,
                              Consumer<String> stdoutLines, boolean mergeStderr, ProcessControl control,
                              Sandbox sandbox) throws IOException, InterruptedException {
        if (control != null && control.requested()) {
            return new Result(-1, false, List.of("canceled before " + command.get(0) + " started"));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(mergeStderr);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (control != null) {
            if (sandbox != null) {
                control.attach(p, () -> sandbox.signalTarget(p));
            } else {
                control.attach(p);
            }
        }
        p.getOutputStream().close();
        Deque<String> tail = new ArrayDeque<>();
        Consumer<String> keepTail = line -> {
            synchronized (tail) {
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        };
        Thread errReader = reader("stderr-reader", p.getErrorStream(), keepTail);
        Thread outReader = reader("stdout-reader", p.getInputStream(),
                mergeStderr ? stdoutLines.andThen(keepTail) : stdoutLines);
        boolean finished = timeout.isZero() ? waitForever(p) : p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        outReader.join();
        errReader.join(2000);
        if (control != null) {
            control.detach();
        }
        synchronized (tail) {
            return new Result(finished ? p.exitValue() : -1, !finished, List.copyOf(tail));
        }
    }

    private static Thread reader(String name, InputStream stream, Consumer<String> eachLine) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    eachLine.accept(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static boolean waitForever(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }
}
