package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.local.ApiClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every source AWX 21.14.0 offers is accepted with AWX's rules for its credential and variables,
 * and a cloud update gives its plugin the credential through the environment only (here a
 * vmware source whose vCenter does not exist: the update fails, and what it ran is recorded).
 */
class InventorySourceKindsEndToEndTest {
    private static final String PASSWORD = "vcenter-password-8d1e";

    private static final Map<String, Long> TYPES = Map.of("ec2", ManagedCredentialTypes.AMAZON_WEB_SERVICES,
            "gce", ManagedCredentialTypes.GCE, "azure_rm", ManagedCredentialTypes.AZURE_RM, "vmware", ManagedCredentialTypes.VMWARE,
            "openstack", ManagedCredentialTypes.OPENSTACK, "satellite6", ManagedCredentialTypes.SATELLITE6,
            "rhv", ManagedCredentialTypes.RHV, "controller", ManagedCredentialTypes.CONTROLLER,
            "insights", ManagedCredentialTypes.INSIGHTS);

    private static Map<String, Object> inputs(String source) {
        return switch (source) {
            case "gce" -> Map.of("username", "sa@example.iam", "project", "proj-1", "ssh_key_data", rsaPrivateKey());
            case "azure_rm" -> Map.of("subscription", "sub-1", "client", "c", "secret", "s", "tenant", "t");
            case "openstack" -> Map.of("host", "https://keystone.invalid", "username", "u", "password", "p", "project", "demo");
            case "vmware" -> Map.of("host", "vcenter.invalid", "username", "admin", "password", PASSWORD);
            case "insights" -> Map.of("username", "u", "password", "p");
            case "ec2" -> Map.of("username", "AKIAKINDS", "password", "aws-secret-kinds");
            default -> Map.of("host", "https://host.invalid", "username", "u", "password", "p");
        };
    }

    /** A PKCS#8 RSA key as GCE hands them out. */
    private static String rsaPrivateKey() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long credential(Scenario s, String source) {
        return Scenario.id(s.api.create("credentials/", ManagedCredentialTypesEndToEndTest.credential(s, source,
                TYPES.get(source), inputs(source))));
    }

    @Test
    void everyCloudSourceIsAcceptedWithACredentialOfItsCloud() {
        Scenario s = new Scenario();
        long aws = credential(s, "ec2");
        for (String source : TYPES.keySet()) {
            long credential = source.equals("ec2") ? aws : credential(s, source);
            ApiClient.Response created = s.api.post("inventory_sources/", Map.of("name", source + " " + s.tag,
                    "inventory", s.inventory, "source", source, "credential", credential, "source_vars", "base_source_var: value"));
            assertThat(created.status()).as(source + ": " + created.body()).isEqualTo(201);
            assertThat(created.json()).containsEntry("source", source).containsEntry("credential", (int) credential);
            if (!source.equals("ec2")) {
                ApiClient.Response wrong = s.api.post("inventory_sources/", Map.of("name", source + " wrong " + s.tag,
                        "inventory", s.inventory, "source", source, "credential", aws));
                assertThat(wrong.status()).isEqualTo(400);
                assertThat(wrong.json()).containsEntry("credential", java.util.List.of("Cloud-based inventory sources (such as "
                        + source + ") require credentials for the matching cloud service."));
            }
        }
    }

    @Test
    void awxsRulesForCredentialsVariablesAndKinds() {
        Scenario s = new Scenario();
        Map<String, Object> gce = new LinkedHashMap<>(Map.of("name", "gce " + s.tag, "inventory", s.inventory, "source", "gce"));
        gce.put("credential", null);
        assertThat(s.api.post("inventory_sources/", gce).json())
                .containsEntry("credential", java.util.List.of("Credential is required for a cloud source."));
        // ec2 may go without one: the runner's own IAM role answers.
        assertThat(s.api.post("inventory_sources/", Map.of("name", "ec2 bare " + s.tag, "inventory", s.inventory,
                "source", "ec2")).status()).isEqualTo(201);
        ApiClient.Response blocked = s.api.post("inventory_sources/", Map.of("name", "env " + s.tag, "inventory", s.inventory,
                "source", "ec2", "source_vars", "{\"PATH\": \"/evil\"}"));
        assertThat(blocked.status()).isEqualTo(400);
        assertThat(blocked.json()).containsEntry("source_vars", java.util.List.of("`PATH` is a prohibited environment variable"));
        ApiClient.Response path = s.api.post("inventory_sources/", Map.of("name", "path " + s.tag, "inventory", s.inventory,
                "source", "ec2", "source_path", "hosts.ini"));
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.json()).containsEntry("detail", java.util.List.of("Cannot set source_path if not SCM type."));
        ApiClient.Response constructed = s.api.post("inventory_sources/", Map.of("name", "c " + s.tag, "inventory", s.inventory,
                "source", "constructed"));
        assertThat(constructed.status()).as("AWX 21.14.0 has no constructed source").isEqualTo(400);
        assertThat(constructed.body()).contains("\\\"constructed\\\" is not a valid choice.");

        // A file source exists but cannot be updated through the task system: AWX answers 405.
        long file = Scenario.id(s.api.create("inventory_sources/", Map.of("name", "file " + s.tag, "inventory", s.inventory,
                "source", "file")));
        assertThat(s.api.get("inventory_sources/" + file + "/update/").json()).containsEntry("can_update", false);
        assertThat(s.api.post("inventory_sources/" + file + "/update/", Map.of()).status()).isEqualTo(405);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCloudUpdateGivesThePluginItsFileAndCredentialThroughTheEnvironmentOnly() throws Exception {
        Scenario s = new Scenario();
        long source = Scenario.id(s.api.create("inventory_sources/", Map.of("name", "vmware " + s.tag, "inventory", s.inventory,
                "source", "vmware", "credential", credential(s, "vmware"), "source_vars", "validate_certs: false")));
        ApiClient.Response started = s.api.post("inventory_sources/" + source + "/update/", Map.of());
        assertThat(started.status()).isEqualTo(202);
        Map<String, Object> done = s.awaitFinished("inventory_updates/" + started.json().get("inventory_update") + "/",
                Duration.ofMinutes(2));
        assertThat(done).containsEntry("status", "failed"); // there is no vCenter
        assertThat((String) done.get("job_args")).contains("--list", "--export", "inventory/vmware_vm_inventory.yml")
                .doesNotContain(PASSWORD);
        Map<String, Object> env = (Map<String, Object>) done.get("job_env");
        assertThat(env).containsEntry("VMWARE_HOST", "vcenter.invalid").containsEntry("VMWARE_USER", "admin")
                .containsEntry("VMWARE_PASSWORD", "**********").containsEntry("VMWARE_VALIDATE_CERTS", "False")
                .containsEntry("ANSIBLE_INVENTORY_ENABLED", "auto").containsEntry("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never")
                .containsEntry("INVENTORY_SOURCE_ID", String.valueOf(source));
        assertThat(String.valueOf(done)).doesNotContain(PASSWORD);
        assertThat(s.api.get("inventory_updates/" + done.get("id") + "/stdout/?format=txt").body()).doesNotContain(PASSWORD)
                .contains("community.vmware.vmware_vm_inventory");
    }

    /** AWX's extra credentials: an scm source's own cloud credential reaches its inventory script's environment. */
    @Test
    @SuppressWarnings("unchecked")
    void anScmSourcesCloudCredentialIsInjectedIntoItsInventoryScript() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("scm-inventory-");
        java.nio.file.Path script = dir.resolve("inventory/from_env.sh");
        java.nio.file.Files.createDirectories(script.getParent());
        java.nio.file.Files.writeString(script, String.join("\n", "#!/bin/sh",
                "printf '{\"cloud\": {\"hosts\": [\"key-%s\"]}, \"_meta\": {\"hostvars\": {}}}' \"$AWS_ACCESS_KEY_ID\"", ""));
        java.nio.file.Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String url = dev.towerless.local.SampleRepository.create(dir, dir.resolveSibling(dir.getFileName() + ".git"));
        Scenario s = new Scenario();
        long project = s.project(url);
        assertThat(s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");
        long source = Scenario.id(s.api.create("inventory_sources/", Map.of("name", "scm aws " + s.tag, "inventory", s.inventory,
                "source", "scm", "source_project", project, "source_path", "inventory/from_env.sh", "credential", credential(s, "ec2"))));
        ApiClient.Response started = s.api.post("inventory_sources/" + source + "/update/", Map.of());
        Map<String, Object> done = s.awaitFinished("inventory_updates/" + started.json().get("inventory_update") + "/",
                Duration.ofMinutes(2));
        assertThat(done).as(String.valueOf(done)).containsEntry("status", "successful");
        assertThat(((Map<String, Object>) done.get("job_env"))).containsEntry("AWS_ACCESS_KEY_ID", "AKIAKINDS")
                .containsEntry("AWS_SECRET_ACCESS_KEY", "**********");
        assertThat(s.api.get("inventories/" + s.inventory + "/hosts/?name=key-AKIAKINDS").json()).containsEntry("count", 1);
    }
}
