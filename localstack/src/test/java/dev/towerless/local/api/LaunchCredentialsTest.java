package dev.towerless.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Credentials given at launch follow AWX's JobLaunchSerializer rules, in its words, and a refused launch creates no job. */
class LaunchCredentialsTest {
    private static final ApiClient API = LocalStackFixture.admin();
    private static long template;
    private static long first;
    private static long second;
    private static long git;

    @BeforeAll
    static void aTemplateThatAsksForCredentials() {
        String tag = UUID.randomUUID().toString();
        long org = id(API.create("organizations/", Map.of("name", "creds-" + tag)));
        long inventory = id(API.create("inventories/", Map.of("name", "creds-" + tag, "organization", org)));
        long project = id(API.create("projects/", Map.of("name", "creds-" + tag, "organization", org, "scm_type", "git",
                "scm_url", LocalStackFixture.sampleRepoUrl())));
        first = id(API.create("credentials/", Map.of("name", "first-" + tag, "organization", org, "credential_type", 1,
                "inputs", Map.of("username", "one"))));
        second = id(API.create("credentials/", Map.of("name", "second-" + tag, "organization", org, "credential_type", 1,
                "inputs", Map.of("username", "two"))));
        git = id(API.create("credentials/", Map.of("name", "git-" + tag, "organization", org, "credential_type", 2,
                "inputs", Map.of("username", "git"))));
        template = id(API.create("job_templates/", Map.of("name", "creds-" + tag, "project", project, "inventory", inventory,
                "playbook", "hello.yml", "ask_credential_on_launch", true)));
        assertThat(API.post("job_templates/" + template + "/credentials/", Map.of("id", first)).status()).isEqualTo(204);
    }

    @Test
    void twoOfOneTypeAKindJobsDoNotUseAndADroppedTemplateCredentialAreRefusedAsAwxWordsThem() {
        Object before = API.get("job_templates/" + template + "/jobs/").json().get("count");
        assertRefused(List.of(first, second), "Cannot assign multiple Machine credentials.");
        assertRefused(List.of(first, git), "Cannot assign a Credential of kind `scm`");
        assertRefused(List.of(), "Removing Machine credential at launch time without replacement is not supported. "
                + "Provided list lacked credential(s): " + API.get("credentials/" + first + "/").json().get("name") + ".");
        assertThat(API.get("job_templates/" + template + "/jobs/").json().get("count")).as("no job was created").isEqualTo(before);
    }

    @Test
    void oneOfTheSameTypeReplacesTheTemplatesAsInAwx() {
        ApiClient.Response r = API.post("job_templates/" + template + "/launch/", Map.of("credentials", List.of(second)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(API.get("jobs/" + r.json().get("job") + "/credentials/").body()).contains("\"id\":" + second + ",")
                .doesNotContain("\"id\":" + first + ",");
    }

    private static void assertRefused(List<Long> credentials, String message) {
        ApiClient.Response r = API.post("job_templates/" + template + "/launch/", Map.of("credentials", credentials));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json()).containsEntry("credentials", List.of(message));
    }

    private static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }
}
