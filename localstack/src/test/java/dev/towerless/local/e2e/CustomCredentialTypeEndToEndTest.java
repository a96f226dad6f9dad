package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.ports.EventStore;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A custom credential type's injectors reach a real ansible run; its secret never reaches the output. */
class CustomCredentialTypeEndToEndTest {
    private static final Map<String, Object> INPUTS = Map.of("fields", List.of(
            Map.of("id", "endpoint", "label", "API endpoint", "type", "string"),
            Map.of("id", "token", "label", "API token", "type", "string", "secret", true),
            Map.of("id", "verify", "label", "Verify TLS", "type", "boolean")),
            "required", List.of("endpoint", "token"));
    private static final Map<String, Object> INJECTORS = Map.of(
            "env", Map.of("API_ENDPOINT", "{{ endpoint }}", "API_TOKEN", "{{ token }}", "API_VERIFY", "{{ verify }}",
                    "API_CONFIG", "{{ tower.filename }}"),
            "extra_vars", Map.of("api_endpoint", "{{ endpoint }}"),
            "file", Map.of("template", "[api]\nendpoint = {{ endpoint }}\ntoken = {{ token }}\n"));

    @Test
    void injectorsPutTheInputsIntoTheRunAndTheSecretStaysHidden() throws Exception {
        Scenario s = new Scenario();
        ApiClient.Response type = s.api.post("credential_types/", Map.of("name", "API token " + s.tag, "kind", "cloud",
                "inputs", INPUTS, "injectors", INJECTORS));
        assertThat(type.status()).as(type.body()).isEqualTo(201);
        assertThat(type.json()).containsEntry("managed", false);
        long typeId = Scenario.id(type.json());
        long credential = Scenario.id(s.api.create("credentials/", Map.of("name", "api " + s.tag, "organization", s.org,
                "credential_type", typeId, "inputs", Map.of("endpoint", "https://api.example.com", "token", "tok-3f9a2c",
                        "verify", true))));
        assertThat(s.api.get("credentials/" + credential + "/").body()).doesNotContain("tok-3f9a2c");

        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "credential.yml", Map.of());
        s.api.post("job_templates/" + template + "/credentials/", Map.of("id", credential));
        long job = s.launch(template, Map.of());
        assertThat(s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");

        String stdout = s.api.get("jobs/" + job + "/stdout/?format=txt").body();
        assertThat(stdout).contains("endpoint=https://api.example.com", "var=https://api.example.com", "verify=True",
                "token=$encrypted$", "endpoint = https://api.example.com", "token = $encrypted$");
        assertThat(stdout).doesNotContain("tok-3f9a2c");
        List<JobEvent> events = LocalStackFixture.stack().context().getBean(EventStore.class).all(job);
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.stdout() + e.eventData()).doesNotContain("tok-3f9a2c"));

        assertThat(s.api.delete("credential_types/" + typeId + "/").status()).as("in use").isEqualTo(403);
        assertThat(s.api.patch("credential_types/" + typeId + "/", Map.of("inputs", Map.of("fields", List.of()))).status())
                .as("inputs of a type in use").isEqualTo(403);
        assertThat(s.api.patch("credential_types/" + typeId + "/", Map.of("description", "for the API")).status()).isEqualTo(200);
    }

    @Test
    void badDefinitionsAndManagedTypesAreRefused() {
        Scenario s = new Scenario();
        ApiClient.Response ssh = s.api.post("credential_types/", Map.of("name", "x " + s.tag, "kind", "ssh"));
        assertThat(ssh.status()).isEqualTo(400);
        assertThat(ssh.json()).containsEntry("kind", List.of("Must be 'cloud' or 'net', not ssh"));

        ApiClient.Response undefined = s.api.post("credential_types/", Map.of("name", "y " + s.tag, "kind", "cloud",
                "inputs", INPUTS, "injectors", Map.of("env", Map.of("X", "{{ nope }}"))));
        assertThat(undefined.status()).isEqualTo(400);
        assertThat(undefined.json()).containsEntry("injectors",
                List.of("Syntax error rendering template for env inside of injectors: 'nope' is undefined"));

        ApiClient.Response blocked = s.api.post("credential_types/", Map.of("name", "z " + s.tag, "kind", "cloud",
                "inputs", INPUTS, "injectors", Map.of("env", Map.of("PATH", "{{ endpoint }}"))));
        assertThat(blocked.status()).isEqualTo(400);

        @SuppressWarnings("unchecked")
        Map<String, Object> machine = ((List<Map<String, Object>>) s.api.get("credential_types/?name=Machine").json()
                .get("results")).get(0);
        assertThat(machine).containsEntry("managed", true);
        assertThat(s.api.patch("credential_types/" + machine.get("id") + "/", Map.of("description", "mine")).status())
                .isEqualTo(403);
        assertThat(s.api.get("credential_types/?name=" + "y+" + s.tag).json().get("count")).as("nothing half-written")
                .isEqualTo(0);
    }
}
