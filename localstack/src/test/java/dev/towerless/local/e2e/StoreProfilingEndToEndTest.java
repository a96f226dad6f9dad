package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.profiling.StoreProfiling;
import dev.towerless.local.LocalStackFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The serverless Profile SQL: PROFILE_STORE_CALLS changed through settings/ reaches the stack's
 * own process and a runner that was already running (another JVM) within StoreProfiling.REFRESH,
 * each logging its store calls with operation, table, index, items read and duration, and both
 * stop at the end of the duration.
 */
class StoreProfilingEndToEndTest {

    @Test
    void theSettingMakesTheStackAndARunningRunnerLogSlowCallsUntilItsDurationEnds() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "sleep.yml", Map.of("extra_vars", "seconds: 45"));
        long job = s.launch(template, Map.of());
        awaitStatus(s, job, "running");
        Path runnerLog = LocalStackFixture.stateDir().resolve("logs").resolve("runner-job-" + job + ".log");
        assertThat(profiledLines(runnerLog)).as("nothing is profiled before the setting").isEmpty();

        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger profile = Logger.getLogger(StoreProfiling.LOGGER);
        profile.addHandler(capture);
        try {
            Instant changed = Instant.now();
            var set = s.api.patch("settings/system/", Map.of("PROFILE_STORE_CALLS", Map.of("threshold_ms", 0, "minutes", 0.3)));
            assertThat(set.status()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            Map<String, Object> stored = (Map<String, Object>) set.json().get("PROFILE_STORE_CALLS");
            assertThat(stored).containsEntry("threshold_ms", 0).containsKey("until");
            Instant until = Timestamps.parse((String) stored.get("until"));

            // The refresh, plus the next call to happen and be logged: on a loaded 2-core machine (the suite
            // runs beside other builds) that call alone has taken over 3 s.
            Duration bound = StoreProfiling.REFRESH.plusSeconds(8);
            waitFor(() -> !logged.isEmpty() || pinged(s), changed.plus(bound), "the stack's process to log a store call");
            waitFor(() -> logged.stream().anyMatch(l -> l.contains("table=") && l.contains("-resources")) || pinged(s), changed.plus(bound),
                    "a resources-table call in the stack's log");
            // A ping queries the active jobs' index shards: keep pinging until one such call was logged (profiling may
            // have switched on after the last ping's queries, with only un-indexed calls logged so far).
            waitFor(() -> logged.stream().anyMatch(l -> l.startsWith("store call Query") && !l.contains("index=-")) || pinged(s),
                    changed.plus(bound), "an index Query in the stack's log");
            Duration stackDelay = Duration.between(changed, Instant.now());
            assertThat(logged).anySatisfy(l -> assertThat(l).matches(
                    "store call (GetItem|Query|BatchGetItem|PutItem|UpdateItem) table=\\S+ index=\\S+ items_read=\\d+ duration_ms=[0-9.]+"
                            + " \\(profile threshold 0 ms\\)"));
            assertThat(logged).as("an index is named where one is queried").anyMatch(l -> l.startsWith("store call Query")
                    && !l.contains("index=-"));
            waitFor(() -> profiledLines(runnerLog).stream().anyMatch(l -> l.contains("UpdateItem table=") && l.contains("-heartbeats")),
                    changed.plus(bound), "the running runner (another process) to log its heartbeat's UpdateItem");
            System.out.println("store profiling picked up: stack process " + stackDelay.toMillis() + " ms, running runner "
                    + Duration.between(changed, Instant.now()).toMillis() + " ms after the PATCH (bound " + bound.toSeconds() + " s)");

            // The end of the duration: nothing more from either process, with no further setting change.
            while (Instant.now().isBefore(until.plusSeconds(1))) {
                s.api.get("ping/");
                Thread.sleep(200);
            }
            int stackLines = logged.size();
            int runnerLines = profiledLines(runnerLog).size();
            for (int i = 0; i < 15; i++) {
                s.api.get("jobs/" + job + "/");
                Thread.sleep(400); // the runner heartbeats every few seconds meanwhile
            }
            assertThat(s.api.get("jobs/" + job + "/").json().get("status")).as("the runner still runs").isEqualTo("running");
            assertThat(logged).as("the stack logs no call after " + until).hasSize(stackLines);
            assertThat(profiledLines(runnerLog)).as("the runner logs no call after " + until).hasSize(runnerLines);
        } finally {
            profile.removeHandler(capture);
            s.api.patch("settings/system/", Map.of("PROFILE_STORE_CALLS", Map.of()));
            s.api.post("jobs/" + job + "/cancel/", Map.of());
        }
    }

    @Test
    void aProfileThatIsNotOneIsRefusedNamingTheSetting() {
        Scenario s = new Scenario();
        for (Object bad : List.<Object>of("on", Map.of("threshold_ms", -1), Map.of("threshold_ms", 5, "minutes", 0),
                Map.of("threshold_ms", 5, "seconds", 3))) {
            var r = s.api.patch("settings/system/", Map.of("PROFILE_STORE_CALLS", bad));
            assertThat(r.status()).as(String.valueOf(bad)).isEqualTo(400);
            assertThat(r.json()).containsKey("PROFILE_STORE_CALLS");
        }
        assertThat(s.api.get("settings/system/").json()).containsEntry("PROFILE_STORE_CALLS", Map.of());
    }

    private static boolean pinged(Scenario s) {
        s.api.get("ping/");
        return false;
    }

    private static List<String> profiledLines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(StoreProfiling.PREFIX + " ")).toList()
                    : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitStatus(Scenario s, long job, String status) throws InterruptedException {
        waitFor(() -> status.equals(s.api.get("jobs/" + job + "/").json().get("status")), Instant.now().plusSeconds(60),
                "job " + job + " " + status);
    }

    private static void waitFor(Supplier<Boolean> condition, Instant deadline, String what) throws InterruptedException {
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
