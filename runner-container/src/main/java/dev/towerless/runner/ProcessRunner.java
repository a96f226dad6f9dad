package dev.towerless.runner;

import java.io.BufferedReader;
import java.io.IOException;
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
 * Runs a child process, hands each stdout line to a consumer as it arrives, keeps the tail of
 * stderr for explanations, and kills the whole process tree on timeout.
 */
final class ProcessRunner {
    private ProcessRunner() {
    }

    record Result(int exitCode, boolean timedOut, List<String> stderrTail) {
    }

    static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout,
                      Consumer<String> stdoutLines) throws IOException, InterruptedException {
        return run(command, workDir, env, timeout, stdoutLines, false);
    }

    /** With {@code mergeStderr}, stderr lines go to the consumer too and the tail covers both. */
    static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout,
                      Consumer<String> stdoutLines, boolean mergeStderr) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(mergeStderr);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        Deque<String> tail = new ArrayDeque<>();
        Thread errReader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 20) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "stderr-reader");
        errReader.setDaemon(true);
        errReader.start();
        Thread outReader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    stdoutLines.accept(line);
                    if (mergeStderr) {
                        synchronized (tail) {
                            tail.addLast(line);
                            if (tail.size() > 20) {
                                tail.removeFirst();
                            }
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "stdout-reader");
        outReader.setDaemon(true);
        outReader.start();
        boolean finished = timeout.isZero() ? waitForever(p) : p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        outReader.join();
        errReader.join(2000);
        synchronized (tail) {
            return new Result(finished ? p.exitValue() : -1, !finished, List.copyOf(tail));
        }
    }

    private static boolean waitForever(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }
}
