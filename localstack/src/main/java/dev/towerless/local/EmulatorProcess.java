package dev.towerless.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One emulator as a child process. The script picks a free loopback port, prints it, and
 * exits when its stdin closes, so it dies with this JVM even on SIGKILL. {@code guard.cjs} runs
 * first: the emulator listens on 127.0.0.1 only and answers only requests signed with
 * {@link Emulators#accessKeyId()}.
 */
public final class EmulatorProcess implements AutoCloseable {
    static final String ACCESS_KEY_ENV = "TOWERLESS_EMULATOR_ACCESS_KEY_ID";
    private final String name;
    private final Process process;
    private final int port;

    private EmulatorProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    public static EmulatorProcess start(String name, Path emulatorsDir, String script) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(nodeBinary(), "--require", "./guard.cjs", script))
                .directory(emulatorsDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(ACCESS_KEY_ENV, Emulators.accessKeyId());
        Process p = pb.start();
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("PORT ")) {
                        return Integer.parseInt(line.substring(5).trim());
                    }
                }
                throw new IllegalStateException(name + " exited before it listened");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return new EmulatorProcess(name, p, port.get(30, TimeUnit.SECONDS));
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("could not start " + name + " from " + emulatorsDir
                    + " (did `npm ci` run in localstack/emulators?)", e);
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
