package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.LocalStackFixture;
import dev.towerless.local.OperatorCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./towerless running} and {@code ./towerless cancel} against the local stack, every kind included. */
class OperatorCommandsEndToEndTest {

    @Test
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
