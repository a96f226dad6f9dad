package dev.towerless.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./towerless up} keeps its data: stopped and started again on the same state directory,
 * the stack still has every object, job, event and token it had, and {@code ./towerless reset}'s
 * removal of {@code dynamodb/} starts it clean.
 */
class RestartKeepsDataTest {

    @Test
    @SuppressWarnings("unchecked")
    void aRestartedStackHasEveryObjectJobEventAndToken() throws Exception {
        Path state = Files.createTempDirectory("towerless-restart");
        EmbeddedStack.Settings settings = EmbeddedStack.Settings.forTests(state);
        long org;
        long inventory;
        String firstAdminToken;
        String userToken;
        long jobId = 990_001;
        try (EmbeddedStack stack = EmbeddedStack.startPersistent(settings)) {
            ApiClient admin = new ApiClient(stack.apiUrl(), stack.adminToken());
            firstAdminToken = stack.adminToken();
            org = ((Number) admin.create("organizations/", Map.of("name", "Kept")).get("id")).longValue();
            inventory = ((Number) admin.create("inventories/", Map.of("name", "Kept inv", "organization", org)).get("id")).longValue();
            admin.create("hosts/", Map.of("name", "kept-host", "inventory", inventory));
            admin.create("users/", Map.of("username", "kept-user", "password", "a-Long-passw0rd!"));
            userToken = (String) admin.create("tokens/", Map.of("description", "kept", "scope", "read")).get("token");
            JobStore jobs = stack.context().getBean(JobStore.class);
            jobs.insert(UnifiedJob.newPending(jobId, JobKind.JOB, "kept job", LaunchType.MANUAL, Instant.now(), Map.of())
                    .with(Map.of("status", "successful", "finished", Instant.now().toString())));
            List<JobEvent> events = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                events.add(new JobEvent(jobId, i, "verbose", null, null, null, null, null, "line " + i, i - 1, i,
                        "2026-11-28T10:00:00.000000Z", false, false, Map.of()));
            }
            stack.context().getBean(EventStore.class).append(events);
        }
        assertThat(state.resolve("dynamodb")).as("dynalite's LevelDB store").isDirectory();
        assertThat(state.resolve("logs/dynalite.log")).as("the emulator's output is kept").exists();

        try (EmbeddedStack again = EmbeddedStack.startPersistent(settings)) {
            ApiClient admin = new ApiClient(again.apiUrl(), again.adminToken());
            assertThat(admin.get("organizations/" + org + "/").json()).containsEntry("name", "Kept");
            assertThat(admin.get("inventories/" + inventory + "/hosts/").json()).containsEntry("count", 1);
            assertThat(admin.get("organizations/?name=Kept").json()).containsEntry("count", 1);
            assertThat(admin.get("jobs/" + jobId + "/").json()).containsEntry("status", "successful");
            assertThat(admin.get("jobs/" + jobId + "/job_events/").json()).containsEntry("count", 50);
            assertThat(admin.get("users/?username=kept-user").json()).containsEntry("count", 1);
            assertThat(new ApiClient(again.apiUrl(), userToken).get("me/").status()).as("a token made through the API")
                    .isEqualTo(200);
            assertThat(new ApiClient(again.apiUrl(), firstAdminToken).get("me/").status()).as("the first run's admin token")
                    .isEqualTo(200);
            long created = ((Number) admin.create("organizations/", Map.of("name", "After restart")).get("id")).longValue();
            assertThat(created).as("ids go on from where they were").isGreaterThan(org);
            assertThat(Files.readString(EmbeddedStack.emulatorStatusFile(state))).contains("dynalite alive", "fauxqs alive");
        }

        try (var walk = Files.walk(state.resolve("dynamodb"))) { // what ./towerless reset removes
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (EmbeddedStack clean = EmbeddedStack.startPersistent(settings)) {
            ApiClient admin = new ApiClient(clean.apiUrl(), clean.adminToken());
            assertThat(admin.get("organizations/?name=Kept").json()).as("after reset").containsEntry("count", 0);
        }
    }
}
