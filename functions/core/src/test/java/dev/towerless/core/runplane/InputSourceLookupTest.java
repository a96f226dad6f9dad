package dev.towerless.core.runplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.RunnerLauncher;
import dev.towerless.core.ports.SecretLookup;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.testing.FakeStores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Input sources are read on the control plane at launch: the bundle holds the value, never the source credential. */
class InputSourceLookupTest {
    private final SecretBox sealing = SecretBox.fromBase64(SecretBox.newBase64Key());
    private final FakeStores.Resources resources = new FakeStores.Resources();
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final RunSecretsTest.Remembering codec = new RunSecretsTest.Remembering();
    private final List<String> lookups = new ArrayList<>();

    private final SecretLookup vault = (namespace, inputs, metadata) -> {
        lookups.add(namespace + " " + inputs.get("token") + " " + new java.util.TreeMap<>(metadata));
        if (metadata.get("secret_path").equals("kv/missing")) {
            throw new SecretLookup.Failed("HTTP 404");
        }
        return "looked-up-password";
    };

    private void type(long id) {
        Map<String, Object> t = new LinkedHashMap<>(ManagedCredentialTypes.byId(id).orElseThrow());
        t.remove("id");
        resources.insert(new Resource(ResourceTypes.CREDENTIAL_TYPE, id, t));
    }

    private long credential(String name, long type, String kind, Map<String, Object> inputs) {
        return resources.create(ResourceTypes.CREDENTIAL, Map.of("name", name, "kind", kind, "credential_type", type,
                "inputs", inputs)).id();
    }

    private UnifiedJob job(long id, List<Long> credentials) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(JobFields.CREDENTIALS, credentials);
        UnifiedJob job = UnifiedJob.newPending(id, JobKind.JOB, "j", LaunchType.MANUAL, Instant.EPOCH, f);
        jobs.insert(job);
        return job;
    }

    @Test
    void theLookedUpValueTravelsAsASecretInputAndTheSourceCredentialStaysBehind() {
        type(ManagedCredentialTypes.AMAZON_WEB_SERVICES);
        type(ManagedCredentialTypes.HASHIVAULT_KV);
        long source = credential("corp-vault", ManagedCredentialTypes.HASHIVAULT_KV, "external",
                Map.of("url", "https://vault", "token", sealing.seal("vault-root-token"), "api_version", "v1"));
        long target = credential("aws", ManagedCredentialTypes.AMAZON_WEB_SERVICES, "cloud", Map.of("username", "AKIA"));
        resources.create(ResourceTypes.CREDENTIAL_INPUT_SOURCE, Map.of("target_credential", target, "source_credential", source,
                "input_field_name", "password", "metadata", Map.of("secret_path", "kv/app", "secret_key", "password")));

        RunSecrets opened = RunSecrets.gather(job(1, List.of(target)), resources, sealing, vault);
        assertThat(lookups).containsExactly("hashivault_kv vault-root-token {secret_key=password, secret_path=kv/app}");
        assertThat(opened.credentials()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo("aws");
            assertThat(c.inputs()).isEqualTo(Map.of("username", "AKIA", "password", "looked-up-password"));
            assertThat(c.secretInputs()).containsExactly("password");
        });
        assertThat(opened.secrets()).contains("looked-up-password").doesNotContain("vault-root-token");
        RunSecrets.Sealed sealed = opened.seal(codec);
        assertThat(codec.parse(sealed.bundle()).toString()).doesNotContain("vault-root-token").doesNotContain("https://vault");
    }

    @Test
    void aMissingRequiredInputFailsThePreStartCheckAndAFailedLookupIsALaunchError() {
        type(ManagedCredentialTypes.AMAZON_WEB_SERVICES);
        type(ManagedCredentialTypes.HASHIVAULT_KV);
        long partial = credential("aws-partial", ManagedCredentialTypes.AMAZON_WEB_SERVICES, "cloud", Map.of("username", "AKIA"));
        job(2, List.of(partial));
        RunPlaneLauncher launcher = new RunPlaneLauncher(jobs, resources, sealing, codec, (id, kind, key) -> "t", vault);
        assertThatThrownBy(() -> launcher.launch(2)).isInstanceOf(RunnerLauncher.PreStartFailed.class).hasMessage(
                "Job cannot start because Credential aws-partial does not provide one or more required fields (password).");

        long source = credential("vault", ManagedCredentialTypes.HASHIVAULT_KV, "external",
                Map.of("url", "https://vault", "token", sealing.seal("t0k3n-value"), "api_version", "v1"));
        resources.create(ResourceTypes.CREDENTIAL_INPUT_SOURCE, Map.of("target_credential", partial, "source_credential", source,
                "input_field_name", "password", "metadata", Map.of("secret_path", "kv/missing", "secret_key", "password")));
        assertThatThrownBy(() -> launcher.launch(2)).isInstanceOf(RunnerLauncher.LaunchException.class)
                .isNotInstanceOf(RunnerLauncher.PreStartFailed.class)
                .hasMessageContaining("the lookup of input password of credential aws-partial from credential vault failed: HTTP 404")
                .hasMessageNotContaining("t0k3n-value");
    }
}
