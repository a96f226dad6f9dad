package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWX's management jobs, run by a runner without ansible. */
class SystemJobEndToEndTest {

    @SuppressWarnings("unchecked")
    private static long templateId(Scenario s, String jobType) {
        List<Map<String, Object>> templates = (List<Map<String, Object>>) s.api.get("system_job_templates/?job_type=" + jobType)
                .json().get("results");
        assertThat(templates).hasSize(1);
        return ((Number) templates.get(0).get("id")).longValue();
    }

    @Test
    void cleanupJobsRemovesFinishedJobsAndTheirEventsButNeverActiveOnes() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long finished = s.launch(s.template(project, "hello.yml", Map.of()), Map.of());
        s.awaitFinished("jobs/" + finished + "/", Duration.ofMinutes(1));
        long sleeper = s.launch(s.template(project, "sleep.yml", Map.of("ask_variables_on_launch", true)),
                Map.of("extra_vars", Map.of("seconds", 20)));

        long template = templateId(s, "cleanup_jobs");
        Map<String, Object> launched = s.api.create("system_job_templates/" + template + "/launch/",
                Map.of("extra_vars", Map.of("days", 0)));
        long systemJob = ((Number) launched.get("system_job")).longValue();
        Map<String, Object> done = s.awaitFinished("system_jobs/" + systemJob + "/", Duration.ofMinutes(1));
        assertThat(done).containsEntry("status", "successful").containsEntry("job_type", "cleanup_jobs");
        assertThat(s.api.get("system_jobs/" + systemJob + "/stdout/").body()).contains("Removed", "jobs finished before");

        assertThat(s.api.get("jobs/" + finished + "/").status()).isEqualTo(404);
        assertThat(LocalStackFixture.stack().context().getBean(EventStore.class).all(finished)).isEmpty();
        assertThat(s.api.get("jobs/" + sleeper + "/").status()).as("an active job is never removed").isEqualTo(200);
        s.api.post("jobs/" + sleeper + "/cancel/", Map.of());
    }

    @Test
    void cleanupTokensRemovesExpiredTokensOnly() throws Exception {
        Scenario s = new Scenario();
        ResourceStore store = LocalStackFixture.stack().context().getBean(ResourceStore.class);
        long expired = store.create(ResourceTypes.TOKEN, Map.of("token_digest", "expired-" + s.tag, "user", 1L,
                "expires", Timestamps.format(Instant.now().minusSeconds(60)))).id();
        long template = templateId(s, "cleanup_tokens");
        long systemJob = ((Number) s.api.create("system_job_templates/" + template + "/launch/", Map.of())
                .get("system_job")).longValue();
        assertThat(s.awaitFinished("system_jobs/" + systemJob + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");
        assertThat(store.get(ResourceTypes.TOKEN, expired)).isEmpty();
        assertThat(s.api.get("me/").status()).as("the admin's own token is still valid").isEqualTo(200);
    }

    @Test
    void badDaysAreRefused() {
        Scenario s = new Scenario();
        long template = templateId(s, "cleanup_jobs");
        var r = s.api.post("system_job_templates/" + template + "/launch/", Map.of("extra_vars", Map.of("days", "soon")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("extra_vars");
    }
}
