package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parts of AWX's API the collection and scripts rely on: surveys, prompts, relaunch, unified lists, 409s. */
class AwxApiSurfaceEndToEndTest {
    private static Scenario s;
    private static long project;

    @BeforeAll
    static void setUp() throws Exception {
        s = new Scenario();
        project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSurveyChecksAnswersAppliesDefaultsAndHidesPasswords() throws Exception {
        long t = s.template(project, "echo.yml", Map.of("survey_enabled", true));
        Map<String, Object> spec = Map.of("name", "s", "description", "d", "spec", List.of(
                Map.of("question_name", "Message", "variable", "message", "type", "multiplechoice",
                        "choices", List.of("hello", "bye"), "required", true),
                Map.of("question_name", "Secret", "variable", "pin", "type", "password", "required", false,
                        "default", "Pin-4711-Default")));
        assertThat(s.api.post("job_templates/" + t + "/survey_spec/", spec).status()).isEqualTo(200);
        assertThat(s.api.get("job_templates/" + t + "/launch/").json())
                .containsEntry("variables_needed_to_start", List.of("message")).containsEntry("can_start_without_user_input", false);

        ApiClient.Response missing = s.api.post("job_templates/" + t + "/launch/", Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json()).containsEntry("variables_needed_to_start", List.of("'message' value missing"));
        ApiClient.Response wrong = s.api.post("job_templates/" + t + "/launch/", Map.of("extra_vars", Map.of("message", "maybe")));
        assertThat(wrong.status()).isEqualTo(400);

        long job = s.launch(t, Map.of("extra_vars", Map.of("message", "hello")));
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1));
        assertThat(done).containsEntry("status", "successful");
        assertThat((String) done.get("extra_vars")).contains("\"pin\":\"$encrypted$\"").doesNotContain("Pin-4711-Default");
        assertThat(s.api.get("jobs/" + job + "/stdout/").body()).contains("message=hello");

        ApiClient.Response badSpec = s.api.post("job_templates/" + t + "/survey_spec/",
                Map.of("name", "s", "description", "d", "spec", List.of(Map.of("variable", "x", "type", "colour"))));
        assertThat(badSpec.status()).isEqualTo(400);
    }

    @Test
    void aPasswordAnswerIsStoredSealedOpenedOnlyForAnsibleAndRedactedFromOutput() throws Exception {
        String secret = "S3cret-Survey-Pass-" + s.tag;
        long t = s.template(project, "echo.yml", Map.of("survey_enabled", true));
        s.api.post("job_templates/" + t + "/survey_spec/", Map.of("name", "s", "description", "d", "spec", List.of(
                Map.of("question_name", "Message", "variable", "message", "type", "password", "required", true))));
        long job = s.launch(t, Map.of("extra_vars", Map.of("message", secret)));
        assertThat(s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");
        var stored = LocalStackFixture.stack().context().getBean(dev.towerless.core.ports.JobStore.class).find(job).orElseThrow();
        assertThat(stored.fields().toString()).doesNotContain(secret).contains("$encrypted$AESGCM$");
        // ansible saw the real value (it printed something the redactor recognised), never the sealed text
        assertThat(s.api.get("jobs/" + job + "/stdout/").body()).contains("\"msg\": \"message=$encrypted$\"")
                .doesNotContain(secret).doesNotContain("AESGCM");
        long again = ((Number) s.api.post("jobs/" + job + "/relaunch/", Map.of()).json().get("job")).longValue();
        assertThat(s.awaitFinished("jobs/" + again + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");
        assertThat(s.api.get("jobs/" + again + "/stdout/").body()).contains("\"msg\": \"message=$encrypted$\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void promptsRelaunchHostSummariesAndUnifiedLists() throws Exception {
        long otherInventory = Scenario.id(s.api.create("inventories/", Map.of("name", "prompted-" + s.tag, "organization", s.org)));
        s.api.create("inventories/" + otherInventory + "/hosts/", Map.of("name", "localhost",
                "variables", "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3"));
        long t = s.template(project, "hello.yml", Map.of("ask_inventory_on_launch", true, "ask_limit_on_launch", true));
        Map<String, Object> launched = s.api.create("job_templates/" + t + "/launch/",
                Map.of("inventory", otherInventory, "limit", "localhost", "job_type", "check"));
        long job = ((Number) launched.get("job")).longValue();
        assertThat(((Number) launched.get("inventory")).longValue()).isEqualTo(otherInventory);
        assertThat(launched).containsEntry("limit", "localhost");
        assertThat((Map<String, Object>) launched.get("ignored_fields")).containsKey("job_type");
        assertThat(s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");

        Map<String, Object> summaries = s.api.get("jobs/" + job + "/job_host_summaries/").json();
        assertThat((List<Map<String, Object>>) summaries.get("results")).singleElement().satisfies(h ->
                assertThat(h).containsEntry("host_name", "localhost").containsEntry("ok", 3).containsEntry("failed", false));

        ApiClient.Response relaunched = s.api.post("jobs/" + job + "/relaunch/", Map.of());
        assertThat(relaunched.status()).isEqualTo(201);
        long again = ((Number) relaunched.json().get("job")).longValue();
        Map<String, Object> second = s.awaitFinished("jobs/" + again + "/", Duration.ofMinutes(1));
        assertThat(second).containsEntry("launch_type", "relaunch").containsEntry("status", "successful");
        assertThat(((Number) second.get("inventory")).longValue()).isEqualTo(otherInventory);

        Map<String, Object> unified = s.api.get("unified_jobs/?id__in=" + job + "," + again + "&order_by=-id").json();
        assertThat(unified).containsEntry("count", 2);
        assertThat((List<Map<String, Object>>) unified.get("results")).extracting(r -> r.get("id")).containsExactly(
                (int) again, (int) job);
        Map<String, Object> templates = s.api.get("unified_job_templates/?type=project&id=" + project).json();
        assertThat(templates).containsEntry("count", 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTemplatesInstanceGroupsAreAssociatedListedAndUsedForItsJobs() throws Exception {
        long group = Scenario.id(s.api.create("instance_groups/", Map.of("name", "small-" + s.tag, "max_concurrent_jobs", 2)));
        long t = s.template(project, "hello.yml", Map.of());
        assertThat(s.api.post("job_templates/" + t + "/instance_groups/", Map.of("id", group)).status()).isEqualTo(204);
        assertThat((List<Map<String, Object>>) s.api.get("job_templates/" + t + "/instance_groups/").json().get("results"))
                .extracting(g -> ((Number) g.get("id")).longValue()).containsExactly(group);
        assertThat(s.api.post("organizations/" + s.org + "/instance_groups/", Map.of("id", 987654)).status()).isEqualTo(400);
        long job = s.launch(t, Map.of());
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1));
        assertThat(done).containsEntry("status", "successful");
        assertThat(((Number) done.get("instance_group")).longValue()).isEqualTo(group);
        assertThat(s.api.post("job_templates/" + t + "/instance_groups/", Map.of("id", group, "disassociate", true)).status())
                .isEqualTo(204);
        assertThat(s.api.get("job_templates/" + t + "/instance_groups/").json()).containsEntry("count", 0);
    }

    @Test
    void deletingWhatActiveJobsUseIsAConflict() throws Exception {
        long t = s.template(project, "sleep.yml", Map.of("ask_variables_on_launch", true));
        long job = s.launch(t, Map.of("extra_vars", Map.of("seconds", 30)));
        ApiClient.Response refused = s.api.delete("job_templates/" + t + "/");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json()).containsEntry("error", "Resource is being used by running jobs.");
        assertThat(s.api.delete("projects/" + project + "/").status()).isEqualTo(409);
        s.api.post("jobs/" + job + "/cancel/", Map.of());
        s.awaitFinished("jobs/" + job + "/", Duration.ofSeconds(30));
        assertThat(s.api.delete("job_templates/" + t + "/").status()).isEqualTo(204);
    }
}
