package dev.towerless.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * No run waits forever at a prompt, and a run a prompt ended says which.
 *
 * <p>While ansible runs, a watch thread looks every second for a process of the run blocked
 * reading its terminal (Linux {@code /proc/<pid>/syscall}: a {@code read} on a tty). ansible,
 * ssh-add or ssh waiting there for {@link #stall} is at a prompt nothing will answer (a
 * {@code vars_prompt}, an unexpected password question): that process is stopped and the job
 * fails naming it. The known credential prompts never get there (each has an answer, empty when
 * there is none); for them the run's output says what happened (a refused passphrase, a missing
 * become password), and {@link #explanation()} puts it in AWX-style words. Where {@code /proc}
 * cannot be read (another uid without ptrace rights) the watch sees nothing and the job's own
 * timeout is the bound.
 */
final class PromptWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PromptWatch.class.getName());
    /** The read(2) syscall number of this machine's architecture. */
    private static final int READ = "aarch64".equals(System.getProperty("os.arch")) ? 63 : 0;

    /** What the output says, in order of precedence: the first that matched explains the failure. */
    private static final List<Signature> SIGNATURES = List.of(
            new Signature("Bad passphrase, try again for", m ->
                    "The SSH private key's passphrase (ssh_key_unlock) is wrong: ssh-add asked \"Bad passphrase, try again\"."),
            new Signature("Missing (\\S+) password", m -> "The host asked for a " + m.group(1)
                    + " password and the credential has no become password (become_password): \"" + m.group() + "\"."),
            new Signature("Incorrect (\\S+) password", m -> "The become password (become_password) was refused: \""
                    + m.group() + "\"."),
            new Signature("Timeout \\(\\d+s\\) waiting for privilege escalation prompt", m ->
                    "Privilege escalation never prompted: \"" + m.group() + "\"."),
            // A host that refuses the login is unreachable to ansible; other tasks' output may say the same words.
            new Signature("UNREACHABLE!.*?(Invalid/incorrect password)", m -> "The SSH password (ssh_password) was refused: \""
                    + m.group(1) + "\"."),
            new Signature("UNREACHABLE!.*?(Permission denied \\([a-z,-]+\\))", m -> "The host refused the SSH login ("
                    + m.group(1) + "): the credential's password or key is missing or wrong."),
            new Signature("Attempting to decrypt but no vault secrets found", m ->
                    "The playbook has vault-encrypted content and the job has no vault password for it (vault_password): \""
                            + m.group() + "\"."),
            new Signature("Decryption failed \\(no vault secrets were found that could decrypt\\)", m ->
                    "No vault password of the job opens the playbook's vault-encrypted content: \"" + m.group() + "\"."));

    private record Signature(Pattern pattern, java.util.function.Function<Matcher, String> explain) {
        Signature(String regex, java.util.function.Function<Matcher, String> explain) {
            this(Pattern.compile(regex), explain);
        }
    }

    private final ProcessControl control;
    private final Clock clock;
    private final Duration stall;
    private final Thread thread;
    private final Map<Long, Instant> waitingSince = new HashMap<>();
    private volatile boolean running = true;
    private volatile String stalled;
    private volatile String fromOutput;
    private volatile boolean passphraseAsked;
    private volatile boolean identityAdded;
    /** Whether the job answers ssh-add's prompt with a passphrase (ssh_key_unlock), or with nothing. */
    private final boolean passphraseGiven;

    PromptWatch(ProcessControl control, Clock clock, Duration stall) {
        this(control, clock, stall, false);
    }

    PromptWatch(ProcessControl control, Clock clock, Duration stall, boolean passphraseGiven) {
        this.passphraseGiven = passphraseGiven;
        this.control = control;
        this.clock = clock;
        this.stall = stall;
        this.thread = new Thread(this::loop, "prompt-watch");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** How long a process may wait at its terminal: {@code TOWERLESS_PROMPT_STALL_SECONDS}, 20 s by default. */
    static Duration configuredStall() {
        try {
            return Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("TOWERLESS_PROMPT_STALL_SECONDS", "20")));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(20);
        }
    }

    /** One line of the run's output (already redacted). */
    void observe(String line) {
        if (line == null || line.isEmpty()) {
            return;
        }
        if (line.contains("Enter passphrase for")) {
            passphraseAsked = true;
        }
        if (line.contains("Identity added:")) {
            identityAdded = true;
        }
        if (fromOutput != null) {
            return;
        }
        for (Signature s : SIGNATURES) {
            Matcher m = s.pattern().matcher(line);
            if (m.find()) {
                fromOutput = s.explain().apply(m);
                return;
            }
        }
    }

    /** Whether a prompt stopped the run (then the job fails, whatever ansible reported). */
    boolean stalled() {
        return stalled != null;
    }

    /** Why the run failed, when a prompt explains it. */
    Optional<String> explanation() {
        if (stalled != null) {
            return Optional.of(stalled);
        }
        if (fromOutput != null) {
            return Optional.of(fromOutput);
        }
        if (passphraseAsked && !identityAdded) {
            // ssh-add's "Bad passphrase, try again for …: " is a prompt with no line end: a run stopped
            // while ssh-add waits there may never show it, so what was answered decides the words.
            return Optional.of(passphraseGiven
                    ? "The SSH private key's passphrase (ssh_key_unlock) is wrong: ssh-add asked for it again."
                    : "The SSH private key is protected by a passphrase and the job has none for it "
                    + "(ssh_key_unlock): ssh-add asked \"Enter passphrase for …\".");
        }
        return Optional.empty();
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            control.current().ifPresent(root -> root.descendants().forEach(this::check));
        }
    }

    private void check(ProcessHandle p) {
        if (!readingTerminal(p.pid())) {
            waitingSince.remove(p.pid());
            return;
        }
        Instant since = waitingSince.computeIfAbsent(p.pid(), pid -> clock.instant());
        if (stalled == null && Duration.between(since, clock.instant()).compareTo(stall) >= 0) {
            stalled = "Job stopped: " + describe(command(p.pid())) + " waited " + stall.toSeconds()
                    + " s at a terminal prompt that nothing answers.";
            LOG.warning(() -> "process " + p.pid() + " waits at its terminal; stopping it: " + stalled);
            p.destroy();
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    return;
                }
                p.destroyForcibly();
            }, "prompt-watch-kill");
            killer.setDaemon(true);
            killer.start();
        }
    }

    private static String describe(String command) {
        if (command.startsWith("ssh-add")) {
            return "ssh-add (the SSH key's passphrase, ssh_key_unlock)";
        }
        if (command.startsWith("ansible")) {
            return "ansible (an interactive prompt of the playbook such as vars_prompt or pause; use a survey instead)";
        }
        if (command.equals("ssh") || command.startsWith("ssh ")) {
            return "ssh (a password or host key question)";
        }
        return command.isEmpty() ? "a process of the run" : command;
    }

    /** A read(2) on a terminal, per {@code /proc/<pid>/syscall} ("nr arg0 …"; arg0 is the fd). */
    static boolean readingTerminal(long pid) {
        try {
            String[] syscall = Files.readString(Path.of("/proc", Long.toString(pid), "syscall")).trim().split("\\s+");
            if (syscall.length < 2 || !syscall[0].equals(Integer.toString(READ))) {
                return false;
            }
            long fd = Long.decode(syscall[1]);
            String target = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", Long.toString(fd))).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | RuntimeException e) {
            return false; // gone, or not ours to read
        }
    }

    private static String command(long pid) {
        try {
            String comm = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
            return comm;
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
