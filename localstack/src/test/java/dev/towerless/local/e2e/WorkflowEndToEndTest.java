package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Workflows over HTTP with real ansible: edges by outcome, workflow variables, graph checks, cancel. */
class WorkflowEndToEndTest {

    private static long node(Scenario s, long workflow, long template, String identifier) {
        ApiClient.Response r = s.api.post("workflow_job_templates/" + workflow + "/workflow_nodes/",
                Map.of("unified_job_template", template, "identifier", identifier));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Scenario.id(r.json());
    }

    private static void link(Scenario s, long parent, String edge, long child) {
        ApiClient.Response r = s.api.post("workflow_job_template_nodes/" + parent + "/" + edge + "/", Map.of("id", child));
        assertThat(r.status()).as(r.body()).isEqualTo(204);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> nodesByIdentifier(Scenario s, long workflowJob) {
        Map<String, Map<String, Object>> out = new java.util.HashMap<>();
        for (Map<String, Object> n : (List<Map<String, Object>>) s.api.get("workflow_jobs/" + workflowJob
                + "/workflow_nodes/").json().get("results")) {
            out.put((String) n.get("identifier"), n);
        }
        return out;
    }

    @Test
    void aFailureFollowsItsFailureEdgeWorkflowVariablesReachEveryJobAndTheHandledWorkflowSucceeds() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long hello = s.template(project, "hello.yml", Map.of());
        long fail = s.template(project, "fail.yml", Map.of());
        long echo = s.template(project, "echo.yml", Map.of());
        long skipped = s.template(project, "hello.yml", Map.of());
        long wf = Scenario.id(s.api.create("workflow_job_templates/", Map.of("name", "wf-" + s.tag, "organization", s.org,
                "ask_variables_on_launch", true)));
        long a = node(s, wf, hello, "deploy");
        long b = node(s, wf, fail, "smoke-test");
        long c = node(s, wf, echo, "rollback");
        long d = node(s, wf, skipped, "announce");
        link(s, a, "success_nodes", b);
        link(s, b, "failure_nodes", c);
        link(s, b, "success_nodes", d);

        ApiClient.Response cycle = s.api.post("workflow_job_template_nodes/" + c + "/always_nodes/", Map.of("id", a));
        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.json()).containsEntry("Error", "Cycle detected.");
        ApiClient.Response twice = s.api.post("workflow_job_template_nodes/" + a + "/failure_nodes/", Map.of("id", b));
        assertThat(twice.json()).containsEntry("Error", "Relationship not allowed.");

        ApiClient.Response launched = s.api.post("workflow_job_templates/" + wf + "/launch/",
                Map.of("extra_vars", Map.of("message", "from-the-workflow")));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        long job = ((Number) launched.json().get("workflow_job")).longValue();
        Map<String, Object> done = s.awaitFinished("workflow_jobs/" + job + "/", Duration.ofMinutes(2));
        assertThat(done).containsEntry("status", "successful").containsEntry("failed", false);

        Map<String, Map<String, Object>> nodes = nodesByIdentifier(s, job);
        assertThat(nodes.get("announce")).containsEntry("do_not_run", true).containsEntry("job", null);
        long rollback = ((Number) nodes.get("rollback").get("job")).longValue();
        assertThat(s.api.get("jobs/" + rollback + "/").json()).containsEntry("launch_type", "workflow")
                .containsEntry("source_workflow_job", (int) job);
        assertThat(s.api.get("jobs/" + rollback + "/stdout/?format=txt").body()).contains("message=from-the-workflow");
        long smoke = ((Number) nodes.get("smoke-test").get("job")).longValue();
        assertThat(s.api.get("jobs/" + smoke + "/").json()).containsEntry("status", "failed");
        @SuppressWarnings("unchecked")
        Map<String, Object> related = (Map<String, Object>) nodes.get("smoke-test").get("related");
        assertThat(related).containsEntry("job", "/api/v2/jobs/" + smoke + "/");
        assertThat(s.api.get("unified_jobs/?type=workflow_job&id=" + job).json().get("count")).isEqualTo(1);
    }

    @Test
    void anUnhandledFailureFailsTheWorkflow() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long wf = Scenario.id(s.api.create("workflow_job_templates/", Map.of("name", "wf-fail-" + s.tag)));
        node(s, wf, s.template(project, "fail.yml", Map.of()), "only");
        long job = ((Number) s.api.create("workflow_job_templates/" + wf + "/launch/", Map.of()).get("workflow_job")).longValue();
        assertThat(s.awaitFinished("workflow_jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "failed")
                .containsEntry("job_explanation", "No error handling paths found, marking workflow as failed");

        ApiClient.Response relaunched = s.api.post("workflow_jobs/" + job + "/relaunch/", Map.of());
        assertThat(relaunched.status()).isEqualTo(201);
        long again = ((Number) relaunched.json().get("workflow_job")).longValue();
        assertThat(relaunched.json()).containsEntry("launch_type", "relaunch");
        assertThat(s.awaitFinished("workflow_jobs/" + again + "/", Duration.ofMinutes(1))).containsEntry("status", "failed");
        assertThat(nodesByIdentifier(s, again).get("only").get("job")).isNotNull()
                .isNotEqualTo(nodesByIdentifier(s, job).get("only").get("job"));
    }

    @Test
    void cancelingAWorkflowCancelsTheJobItRuns() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long sleeper = s.template(project, "sleep.yml", Map.of("extra_vars", "seconds: 30"));
        long wf = Scenario.id(s.api.create("workflow_job_templates/", Map.of("name", "wf-cancel-" + s.tag)));
        long first = node(s, wf, sleeper, "long");
        link(s, first, "always_nodes", node(s, wf, s.template(project, "hello.yml", Map.of()), "after"));
        long job = ((Number) s.api.create("workflow_job_templates/" + wf + "/launch/", Map.of()).get("workflow_job")).longValue();

        Instant deadline = Instant.now().plusSeconds(60);
        Object child = null;
        while (Instant.now().isBefore(deadline)) {
            Map<String, Object> node = nodesByIdentifier(s, job).get("long");
            if (node.get("job") != null && "running".equals(s.api.get("jobs/" + node.get("job") + "/").json().get("status"))) {
                child = node.get("job");
                break;
            }
            Thread.sleep(200);
        }
        assertThat(child).as("the first node's job runs").isNotNull();
        assertThat(s.api.post("workflow_jobs/" + job + "/cancel/", Map.of()).status()).isEqualTo(202);

        assertThat(s.awaitFinished("workflow_jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "canceled");
        assertThat(s.api.get("jobs/" + child + "/").json()).containsEntry("status", "canceled");
        assertThat(nodesByIdentifier(s, job).get("after")).containsEntry("job", null).containsEntry("do_not_run", true);
    }

    @Test
    void anApprovalStepWaitsForAPersonThenTheWorkflowGoesOn() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long wf = Scenario.id(s.api.create("workflow_job_templates/", Map.of("name", "wf-approve-" + s.tag)));
        long gate = Scenario.id(s.api.create("workflow_job_templates/" + wf + "/workflow_nodes/", Map.of("identifier", "gate")));
        ApiClient.Response approvalTemplate = s.api.post("workflow_job_template_nodes/" + gate + "/create_approval_template/",
                Map.of("name", "Go to production? " + s.tag, "timeout", 0));
        assertThat(approvalTemplate.status()).as(approvalTemplate.body()).isEqualTo(201);
        assertThat(approvalTemplate.json()).containsEntry("type", "workflow_approval_template");
        link(s, gate, "success_nodes", node(s, wf, s.template(project, "hello.yml", Map.of()), "deploy"));
        long job = ((Number) s.api.create("workflow_job_templates/" + wf + "/launch/", Map.of()).get("workflow_job")).longValue();

        Instant deadline = Instant.now().plusSeconds(30);
        Map<String, Object> waiting = Map.of();
        while (Instant.now().isBefore(deadline)) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> found = (List<Map<String, Object>>) s.api.get("workflow_jobs/" + job
                    + "/workflow_nodes/?job__name=" + java.net.URLEncoder.encode("Go to production? " + s.tag,
                    java.nio.charset.StandardCharsets.UTF_8)).json().get("results");
            if (!found.isEmpty()) {
                waiting = found.get(0);
                break;
            }
            Thread.sleep(200);
        }
        @SuppressWarnings("unchecked")
        String approvalUrl = (String) ((Map<String, Object>) waiting.get("related")).get("job");
        assertThat(approvalUrl).startsWith("/api/v2/workflow_approvals/");
        String approval = approvalUrl.substring("/api/v2/".length());
        assertThat(s.api.get(approval).json()).containsEntry("status", "pending").containsEntry("can_approve_or_deny", true);
        Thread.sleep(1000);
        assertThat(s.api.get("workflow_jobs/" + job + "/").json()).as("it waits").containsEntry("status", "running");

        assertThat(s.api.post(approval + "approve/", Map.of()).status()).isEqualTo(204);
        ApiClient.Response again = s.api.post(approval + "deny/", Map.of());
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json()).containsEntry("error", "This workflow step has already been approved or denied.");

        assertThat(s.awaitFinished("workflow_jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");
        assertThat(s.api.get(approval).json()).containsEntry("status", "successful");
        assertThat(nodesByIdentifier(s, job).get("deploy").get("job")).isNotNull();
    }

    @Test
    void whatANodePublishesWithSetStatsReachesTheNodesAfterIt() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long wf = Scenario.id(s.api.create("workflow_job_templates/", Map.of("name", "wf-stats-" + s.tag)));
        long publish = node(s, wf, s.template(project, "set_stats.yml", Map.of()), "publish");
        link(s, publish, "success_nodes", node(s, wf, s.template(project, "echo.yml", Map.of()), "use"));
        long job = ((Number) s.api.create("workflow_job_templates/" + wf + "/launch/", Map.of()).get("workflow_job")).longValue();
        assertThat(s.awaitFinished("workflow_jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");

        Map<String, Map<String, Object>> nodes = nodesByIdentifier(s, job);
        assertThat(s.api.get("jobs/" + nodes.get("publish").get("job") + "/").json().get("artifacts"))
                .isEqualTo(Map.of("message", "release-from-an-artifact"));
        assertThat(s.api.get("jobs/" + nodes.get("use").get("job") + "/stdout/?format=txt").body())
                .contains("message=release-from-an-artifact");
    }
}
