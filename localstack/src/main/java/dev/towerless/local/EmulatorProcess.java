package dev.towerless.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One emulator as a child process. The script picks a free loopback port, prints it, and
 * exits when its stdin closes, so it dies with this JVM even on SIGKILL. {@code guard.cjs} runs
 * first: the emulator listens on 127.0.0.1 only and answers only requests signed with
 * {@link Emulators#accessKeyId()}.
 *
 * <p>Its output (stderr, and stdout after the port) goes to a log file, so that when it dies the
 * reason is on disk; {@link #onDeath} tells the stack at once, with the log's last lines.
 */
public final class EmulatorProcess implements AutoCloseable {
    static final String ACCESS_KEY_ENV = "TOWERLESS_EMULATOR_ACCESS_KEY_ID";
    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private volatile boolean closing;

    private EmulatorProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** What an emulator that exited on its own left: its name, exit code, log and the log's last lines. */
    public record Death(String name, int exitCode, Path log, String lastLines) {
        @Override
        public String toString() {
            return name + " exited with code " + exitCode + " (log: " + log + ")" + (lastLines.isBlank() ? "" : ":\n" + lastLines);
        }
    }

    public static EmulatorProcess start(String name, Path emulatorsDir, String script, Path log, Map<String, String> env)
            throws IOException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "--- " + name + " starting " + java.time.Instant.now() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(List.of(nodeBinary(), "--require", "./guard.cjs", script))
                .directory(emulatorsDir.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put(ACCESS_KEY_ENV, Emulators.accessKeyId());
        Process p = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!port.isDone() && line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    } else {
                        // Keep draining: an emulator whose stdout pipe fills up blocks on its next write.
                        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                }
            } catch (IOException | RuntimeException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException(name + " exited before it listened"));
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new EmulatorProcess(name, p, port.get(30, TimeUnit.SECONDS), log);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("could not start " + name + " from " + emulatorsDir
                    + " (did `npm ci` run in localstack/emulators?); its log " + log + " ends:\n" + tail(log), e);
        }
    }

    /** Calls {@code listener} once if the emulator exits other than through {@link #close}. */
    public void onDeath(java.util.function.Consumer<Death> listener) {
        process.onExit().thenAccept(p -> {
            if (!closing) {
                listener.accept(new Death(name, p.exitValue(), log, tail(log)));
            }
        });
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    static String nodeBinary() {
        String configured = System.getenv("TOWERLESS_NODE");
        return configured == null || configured.isBlank() ? "node" : configured;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        closing = true;
        try {
            process.getOutputStream().close();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + "@" + endpoint();
    }
}
