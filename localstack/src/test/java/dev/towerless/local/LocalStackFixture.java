package dev.towerless.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded local stack for the test run (emulators, API, pollers, runner processes), and a
 * real bare git repository of the sample playbooks. Tests create their own resources in it.
 */
public final class LocalStackFixture {
    private static EmbeddedStack stack;
    private static String sampleRepoUrl;
    private static Path stateDir;

    private LocalStackFixture() {
    }

    public static synchronized EmbeddedStack stack() {
        if (stack == null) {
            try {
                stateDir = Files.createTempDirectory("towerless-test-state-");
                stack = EmbeddedStack.start(EmbeddedStack.Settings.forTests(stateDir));
                sampleRepoUrl = SampleRepository.create(SampleRepository.sampleDir(), stateDir.resolve("sample.git"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        }
        return stack;
    }

    public static ApiClient admin() {
        return new ApiClient(stack().apiUrl(), stack().adminToken());
    }

    public static String sampleRepoUrl() {
        stack();
        return sampleRepoUrl;
    }

    public static Path stateDir() {
        stack();
        return stateDir;
    }
}
