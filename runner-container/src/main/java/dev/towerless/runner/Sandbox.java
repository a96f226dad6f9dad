package dev.towerless.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Where the run's untrusted programs (ansible-runner, ansible-inventory and the playbooks,
 * inventory scripts and plugins they load) execute, kept away from the runner itself:
 * <ul>
 *   <li>when the runner is root (the Fargate image, a local stack started as root), they run as
 *       the unprivileged {@link #RUN_USER} through {@code setpriv} with no new privileges, so the
 *       runner's process, environment and files are unreadable to them;</li>
 *   <li>where bubblewrap can create namespaces (Debian here; not Fargate, where each task holds one
 *       job anyway), inside {@code bwrap}: their own process namespace and {@code /proc} (no other
 *       job's or the runner's processes), an empty {@code /tmp}, {@code /var/tmp} and
 *       {@code /dev/shm} with only this job's private data dir in it, and the runner's state dir and
 *       home hidden;</li>
 *   <li>always with an environment built from nothing ({@link RunEnvironment}).</li>
 * </ul>
 * A root runner without the run user refuses to run user code rather than run it as root.
 */
final class Sandbox {
    private static final Logger LOG = Logger.getLogger(Sandbox.class.getName());
    /** The unprivileged user ansible runs as when the runner is root. */
    static final String RUN_USER = "towerless-job";
    /** Paths the launcher asks to hide from the run (the local stack's state dir), colon-separated. */
    static final String HIDE_PATHS_ENV = "TOWERLESS_RUN_HIDE_PATHS";

    /** The run user; {@code home} is where ansible's local connection keeps its temp files (~user/.ansible/tmp). */
    record RunUser(String name, int uid, int gid, Path home) {
    }

    private final boolean root;
    private final Optional<RunUser> user;
    private final boolean bwrap;
    private final List<Path> hidden;
    private volatile boolean handedOver;

    Sandbox(boolean root, Optional<RunUser> user, boolean bwrap, List<Path> hidden) {
        this.root = root;
        this.user = user;
        this.bwrap = bwrap;
        this.hidden = List.copyOf(hidden);
    }

    /** What this machine allows, probed once per runner (a few milliseconds). */
    static Sandbox detect(Map<String, String> runnerEnv) {
        boolean root = "root".equals(System.getProperty("user.name")) || uid().equals("0");
        Optional<RunUser> user = root ? lookUp(RUN_USER) : Optional.empty();
        List<Path> hidden = new ArrayList<>();
        String home = System.getProperty("user.home");
        Optional<Path> ansible = onPath(runnerEnv.getOrDefault("PATH", ""), "ansible-runner");
        // The runner's home is hidden, unless ansible itself was installed there (pip --user).
        if (home != null && !home.isBlank() && !home.equals("/") && ansible.map(a -> !a.startsWith(home)).orElse(true)) {
            hidden.add(Path.of(home));
        }
        String extra = runnerEnv.getOrDefault(HIDE_PATHS_ENV, "");
        for (String p : extra.split(":")) {
            if (!p.isBlank()) {
                hidden.add(Path.of(p).toAbsolutePath().normalize());
            }
        }
        Sandbox probe = new Sandbox(root, user, true, List.of());
        boolean bwrap = (!root || user.isPresent()) && probe.bwrapWorks();
        if (!bwrap) {
            LOG.warning("bubblewrap is not available here: jobs run without their own process namespace and /tmp"
                    + (user.isPresent() ? " (still as " + RUN_USER + ")" : ""));
        }
        if (!root) {
            LOG.warning("the runner is not root: ansible runs as the runner's own user"
                    + (bwrap ? ", inside bubblewrap" : ", with nothing between them") + " (docs/security.md)");
        }
        return new Sandbox(root, user, bwrap, hidden);
    }

    /** Why user code may not run here, if it may not: a root runner with no unprivileged user to run it as. */
    Optional<String> refusal() {
        if (root && user.isEmpty()) {
            return Optional.of("The runner runs as root but the user " + RUN_USER + " that playbooks run as does not exist;"
                    + " create it (useradd --system --no-create-home --shell /usr/sbin/nologin " + RUN_USER
                    + ") rather than run playbooks as root.");
        }
        return Optional.empty();
    }

    Optional<RunUser> user() {
        return user;
    }

    boolean isolatesProcesses() {
        return bwrap;
    }

    /** {@code command} as it must be started to run as untrusted code of the job whose private data dir is given. */
    List<String> wrap(List<String> command, Path privateDir) {
        List<String> out = new ArrayList<>();
        user.ifPresent(u -> out.addAll(List.of("setpriv", "--reuid=" + u.uid(), "--regid=" + u.gid(), "--clear-groups",
                "--no-new-privs", "--")));
        if (bwrap) {
            // --as-pid-1: the command is the namespace's first process, so a cancel's SIGINT reaches ansible-runner.
            out.addAll(List.of("bwrap", "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--as-pid-1",
                    "--dev-bind", "/", "/", "--proc", "/proc",
                    "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/dev/shm"));
            // Each job gets an empty home of its own for the run user (the home is shared between jobs otherwise).
            user.filter(u -> Files.isDirectory(u.home()) && !u.home().equals(Path.of("/")))
                    .ifPresent(u -> out.addAll(List.of("--tmpfs", u.home().toString())));
            for (Path h : hidden) {
                if (Files.isDirectory(h) && !privateDir.startsWith(h) && !h.startsWith("/tmp") && !h.startsWith("/var/tmp")) {
                    out.addAll(List.of("--tmpfs", h.toString()));
                }
            }
            out.addAll(List.of("--bind", privateDir.toString(), privateDir.toString(), "--"));
        }
        out.addAll(command);
        return out;
    }

    /** The process to signal for a cancel: with bubblewrap, the command it runs (its only child), else the process itself. */
    ProcessHandle signalTarget(Process wrapped) {
        if (!bwrap) {
            return wrapped.toHandle();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline && wrapped.isAlive()) {
            Optional<ProcessHandle> child = wrapped.children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            sleepBriefly();
        }
        return wrapped.toHandle();
    }

    /**
     * Gives the private data dir to the run user, who must write its artifacts there; the root
     * runner still reads everything. Without a run user the tree stays the runner's (0700/0600).
     */
    void handOver(Path privateDir) throws IOException {
        if (user.isEmpty()) {
            return;
        }
        handedOver = true;
        try (Stream<Path> walk = Files.walk(privateDir)) {
            for (Path p : walk.toList()) {
                Files.setAttribute(p, "unix:uid", user.get().uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", user.get().gid(), LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /**
     * Removes the private data dir at the end of the run. Once the run user owned it, it is
     * removed as that user: a root runner walking a tree its untrusted code could still be
     * rearranging (a directory swapped for a link) might otherwise delete files elsewhere.
     */
    void remove(Path privateDir) {
        if (privateDir == null) {
            return;
        }
        if (handedOver && user.isPresent()) {
            try {
                Process p = new ProcessBuilder(List.of("setpriv", "--reuid=" + user.get().uid(), "--regid=" + user.get().gid(),
                        "--clear-groups", "--no-new-privs", "--", "rm", "-rf", "--one-file-system", "--", privateDir.toString()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.getOutputStream().close();
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                LOG.warning("could not remove " + privateDir + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        PrivateFiles.deleteTree(privateDir);
    }

    private boolean bwrapWorks() {
        try {
            Process p = new ProcessBuilder(wrap(List.of("true"), Path.of("/"))).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<RunUser> lookUp(String name) {
        try {
            Process p = new ProcessBuilder("getent", "passwd", name).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String line = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0 || line.isEmpty()) {
                return Optional.empty();
            }
            String[] f = line.split(":");
            return Optional.of(new RunUser(name, Integer.parseInt(f[2]), Integer.parseInt(f[3]), Path.of(f[5])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Where {@code program} is found on {@code path}, if anywhere. */
    static Optional<Path> onPath(String path, String program) {
        for (String dir : path.split(":")) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.of(Path.of(dir, program));
            }
        }
        return Optional.empty();
    }

    private static String uid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return String.valueOf(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "";
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
