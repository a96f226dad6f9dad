package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.MotoServer;
import dev.towerless.aws.lookup.AwsSecretsManagerLookup;
import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Credential input sources against real HTTP: a small Vault speaking the KV v1 and v2 API, and
 * AWS Secrets Manager through moto_server. The lookups run at launch on the control plane; a real
 * ansible job sees the values and never prints them; AWX's validation and access rules hold.
 */
class CredentialInputSourcesEndToEndTest {
    private static final String VAULT_TOKEN = "hvs.vault-token-61c2";
    private static VaultKvServer vault;
    private static Optional<MotoServer> moto = Optional.empty();

    @BeforeAll
    static void servers() throws Exception {
        vault = new VaultKvServer(VAULT_TOKEN);
        vault.putV1("kv/app", Map.of("password", "from-vault-v1-9a1f"));
        vault.putV2("secret", "db", List.of(Map.of("token", "from-vault-v2-old"), Map.of("token", "from-vault-v2-b7e4")));
        vault.appRole("role-1", "secret-id-1");
        moto = MotoServer.start();
        moto.ifPresent(m -> AwsSecretsManagerLookup.useEndpoint(URI.create(m.endpoint())));
    }

    @AfterAll
    static void stop() {
        AwsSecretsManagerLookup.useEndpoint(null);
        vault.close();
        moto.ifPresent(MotoServer::close);
    }

    private static long credential(Scenario s, String name, long type, Map<String, Object> inputs) {
        return Scenario.id(s.api.create("credentials/", ManagedCredentialTypesEndToEndTest.credential(s, name, type, inputs)));
    }

    private static long vaultLookup(Scenario s, String name, String apiVersion) {
        return credential(s, name, ManagedCredentialTypes.HASHIVAULT_KV,
                Map.of("url", vault.url(), "token", VAULT_TOKEN, "api_version", apiVersion));
    }

    @Test
    void inputsAreLookedUpAtLaunchAndReachTheRunWithoutShowingTheirValues() throws Exception {
        Assumptions.assumeTrue(moto.isPresent(), "moto_server is not installed (TOOLCHAIN.md): no Secrets Manager to test against");
        try (SecretsManagerClient sm = SecretsManagerClient.builder().endpointOverride(URI.create(moto.get().endpoint()))
                .region(Region.US_EAST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
            sm.createSecret(r -> r.name("towerless/vmware").secretString("from-secrets-manager-5c3d"));
        }
        Scenario s = new Scenario();
        long kv1 = vaultLookup(s, "vault-v1", "v1");
        long kv2 = vaultLookup(s, "vault-v2", "v2");
        long secretsManager = credential(s, "sm", ManagedCredentialTypes.AWS_SECRETS_MANAGER,
                Map.of("aws_access_key", "AKIAMOTO", "aws_secret_key", "moto-secret-key"));
        long aws = credential(s, "aws", ManagedCredentialTypes.AMAZON_WEB_SERVICES, Map.of("username", "AKIATARGET"));
        long vmware = credential(s, "vmware", ManagedCredentialTypes.VMWARE, Map.of("host", "vc.example.com", "username", "ops"));

        ApiClient.Response v1 = s.api.post("credential_input_sources/", Map.of("target_credential", aws,
                "source_credential", kv1, "input_field_name", "password",
                "metadata", Map.of("secret_path", "/kv/app", "secret_key", "password")));
        assertThat(v1.status()).as(v1.body()).isEqualTo(201);
        assertThat(v1.json()).containsEntry("type", "credential_input_source").containsEntry("input_field_name", "password");
        assertThat(((Number) v1.json().get("target_credential")).longValue()).isEqualTo(aws);
        assertThat(((Number) v1.json().get("source_credential")).longValue()).isEqualTo(kv1);
        ApiClient.Response v2 = s.api.post("credentials/" + aws + "/input_sources/", Map.of("source_credential", kv2,
                "input_field_name", "security_token",
                "metadata", Map.of("secret_path", "/secret/db", "secret_key", "token", "secret_version", "2")));
        assertThat(v2.status()).as(v2.body()).isEqualTo(201);
        ApiClient.Response sm = s.api.post("credential_input_sources/", Map.of("target_credential", vmware,
                "source_credential", secretsManager, "input_field_name", "password",
                "metadata", Map.of("region_name", "us-east-1", "secret_name", "towerless/vmware")));
        assertThat(sm.status()).as(sm.body()).isEqualTo(201);
        assertThat(s.api.get("credentials/" + aws + "/input_sources/").json()).containsEntry("count", 2);

        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "input_sources.yml", Map.of());
        s.api.post("job_templates/" + template + "/credentials/", Map.of("id", aws));
        s.api.post("job_templates/" + template + "/credentials/", Map.of("id", vmware));
        long job = s.launch(template, Map.of());
        Map<String, Object> finished = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(2));
        String stdout = s.api.get("jobs/" + job + "/stdout/?format=txt").body();
        assertThat(finished).as(stdout).containsEntry("status", "successful");
        assertThat(stdout).contains("aws_access=AKIATARGET", "aws_secret=$encrypted$",
                "aws_secret_sha1=" + sha1("from-vault-v1-9a1f"), "aws_session_sha1=" + sha1("from-vault-v2-b7e4"),
                "vmware_password_sha1=" + sha1("from-secrets-manager-5c3d"));
        assertThat(vault.requests).contains("GET /v1/kv/app", "GET /v1/secret/data/db?version=2");
        List<JobEvent> events = LocalStackFixture.stack().context().getBean(EventStore.class).all(job);
        for (String secret : List.of("from-vault-v1-9a1f", "from-vault-v2-b7e4", "from-secrets-manager-5c3d", VAULT_TOKEN,
                "moto-secret-key")) {
            assertThat(stdout).doesNotContain(secret);
            assertThat(events).allSatisfy(e -> assertThat(e.stdout() + e.eventData()).doesNotContain(secret));
        }

        // A lookup that fails ends the job in error, saying which input and why, before any runner starts.
        vault.putV1("kv/gone", Map.of());
        long broken = credential(s, "aws-broken", ManagedCredentialTypes.AMAZON_WEB_SERVICES, Map.of("username", "AKIAB"));
        s.api.create("credential_input_sources/", Map.of("target_credential", broken, "source_credential", kv1,
                "input_field_name", "password", "metadata", Map.of("secret_path", "kv/missing", "secret_key", "password")));
        long other = s.template(project, "input_sources.yml", Map.of());
        s.api.post("job_templates/" + other + "/credentials/", Map.of("id", broken));
        Map<String, Object> failed = s.awaitFinished("jobs/" + s.launch(other, Map.of()) + "/", Duration.ofMinutes(1));
        assertThat(failed).containsEntry("status", "error");
        assertThat(String.valueOf(failed.get("job_explanation"))).contains("the lookup of input password of credential aws-broken-"
                + s.tag, "HTTP 404").doesNotContain(VAULT_TOKEN);
    }

    @Test
    void externalCredentialsAndTypesCanBeTestedBeforeUse() {
        Scenario s = new Scenario();
        long kv2 = vaultLookup(s, "vault-v2", "v2");
        ApiClient.Response ok = s.api.post("credentials/" + kv2 + "/test/", Map.of("metadata",
                Map.of("secret_path", "secret/db", "secret_key", "token")));
        assertThat(ok.status()).as(ok.body()).isEqualTo(202);
        ApiClient.Response missingKey = s.api.post("credentials/" + kv2 + "/test/", Map.of("metadata",
                Map.of("secret_path", "secret/db", "secret_key", "nope")));
        assertThat(missingKey.status()).isEqualTo(400);
        assertThat(missingKey.json()).isEqualTo(Map.of("inputs", "nope is not present at secret/db"));
        ApiClient.Response badToken = s.api.post("credentials/" + kv2 + "/test/", Map.of("inputs", Map.of("token", "wrong"),
                "metadata", Map.of("secret_path", "secret/db", "secret_key", "token")));
        assertThat(badToken.json()).isEqualTo(Map.of("inputs", "HTTP 403"));

        ApiClient.Response type = s.api.post("credential_types/" + ManagedCredentialTypes.HASHIVAULT_KV + "/test/", Map.of(
                "inputs", Map.of("url", vault.url(), "role_id", "role-1", "secret_id", "secret-id-1", "api_version", "v1",
                        "default_auth_path", "approle"),
                "metadata", Map.of("secret_path", "kv/app", "secret_key", "password")));
        assertThat(type.status()).as(type.body()).isEqualTo(202);
        assertThat(vault.requests).contains("POST /v1/auth/approle/login");
        ApiClient.Response notExternal = s.api.post("credential_types/" + ManagedCredentialTypes.MACHINE + "/test/", Map.of());
        assertThat(notExternal.status()).isEqualTo(400);
        ApiClient.Response withoutKeys = s.api.post("credential_types/" + ManagedCredentialTypes.AWS_SECRETS_MANAGER + "/test/",
                Map.of("metadata", Map.of("region_name", "us-east-1", "secret_name", "towerless/sealing-key")));
        assertThat(withoutKeys.json()).as("never with the control plane's own role").isEqualTo(Map.of("inputs",
                "An AWS Access Key and Secret Key are required: Towerless never looks secrets up with its own role."));
    }

    @Test
    void inputSourcesAreCheckedAsAwxChecksThem() {
        Scenario s = new Scenario();
        long kv1 = vaultLookup(s, "vault-v1", "v1");
        long kv1b = vaultLookup(s, "vault-v1b", "v1");
        long machine = credential(s, "machine", ManagedCredentialTypes.MACHINE, Map.of("username", "deploy"));
        Map<String, Object> good = new LinkedHashMap<>(Map.of("target_credential", machine, "source_credential", kv1,
                "input_field_name", "password", "metadata", Map.of("secret_path", "kv/app", "secret_key", "password")));

        Map<String, Object> externalTarget = new LinkedHashMap<>(good);
        externalTarget.put("target_credential", kv1b);
        externalTarget.put("input_field_name", "token");
        assertThat(s.api.post("credential_input_sources/", externalTarget).json())
                .isEqualTo(Map.of("target_credential", List.of("Target must be a non-external credential")));
        Map<String, Object> plainSource = new LinkedHashMap<>(good);
        plainSource.put("source_credential", machine);
        assertThat(s.api.post("credential_input_sources/", plainSource).json())
                .isEqualTo(Map.of("source_credential", List.of("Source must be an external credential")));
        Map<String, Object> undefined = new LinkedHashMap<>(good);
        undefined.put("input_field_name", "nope");
        assertThat(s.api.post("credential_input_sources/", undefined).json()).isEqualTo(Map.of("input_field_name", List.of(
                "Input field must be defined on target credential (options are become_method, become_password, become_username, "
                        + "password, ssh_key_data, ssh_key_unlock, ssh_public_key_data, username).")));
        Map<String, Object> noKey = new LinkedHashMap<>(good);
        noKey.put("metadata", Map.of("secret_path", "kv/app"));
        assertThat(s.api.post("credential_input_sources/", noKey).json()).isEqualTo(Map.of("metadata",
                Map.of("secret_key", List.of("required for HashiCorp Vault Secret Lookup"))));
        Map<String, Object> unknown = new LinkedHashMap<>(good);
        unknown.put("metadata", Map.of("secret_path", "kv/app", "secret_key", "password", "colour", "blue"));
        assertThat(s.api.post("credential_input_sources/", unknown).json()).isEqualTo(Map.of("metadata",
                List.of("Additional properties are not allowed ('colour' was unexpected)")));
        ApiClient.Response missing = s.api.post("credential_input_sources/", Map.of("source_credential", kv1));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json()).containsKeys("input_field_name", "target_credential");

        assertThat(s.api.post("credential_input_sources/", good).status()).isEqualTo(201);
        ApiClient.Response twice = s.api.post("credential_input_sources/", good);
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json()).isEqualTo(Map.of("non_field_errors",
                List.of("The fields target_credential, input_field_name must make a unique set.")));

        // AWX deletes a credential's input sources with it.
        assertThat(s.api.delete("credentials/" + kv1 + "/").status()).isEqualTo(204);
        assertThat(LocalStackFixture.stack().context().getBean(dev.towerless.core.ports.ResourceStore.class)
                .where(ResourceTypes.CREDENTIAL_INPUT_SOURCE, "target_credential", machine)).isEmpty();
    }

    /**
     * The attack AWX's CredentialInputSourceAccess stops: a user who administers a credential of
     * their own points it at someone else's lookup credential to have that credential's secrets
     * flow into their jobs. Needs use of the source; only the target's admins see or delete it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void onlyTheTargetsAdminWhoMayUseTheSourceConnectsThem() {
        Scenario s = new Scenario();
        ApiClient admin = s.api;
        long mallory = Scenario.id(admin.create("users/", Map.of("username", "mallory-" + s.tag, "password", "pw-mallory-1")));
        long eve = Scenario.id(admin.create("users/", Map.of("username", "eve-" + s.tag, "password", "pw-eve-1")));
        for (long member : List.of(mallory, eve)) { // AWX grants credential roles to members of its organization only
            assertThat(admin.post("organizations/" + s.org + "/users/", Map.of("id", member)).status()).isEqualTo(204);
        }
        ApiClient asMallory = basic("mallory-" + s.tag, "pw-mallory-1");
        ApiClient asEve = basic("eve-" + s.tag, "pw-eve-1");
        long theirs = vaultLookup(s, "corp-vault", "v1"); // the organization's, not Mallory's
        Map<String, Object> own = ManagedCredentialTypesEndToEndTest.credential(s, "mallory-aws",
                ManagedCredentialTypes.AMAZON_WEB_SERVICES, Map.of("username", "AKIAMAL"));
        own.remove("organization");
        own.put("user", mallory);
        long mine = Scenario.id(asMallory.create("credentials/", own));
        Map<String, Object> attack = Map.of("target_credential", mine, "source_credential", theirs, "input_field_name", "password",
                "metadata", Map.of("secret_path", "kv/app", "secret_key", "password"));

        assertThat(asMallory.post("credential_input_sources/", attack).status()).as("no use of the source").isEqualTo(403);
        assertThat(asMallory.post("credentials/" + mine + "/input_sources/", attack).status()).isEqualTo(403);
        assertThat(asMallory.post("credentials/" + theirs + "/test/", Map.of("metadata",
                Map.of("secret_path", "kv/app", "secret_key", "password"))).status()).as("testing needs use").isEqualTo(403);

        grantUse(admin, theirs, mallory);
        ApiClient.Response allowed = asMallory.post("credential_input_sources/", attack);
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(201);
        long source = Scenario.id(allowed.json());

        // Eve may use the source but does not administer the target: she can neither add nor see nor delete.
        grantUse(admin, theirs, eve);
        grantUse(admin, mine, eve);
        Map<String, Object> eveAttack = new LinkedHashMap<>(attack);
        eveAttack.put("input_field_name", "security_token");
        assertThat(asEve.post("credential_input_sources/", eveAttack).status()).as("use of the target is not enough").isEqualTo(403);
        assertThat(asEve.delete("credential_input_sources/" + source + "/").status()).isEqualTo(403);
        assertThat(asEve.patch("credential_input_sources/" + source + "/", Map.of("input_field_name", "security_token")).status())
                .isEqualTo(403);
        long outsider = Scenario.id(admin.create("users/", Map.of("username", "oscar-" + s.tag, "password", "pw-oscar-1")));
        ApiClient asOscar = basic("oscar-" + s.tag, "pw-oscar-1");
        assertThat(asOscar.get("credential_input_sources/" + source + "/").status()).isEqualTo(403);
        assertThat(asOscar.get("credential_input_sources/").json()).containsEntry("count", 0);
        assertThat(outsider).isPositive();

        Map<String, Object> shown = asMallory.get("credential_input_sources/" + source + "/").json();
        assertThat(((Map<String, Object>) shown.get("summary_fields")).get("user_capabilities")).isEqualTo(Map.of("delete", true));
        assertThat(asMallory.delete("credential_input_sources/" + source + "/").status()).isEqualTo(204);
    }

    @SuppressWarnings("unchecked")
    private static void grantUse(ApiClient admin, long credential, long user) {
        Map<String, Object> roles = (Map<String, Object>) ((Map<String, Object>) admin.get("credentials/" + credential + "/").json()
                .get("summary_fields")).get("object_roles");
        long role = ((Number) ((Map<String, Object>) roles.get("use_role")).get("id")).longValue();
        ApiClient.Response r = admin.post("roles/" + role + "/users/", Map.of("id", user));
        assertThat(r.status()).as(r.body()).isEqualTo(204);
    }

    private static ApiClient basic(String username, String password) {
        return new ApiClient(LocalStackFixture.stack().apiUrl(), null, "Basic " + java.util.Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static String sha1(String value) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(value.getBytes(StandardCharsets.UTF_8));
        return String.format("%040x", new BigInteger(1, digest));
    }
}
