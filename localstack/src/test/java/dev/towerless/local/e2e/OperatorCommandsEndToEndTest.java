package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.LocalStackFixture;
import dev.towerless.local.OperatorCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./towerless running} and {@code ./towerless cancel} against the local stack, every kind included. */
class OperatorCommandsEndToEndTest {

    @Test
    @SuppressWarnings("unchecked")
    void runningListsAWorkflowAndItsJobAndCancelEndsThem() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long sleeper = s.template(project, "sleep.yml", Map.of("extra_vars", "seconds: 30"));
        long wf = Scenario.id(s.api.create("workflow_job_templates/", Map.of("name", "ops-" + s.tag)));
        s.api.create("workflow_job_templates/" + wf + "/workflow_nodes/", Map.of("unified_job_template", sleeper));
        long workflowJob = ((Number) s.api.create("workflow_job_templates/" + wf + "/launch/", Map.of())
                .get("workflow_job")).longValue();

        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        OperatorCommands ops = new OperatorCommands(LocalStackFixture.stack().apiUrl(), LocalStackFixture.stack().adminToken(),
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        assertThat(ops.running()).isZero();
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(Long.toString(workflowJob), "workflow_job", "ops-" + s.tag);

        // The workflow's job, running for 12 s, shows its runner's last heartbeat (every 5 s, from the heartbeats
        // table through instances/), not its claim: a line whose age is under 8 s.
        String jobLine = "";
        for (java.time.Instant until = java.time.Instant.now().plusSeconds(90); java.time.Instant.now().isBefore(until) && jobLine.isEmpty();
             Thread.sleep(1000)) {
            List<Map<String, Object>> jobs = (List<Map<String, Object>>) s.api.get("job_templates/" + sleeper + "/jobs/").json().get("results");
            if (jobs.isEmpty() || jobs.get(0).get("started") == null
                    || java.time.Instant.parse(jobs.get(0).get("started").toString()).isAfter(java.time.Instant.now().minusSeconds(12))) {
                continue;
            }
            String id = String.valueOf(jobs.get(0).get("id"));
            buffer.reset();
            ops.running();
            jobLine = buffer.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow();
        }
        assertThat(jobLine).as("the running job's line").containsPattern("running .* [0-7]s ago$");

        assertThat(ops.cancel(workflowJob)).isZero();
        assertThat(s.awaitFinished("workflow_jobs/" + workflowJob + "/", Duration.ofMinutes(1))).containsEntry("status", "canceled");
        buffer.reset();
        assertThat(ops.cancel(workflowJob)).isEqualTo(1);
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("already finished");
        buffer.reset();
        assertThat(ops.cancel(987_654_321L)).isEqualTo(1);
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("No job 987654321.");
    }
}
