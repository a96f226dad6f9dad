package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWX's dependency manager end to end: real project updates and playbook runs on the local stack. */
class UpdateOnLaunchEndToEndTest {

    @Test
    @SuppressWarnings("unchecked")
    void threeLaunchesOfATemplateWhoseProjectUpdatesOnLaunchShareOneUpdate() throws Exception {
        Scenario s = new Scenario();
        long project = Scenario.id(s.api.create("projects/", Map.of("name", "uol-" + s.tag, "organization", s.org,
                "scm_url", LocalStackFixture.sampleRepoUrl(), "scm_update_on_launch", true)));
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "hello.yml", Map.of());
        List<Long> launched = List.of(s.launch(template, Map.of()), s.launch(template, Map.of()), s.launch(template, Map.of()));

        for (long job : launched) {
            assertThat(s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(2))).containsEntry("status", "successful");
        }
        Map<String, Object> updates = s.api.get("projects/" + project + "/project_updates/?launch_type=dependency").json();
        assertThat(updates).containsEntry("count", 1);
        Map<String, Object> update = ((List<Map<String, Object>>) updates.get("results")).get(0);
        assertThat(update).containsEntry("status", "successful");
        // Every job ran the revision that update recorded.
        for (long job : launched) {
            assertThat(s.api.get("jobs/" + job + "/").json().get("scm_revision")).isEqualTo(update.get("scm_revision"));
        }
    }

    @Test
    void aDependencyUpdateThatFailsFailsTheJobWithAwxsExplanation() throws Exception {
        Scenario s = new Scenario();
        long project = Scenario.id(s.api.create("projects/", Map.of("name", "uol-bad-" + s.tag, "organization", s.org,
                "scm_url", LocalStackFixture.sampleRepoUrl(), "scm_update_on_launch", true)));
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "hello.yml", Map.of());
        // The source goes away after the first successful update: the next update on launch fails.
        assertThat(s.api.patch("projects/" + project + "/", Map.of("scm_url", "http://127.0.0.1:9/gone.git")).status())
                .isEqualTo(200);
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long job = s.launch(template, Map.of());
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1));
        assertThat(done).containsEntry("status", "failed");
        assertThat((String) done.get("job_explanation")).startsWith("Previous Task Failed: {\"job_type\": \"project_update\"");
    }
}
