package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.local.LocalStackFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real playbook jobs through the whole pipeline on the local stack: HTTP launch, DynamoDB,
 * the wake queue, the task manager, a runner process, ansible-runner, events, final status.
 */
class PlaybookJobEndToEndTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static Scenario scenario;
    private static long project;

    @BeforeAll
    static void setUp() throws Exception {
        scenario = new Scenario();
        project = scenario.project(LocalStackFixture.sampleRepoUrl());
        Map<String, Object> p = scenario.awaitFinished("projects/" + project + "/", JOB_TIMEOUT);
        assertThat(p).containsEntry("status", "successful");
        assertThat((String) p.get("scm_revision")).matches("[0-9a-f]{40}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSuccessfulJobHasItsOutputEventsAndTimings() throws Exception {
        long template = scenario.template(project, "hello.yml", Map.of("ask_variables_on_launch", true));
        long job = scenario.launch(template, Map.of("extra_vars", Map.of("who", "e2e")));
        Map<String, Object> done = scenario.awaitFinished("jobs/" + job + "/", JOB_TIMEOUT);

        assertThat(done).containsEntry("status", "successful").containsEntry("failed", false)
                .containsEntry("job_explanation", "").containsEntry("launch_type", "manual")
                .containsEntry("playbook", "hello.yml");
        assertThat(((Number) done.get("elapsed")).doubleValue()).isGreaterThan(0);
        assertThat(done.get("started")).isNotNull();
        assertThat(done.get("finished")).isNotNull();
        assertThat((String) done.get("scm_revision")).matches("[0-9a-f]{40}");

        String stdout = scenario.api.get("jobs/" + job + "/stdout/?format=txt").body();
        assertThat(stdout).contains("PLAY [Hello from Towerless]", "TASK [Greet]", "\"msg\": \"Hello, e2e! This play runs on localhost.\"",
                "PLAY RECAP", "localhost                  : ok=3").doesNotContain("\u001B[");

        Map<String, Object> events = scenario.api.get("jobs/" + job + "/job_events/?page_size=200").json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) events.get("results");
        assertThat(results).extracting(e -> e.get("event")).contains("playbook_on_start", "playbook_on_play_start",
                "playbook_on_task_start", "runner_on_ok", "playbook_on_stats");
        assertThat(results).extracting(e -> ((Number) e.get("counter")).longValue()).isSorted();
        assertThat(results).filteredOn(e -> "runner_on_ok".equals(e.get("event")))
                .allSatisfy(e -> assertThat(e).containsEntry("host_name", "localhost").containsEntry("play", "Hello from Towerless"));
        Map<String, Object> okOnly = scenario.api.get("jobs/" + job + "/job_events/?event=runner_on_ok").json();
        assertThat(okOnly).containsEntry("count", 3);

        Map<String, Object> range = scenario.api.get("jobs/" + job + "/stdout/?format=json&start_line=0&end_line=3").json();
        assertThat(((String) range.get("content")).split("\n", -1)).hasSize(4); // three lines and the final newline
        assertThat((Map<String, Object>) range.get("range")).containsEntry("start", 0).containsEntry("end", 3);
    }

    @Test
    void aFailingTaskFailsTheJobWithANonZeroReturnCode() throws Exception {
        long template = scenario.template(project, "fail.yml", Map.of());
        long job = scenario.launch(template, Map.of());
        Map<String, Object> done = scenario.awaitFinished("jobs/" + job + "/", JOB_TIMEOUT);
        assertThat(done).containsEntry("status", "failed").containsEntry("failed", true);
        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        assertThat(jobs.find(job).orElseThrow().longField(JobFields.RC)).hasValueSatisfying(rc -> assertThat(rc).isNotZero());
        assertThat(scenario.api.get("jobs/" + job + "/stdout/").body()).contains("failing on purpose", "failed=1");
        Map<String, Object> failedEvents = scenario.api.get("jobs/" + job + "/job_events/?failed=true").json();
        assertThat(((Number) failedEvents.get("count")).intValue()).isGreaterThanOrEqualTo(1);
        Map<String, Object> template_ = scenario.api.get("job_templates/" + template + "/").json();
        assertThat(template_).containsEntry("status", "failed").containsEntry("last_job_failed", true);
    }

    @Test
    void aCredentialSecretNeverReachesStoredOutputEventsOrLogs() throws Exception {
        String secret = "Sup3r-Secret-" + System.nanoTime();
        long cred = Scenario.id(scenario.api.create("credentials/", Map.of("name", "m-" + System.nanoTime(),
                "credential_type", 1, "organization", scenario.org, "inputs", Map.of("username", "deploy", "password", secret))));
        long template = scenario.template(project, "echo.yml", Map.of("ask_variables_on_launch", true, "verbosity", 3));
        assertThat(scenario.api.post("job_templates/" + template + "/credentials/", Map.of("id", cred)).status()).isEqualTo(204);
        long job = scenario.launch(template, Map.of("extra_vars", Map.of("message", "the password is " + secret)));
        Map<String, Object> done = scenario.awaitFinished("jobs/" + job + "/", JOB_TIMEOUT);
        // The user typed the value into extra_vars themselves; everything the job produced must hide it.
        Map<String, Object> withoutPrompt = new java.util.HashMap<>(done);
        withoutPrompt.remove("extra_vars");
        assertThat(withoutPrompt.toString()).doesNotContain(secret);

        String stdout = scenario.api.get("jobs/" + job + "/stdout/?format=txt").body();
        assertThat(stdout).contains("the password is $encrypted$").doesNotContain(secret);
        EventStore events = LocalStackFixture.stack().context().getBean(EventStore.class);
        assertThat(events.all(job)).isNotEmpty().allSatisfy(e -> {
            assertThat(e.stdout()).doesNotContain(secret);
            assertThat(e.eventData().toString()).doesNotContain(secret);
        });
        assertThat(scenario.api.get("jobs/" + job + "/job_events/?page_size=200").body()).doesNotContain(secret);
        Path logs = LocalStackFixture.stateDir().resolve("logs");
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void aJobOverItsTimeoutIsTerminatedWithAwxsExplanation() throws Exception {
        long template = scenario.template(project, "sleep.yml", Map.of("timeout", 3, "ask_variables_on_launch", true));
        long job = scenario.launch(template, Map.of("extra_vars", Map.of("seconds", 60)));
        Map<String, Object> done = scenario.awaitFinished("jobs/" + job + "/", Duration.ofSeconds(40));
        assertThat(done).containsEntry("status", "failed").containsEntry("job_explanation", "Job terminated due to timeout");
        assertThat(((Number) done.get("elapsed")).doubleValue()).isLessThan(30);
        assertThat(scenario.api.get("jobs/" + job + "/stdout/").body()).contains("going to sleep").doesNotContain("woke up");
    }

    @Test
    void anUnreachableGitUrlFailsTheUpdateReadablyAndTheJobNeverHangs() throws Exception {
        long broken = scenario.project("http://deploy:T0p-s3cret@127.0.0.1:9/nothing-here.git");
        Map<String, Object> p = scenario.awaitFinished("projects/" + broken + "/", JOB_TIMEOUT);
        assertThat(p).containsEntry("status", "failed").containsEntry("last_update_failed", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> lastUpdate = (Map<String, Object>) ((Map<String, Object>) p.get("summary_fields")).get("last_update");
        Map<String, Object> update = scenario.api.get("project_updates/" + lastUpdate.get("id") + "/").json();
        assertThat((String) update.get("job_explanation"))
                .startsWith("Could not clone http://$encrypted$:$encrypted$@127.0.0.1:9/nothing-here.git")
                .contains("fatal:").doesNotContain("T0p-s3cret");
        assertThat(scenario.api.get("project_updates/" + lastUpdate.get("id") + "/stdout/").body())
                .contains("Updating project").doesNotContain("T0p-s3cret");

        long template = scenario.template(broken, "hello.yml", Map.of());
        long job = scenario.launch(template, Map.of());
        Map<String, Object> done = scenario.awaitFinished("jobs/" + job + "/", Duration.ofSeconds(30));
        assertThat(done).containsEntry("status", "failed");
        assertThat((String) done.get("job_explanation")).startsWith("Previous Task Failed: {\"job_type\": \"project_update\"");
    }
}
