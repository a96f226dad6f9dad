package dev.towerless.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A value too large for the store is the user's mistake: a 400 that names the field, never a 500
 * from DynamoDB's 400 KB item limit, and nothing is written.
 */
class ItemLimitTest {
    private static final ApiClient API = LocalStackFixture.admin();
    private static final String HALF_A_MEGABYTE = "x".repeat(500_000);

    @Test
    void aDescriptionTooLargeToStoreIsA400NamingItAndNothingIsCreated() {
        String name = "huge-" + UUID.randomUUID();
        ApiClient.Response r = API.post("organizations/", Map.of("name", name, "description", HALF_A_MEGABYTE));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsOnlyKeys("description");
        assertThat(API.get("organizations/?name=" + name).json()).containsEntry("count", 0);
    }

    @Test
    void anUpdateThatWouldOutgrowTheObjectIsRefusedAndTheObjectIsUnchanged() {
        long org = API.create("organizations/", Map.of("name", "grow-" + UUID.randomUUID())).get("id") instanceof Number n ? n.longValue() : 0;
        long inventory = ((Number) API.create("inventories/", Map.of("name", "grow-" + UUID.randomUUID(), "organization", org))
                .get("id")).longValue();
        assertThat(API.patch("inventories/" + inventory + "/", Map.of("description", "x".repeat(200_000))).status()).isEqualTo(200);
        ApiClient.Response r = API.patch("inventories/" + inventory + "/", Map.of("variables", "big: " + "y".repeat(200_000)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsOnlyKeys("variables");
        assertThat(API.get("inventories/" + inventory + "/").json()).containsEntry("variables", "");
    }

    @Test
    void launchTimeVariablesTooLargeToStoreAreA400AndNoJobIsCreated() {
        long org = ((Number) API.create("organizations/", Map.of("name", "launch-" + UUID.randomUUID())).get("id")).longValue();
        long inventory = ((Number) API.create("inventories/", Map.of("name", "launch-" + UUID.randomUUID(), "organization", org))
                .get("id")).longValue();
        long project = ((Number) API.create("projects/", Map.of("name", "launch-" + UUID.randomUUID(), "organization", org,
                "scm_type", "git", "scm_url", LocalStackFixture.sampleRepoUrl())).get("id")).longValue();
        long template = ((Number) API.create("job_templates/", Map.of("name", "launch-" + UUID.randomUUID(), "project", project,
                "inventory", inventory, "playbook", "hello.yml", "ask_variables_on_launch", true)).get("id")).longValue();
        ApiClient.Response r = API.post("job_templates/" + template + "/launch/",
                Map.of("extra_vars", Map.of("blob", "z".repeat(1_000_000))));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsOnlyKeys("extra_vars");
        assertThat((List<?>) API.get("job_templates/" + template + "/jobs/").json().get("results")).isEmpty();
    }
}
