package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.ports.JobStore;
import dev.towerless.local.LocalStackFixture;
import dev.towerless.local.SampleRepository;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every job kind records how it ran (AWX's job_args, job_cwd, job_env, and the rc), and ansible's
 * failures before its first event are the job's output and explanation, not an empty stdout.
 */
class DebuggableRunsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Scenario s;
    private static long project;

    @BeforeAll
    static void setUp() throws Exception {
        s = new Scenario();
        String url = SampleRepository.create(ScmCredentialEndToEndTest.playbooks(),
                Files.createTempDirectory("towerless-debuggable-").resolve("playbooks.git"));
        project = s.project(url);
        assertThat(s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(2))).containsEntry("status", "successful");
    }

    @SuppressWarnings("unchecked")
    private static void assertRecorded(String path, long id, String command) throws Exception {
        Map<String, Object> j = s.api.get(path + id + "/").json();
        List<String> args = JSON.readValue((String) j.get("job_args"), List.class);
        assertThat(args).as(path + id).isNotEmpty().first().isEqualTo(command);
        assertThat((String) j.get("job_cwd")).isNotBlank();
        if (!command.equals("awx-manage")) {
            assertThat((Map<String, Object>) j.get("job_env")).containsKeys("HOME", "PATH", "AWX_PRIVATE_DATA_DIR")
                    .allSatisfy((k, v) -> assertThat(k).doesNotStartWith("TOWERLESS_").doesNotStartWith("AWS_"));
        }
        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        assertThat(jobs.find(id).orElseThrow().longField(JobFields.RC)).as("rc of " + path + id).isPresent();
    }

    @Test
    void aLimitMatchingNoHostFailsWithAnsiblesWordsAsOutputAndExplanation() throws Exception {
        long job = s.launch(s.template(project, "scm_config.yml", Map.of("limit", "no-such-host")), Map.of());
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(2));
        assertThat(done).containsEntry("status", "failed");
        assertThat((String) done.get("job_explanation")).contains("no hosts to target");
        assertThat(s.api.get("jobs/" + job + "/stdout/?format=txt").body()).contains("no hosts to target");
        assertRecorded("jobs/", job, "ansible-playbook");
    }

    @Test
    void aPlaybookAnsibleCannotParseFailsWithItsSyntaxError() throws Exception {
        long job = s.launch(s.template(project, "broken.yml", Map.of()), Map.of());
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(2));
        assertThat(done).containsEntry("status", "failed");
        assertThat((String) done.get("job_explanation")).contains("ERROR!");
        assertThat(s.api.get("jobs/" + job + "/stdout/?format=txt").body()).contains("ERROR!");
    }

    @Test
    @SuppressWarnings("unchecked")
    void projectUpdatesAdHocCommandsAndSystemJobsRecordHowTheyRanToo() throws Exception {
        Map<String, Object> p = s.api.get("projects/" + project + "/").json();
        long update = ((Number) ((Map<String, Object>) ((Map<String, Object>) p.get("summary_fields")).get("last_update"))
                .get("id")).longValue();
        assertRecorded("project_updates/", update, "git");

        long adHoc = s.api.post("inventories/" + s.inventory + "/ad_hoc_commands/", Map.of("module_name", "ping")).id();
        assertThat(s.awaitFinished("ad_hoc_commands/" + adHoc + "/", Duration.ofMinutes(2))).containsEntry("status", "successful");
        assertRecorded("ad_hoc_commands/", adHoc, "ansible");

        List<Map<String, Object>> templates = (List<Map<String, Object>>) s.api.get("system_job_templates/?job_type=cleanup_tokens")
                .json().get("results");
        long system = ((Number) s.api.create("system_job_templates/" + templates.get(0).get("id") + "/launch/", Map.of())
                .get("system_job")).longValue();
        assertThat(s.awaitFinished("system_jobs/" + system + "/", Duration.ofMinutes(2))).containsEntry("status", "successful");
        assertRecorded("system_jobs/", system, "awx-manage");
    }
}
