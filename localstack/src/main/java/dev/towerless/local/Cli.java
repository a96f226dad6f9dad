package dev.towerless.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** The Java side of {@code ./towerless}: {@code up}, {@code demo}, {@code status}, {@code running}, {@code cancel}. */
public final class Cli {
    private Cli() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        Path state = Path.of(System.getProperty("towerless.state", ".towerless")).toAbsolutePath();
        int code = switch (command) {
            case "up" -> up(state);
            case "demo" -> demo(state);
            case "status" -> OperatorCommands.fromEnvironment(state, System.out).status();
            case "running" -> OperatorCommands.fromEnvironment(state, System.out).running();
            case "cancel" -> {
                if (args.length < 2 || !args[1].matches("\\d+")) {
                    System.err.println("usage: towerless cancel <job id>");
                    yield 2;
                }
                yield OperatorCommands.fromEnvironment(state, System.out).cancel(Long.parseLong(args[1]));
            }
            default -> {
                System.err.println("usage: towerless up|demo|status|running|cancel <id>|test|bench");
                yield 2;
            }
        };
        System.exit(code);
    }

    private static int up(Path state) throws Exception {
        int port = Integer.parseInt(System.getProperty("towerless.port", "8013"));
        EmbeddedStack stack = EmbeddedStack.startPersistent(EmbeddedStack.Settings.local(port, state, adminPassword(state)));
        stack.onEmulatorDeath(death -> {
            // Every request after this would fail with "Connection refused": stop, loudly, with the reason.
            System.err.println("Towerless is stopping: " + death);
            System.exit(3);
        });
        System.out.println("Default instance group: " + stack.sizeForThisMachine() + " unless set otherwise");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Towerless...");
            stack.close();
            stopped.countDown();
        }, "shutdown"));
        Path tokenFile = state.resolve("admin-token");
        Files.writeString(tokenFile, stack.adminToken() + "\n");
        tokenFile.toFile().setReadable(false, false);
        tokenFile.toFile().setReadable(true, true);
        System.out.println("Towerless is up. Data: " + state.resolve("dynamodb") + " (kept across restarts; ./towerless reset removes it)");
        System.out.println("API: " + stack.apiUrl());
        System.out.println("Admin user: " + EmbeddedStack.ADMIN + " (password in " + state.resolve("admin-password") + ")");
        System.out.println("Admin token: " + stack.adminToken() + " (also in " + tokenFile + ")");
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    private static int demo(Path state) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Settings.local(0, state, adminPassword(state)))) {
            System.out.println("Towerless local stack up at " + stack.apiUrl());
            stack.sizeForThisMachine();
            String status = new Demo(new ApiClient(stack.apiUrl(), stack.adminToken()), System.out).run(state);
            return "successful".equals(status) ? 0 : 1;
        }
    }

    /** A generated admin password, kept in the state directory (git-ignored). */
    static String adminPassword(Path state) throws IOException {
        Files.createDirectories(state);
        Path file = state.resolve("admin-password");
        if (!Files.exists(file)) {
            Files.writeString(file, dev.towerless.core.security.Passwords.newToken() + "\n");
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        }
        return Files.readString(file).trim();
    }
}
