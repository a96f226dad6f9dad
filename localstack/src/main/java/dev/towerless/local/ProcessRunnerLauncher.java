package dev.towerless.local;

import dev.towerless.aws.ecs.EcsRunnerLauncher;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.ports.RunnerLauncher.LaunchException;
import dev.towerless.core.ports.RunnerStarter;
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
 * contract a Fargate task gets (the job id plus the stack's settings, never the sealing key),
 * output to a log file. The job's run key goes to the runner on its stdin, so it is in no
 * process's environment. Each task gets its own scratch dir (Fargate's ephemeral storage), which
 * disappears with the task, as does every process that ran in it.
 */
public final class ProcessRunnerLauncher implements RunnerStarter, AutoCloseable {
    /** The user playbooks run as when the stack runs as root (the runner's Sandbox.RUN_USER). */
    static final String RUN_USER = "towerless-job";
    static final String RUN_USER_HOME = "/var/lib/towerless-job";
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
        Map<String, String> env = new java.util.HashMap<>(environment);
        // The run must not see the stack's state (its sealing key, logs, admin token): hidden in the sandbox.
        env.put("TOWERLESS_RUN_HIDE_PATHS", logDir.getParent().toAbsolutePath().toString());
        this.environment = Map.copyOf(env);
        ensureRunUser();
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
    public String start(long jobId, JobKind kind, java.util.Optional<String> runKey) throws LaunchException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A runner lives for one job: start fast rather than run fast (as a Fargate task would be tuned).
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"));
        cmd.addAll(classDataSharing());
        // Every process of the task inherits this mark (ansible-runner starts ansible-playbook in a
        // session of its own, so process groups cannot be relied on); see killTask.
        String mark = java.util.UUID.randomUUID().toString();
        Path scratch;
        try {
            scratch = taskScratch(mark);
        } catch (IOException e) {
            throw new LaunchException("could not create the runner's scratch directory: " + e.getMessage(), e);
        }
        cmd.add("-Djava.io.tmpdir=" + scratch);
        cmd.addAll(List.of("-cp", classpath, RunnerMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(environment);
        pb.environment().put(EcsRunnerLauncher.JOB_ID_ENV, Long.toString(jobId));
        pb.environment().put(RunnerMain.RUNNER_ID_ENV, "local-runner-job-" + jobId);
        pb.environment().put(TASK_MARK_ENV, mark);
        String taskId = "local-task/" + mark.substring(0, 8);
        pb.environment().put(RunnerMain.RUNNER_TASK_ENV, taskId);
        try {
            Files.createDirectories(logDir);
            File log = logDir.resolve("runner-job-" + jobId + ".log").toFile();
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
            Process p = pb.start();
            try (var stdin = p.getOutputStream()) {
                if (runKey.isPresent()) {
                    stdin.write((runKey.get() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                // the runner died at once; its exit is reported like any other
            }
            running.put(jobId, p);
            marks.put(jobId, mark);
            p.onExit().thenRun(() -> {
                running.remove(jobId, p);
                marks.remove(jobId, mark);
                killTask(mark);
                removeScratch(scratch);
                stoppedListener.accept(new StoppedTask(jobId, taskId, p.exitValue()));
            });
            return taskId;
        } catch (IOException e) {
            removeScratch(scratch);
            throw new LaunchException("could not start a runner process: " + e.getMessage(), e);
        }
    }

    /**
     * The reaper ended this task's job: as ECS's StopTask, the runner is killed, and its exit
     * (above) kills what is left of the task and removes its scratch dir (private data dir, checkout).
     */
    @Override
    public void stop(String task, String reason) {
        marks.forEach((jobId, mark) -> {
            if (task.equals("local-task/" + mark.substring(0, 8))) {
                Process p = running.get(jobId);
                if (p != null) {
                    p.destroyForcibly();
                }
            }
        });
    }

    /**
     * The scratch dir of a task, named short: private data dirs go in it and ssh control sockets
     * under those, and a socket path has at most 107 characters.
     */
    static Path scratchOf(String mark) {
        return Path.of(System.getProperty("java.io.tmpdir"), "tlt-" + mark.replace("-", "").substring(0, 12));
    }

    /** The scratch dir of one task: private data dirs go in it; others may pass through (0711) but not list it. */
    private static Path taskScratch(String mark) throws IOException {
        Path dir = scratchOf(mark);
        Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x")));
        return dir;
    }

    /** Removes a task's scratch dir: what the run user wrote in it is removed as that user (it may hold links). */
    private static void removeScratch(Path dir) {
        try {
            if (isRoot() && runUserExists()) {
                new ProcessBuilder("setpriv", "--reuid=" + RUN_USER, "--regid=" + RUN_USER, "--clear-groups", "--no-new-privs",
                        "--", "find", dir.toString(), "-mindepth", "1", "-user", RUN_USER, "-delete")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                        .waitFor(60, TimeUnit.SECONDS);
            }
            // What is left was never the run user's (a runner that died before handing its dir over).
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // a scratch dir left in the temp dir holds nothing (the run removes its private data dir)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * As root, playbooks run as an unprivileged user of their own (the runner refuses to run them
     * as root): create it once, as the runner image's Dockerfile does.
     */
    private static void ensureRunUser() {
        if (!isRoot()) {
            return;
        }
        try {
            if (!runUserExists()) {
                run("useradd", "--system", "--user-group", "--create-home", "--home-dir", RUN_USER_HOME,
                        "--shell", "/usr/sbin/nologin", RUN_USER);
            } else if (!Files.isDirectory(Path.of(RUN_USER_HOME))) {
                // ansible's local connection puts its temp dir under the user's home (~user/.ansible/tmp)
                run("usermod", "--home", RUN_USER_HOME, RUN_USER);
                run("install", "-d", "-m", "0700", "-o", RUN_USER, "-g", RUN_USER, RUN_USER_HOME);
            }
        } catch (IOException e) {
            // the runner then refuses user code and says why
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor(30, TimeUnit.SECONDS);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean runUserExists() {
        try {
            return new ProcessBuilder("id", "-u", RUN_USER).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Kills whatever is left of a task once its runner has exited, as a Fargate task's processes
     * all die with its container: every process whose environment carries the task's mark.
     */
    static void killTask(String mark) {
        byte[] needle = (TASK_MARK_ENV + "=" + mark).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // The run's own processes carry no variable of ours (their environment is built from nothing),
        // but AWX's AWX_PRIVATE_DATA_DIR, which lies in this task's scratch dir.
        byte[] dataDir = ("AWX_PRIVATE_DATA_DIR=" + scratchOf(mark) + "/")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(ph -> {
            try {
                byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(ph.pid()), "environ"));
                if (contains(env, needle, true) || contains(env, dataDir, false)) {
                    ph.destroyForcibly();
                }
            } catch (IOException | SecurityException e) {
                // gone already, or not ours to read
            }
        });
    }

    /** Whether a NUL-separated environment holds the entry {@code needle} (whole, or as its start). */
    private static boolean contains(byte[] haystack, byte[] needle, boolean whole) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue; // entries are NUL-separated: match from the start of an entry only
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (!whole || i + needle.length == haystack.length || haystack[i + needle.length] == 0) {
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
