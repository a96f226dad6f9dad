package dev.towerless.local;

import dev.towerless.aws.ecs.EcsRunnerLauncher;
import dev.towerless.core.ports.RunnerLauncher;
import dev.towerless.runner.RunnerMain;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for ECS RunTask: starts the runner main as a child JVM with the same environment
 * contract a Fargate task gets (the job id plus the stack's settings), output to a log file.
 */
public final class ProcessRunnerLauncher implements RunnerLauncher, AutoCloseable {
    private final Map<String, String> environment;
    private final Path logDir;
    private final String classpath;
    static final String TASK_MARK_ENV = "TOWERLESS_LOCAL_TASK";
    private final Map<Long, Process> running = new ConcurrentHashMap<>();
    private final Map<Long, String> marks = new ConcurrentHashMap<>();
    private final Path classDataArchive;
    private final java.util.Optional<Path> runnerJar;
    private volatile java.util.function.Consumer<StoppedTask> stoppedListener = t -> { };

    /** What ECS reports when a task stops: which job's runner, its task id and exit code. */
    public record StoppedTask(long jobId, String taskId, int exitCode) {
    }

    /** Called whenever a runner process ends, like EventBridge's ECS "Task State Change" to STOPPED. */
    public void onStopped(java.util.function.Consumer<StoppedTask> listener) {
        this.stoppedListener = listener;
    }
    private final java.util.concurrent.atomic.AtomicBoolean archiving = new java.util.concurrent.atomic.AtomicBoolean();

    public ProcessRunnerLauncher(Map<String, String> environment, Path logDir) {
        this.environment = Map.copyOf(environment);
        this.logDir = logDir;
        this.runnerJar = RunnerJar.locate();
        this.classpath = runnerJar.map(Path::toString).orElse(System.getProperty("java.class.path"));
        this.classDataArchive = logDir.getParent().resolve("runner-cds-" + Integer.toHexString(classpath.hashCode())
                + "-" + runnerJar.map(j -> j.toFile().lastModified()).orElse(0L) + ".jsa");
    }

    /**
     * Class data sharing: the first runner records the classes it loads; later runners map that
     * archive instead of loading and verifying them again (a Fargate image bakes it in at build).
     */
    private List<String> classDataSharing() {
        if (runnerJar.isEmpty()) {
            return List.of("-Xshare:auto"); // CDS cannot archive classes from directories
        }
        if (Files.exists(classDataArchive)) {
            return List.of("-XX:SharedArchiveFile=" + classDataArchive, "-Xshare:auto");
        }
        if (archiving.compareAndSet(false, true)) {
            return List.of("-XX:ArchiveClassesAtExit=" + classDataArchive);
        }
        return List.of("-Xshare:auto");
    }

    @Override
    public String launch(long jobId) throws LaunchException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A runner lives for one job: start fast rather than run fast (as a Fargate task would be tuned).
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"));
        cmd.addAll(classDataSharing());
        cmd.addAll(List.of("-cp", classpath, RunnerMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(environment);
        pb.environment().put(EcsRunnerLauncher.JOB_ID_ENV, Long.toString(jobId));
        pb.environment().put(RunnerMain.RUNNER_ID_ENV, "local-runner-job-" + jobId);
        // Every process of the task inherits this mark (ansible-runner starts ansible-playbook in a
        // session of its own, so process groups cannot be relied on); see killTask.
        String mark = java.util.UUID.randomUUID().toString();
        pb.environment().put(TASK_MARK_ENV, mark);
        String taskId = "local-task/" + mark.substring(0, 8);
        pb.environment().put(RunnerMain.RUNNER_TASK_ENV, taskId);
        try {
            Files.createDirectories(logDir);
            File log = logDir.resolve("runner-job-" + jobId + ".log").toFile();
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
            Process p = pb.start();
            running.put(jobId, p);
            marks.put(jobId, mark);
            p.onExit().thenRun(() -> {
                running.remove(jobId, p);
                marks.remove(jobId, mark);
                killTask(mark);
                stoppedListener.accept(new StoppedTask(jobId, taskId, p.exitValue()));
            });
            return taskId;
        } catch (IOException e) {
            throw new LaunchException("could not start a runner process: " + e.getMessage(), e);
        }
    }

    /**
     * Kills whatever is left of a task once its runner has exited, as a Fargate task's processes
     * all die with its container: every process whose environment carries the task's mark.
     */
    static void killTask(String mark) {
        byte[] needle = (TASK_MARK_ENV + "=" + mark).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(ph -> {
            try {
                byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(ph.pid()), "environ"));
                if (contains(env, needle)) {
                    ph.destroyForcibly();
                }
            } catch (IOException | SecurityException e) {
                // gone already, or not ours to read
            }
        });
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue; // entries are NUL-separated: match whole entries only
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (i + needle.length == haystack.length || haystack[i + needle.length] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Runner processes still alive, by job id (for tests that kill one). */
    public Map<Long, Process> running() {
        return Map.copyOf(running);
    }

    @Override
    public void close() {
        stoppedListener = t -> { };
        for (Process p : running.values()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : running.values()) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        marks.values().forEach(ProcessRunnerLauncher::killTask);
    }
}
