package dev.towerless.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.credentials.ManagedCredentialTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Each cloud source's plugin file and environment against what AWX 21.14.0 generates for the
 * same source variables and credential: AWX's own reference data
 * (awx/main/tests/data/inventory/plugins/&lt;source&gt;/env.json and files/, made by
 * test_inventory_source_injectors.py with every credential input set to "fooo", a host to
 * "https://foo.invalid", booleans to false and a private key to a fixed PEM).
 */
class InventoryPluginInjectorTest {
    private static final String KEY = "-----BEGIN ENCRYPTED PRIVATE KEY-----MIIBpjBABgkqhkiG9w0BBQ0w-----END ENCRYPTED PRIVATE KEY-----";

    /** AWX's generate_fake_var over the managed type's fields (controller without oauth_token). */
    private static Map<String, String> fakeInputs(String source) {
        String namespace = InventorySourceKinds.credentialNamespace(source);
        Map<String, Object> type = ManagedCredentialTypes.byNamespace(namespace).orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> inputs = (Map<String, Object>) type.get("inputs");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> f : ManagedCredentialTypes.fields(inputs)) {
            String id = (String) f.get("id");
            if ("boolean".equals(f.get("type"))) {
                out.put(id, "false");
            } else if ("ssh_private_key".equals(f.get("format"))) {
                out.put(id, KEY);
            } else {
                out.put(id, id.equals("host") ? "https://foo.invalid" : "fooo");
            }
        }
        if (source.equals("controller")) {
            out.remove("oauth_token");
        }
        return out;
    }

    private record Generated(Map<String, String> env, Map<String, String> files) {
    }

    private static Generated generate(String source, Map<String, Object> sourceVars) {
        InventoryPluginInjector injector = InventoryPluginInjector.forSource(source).orElseThrow();
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> env = new TreeMap<>(injector.env("42", InventorySourceKinds.credentialNamespace(source),
                fakeInputs(source), sourceVars, (name, content) -> {
                    String path = "/private/credentials/" + name;
                    files.put(path, content);
                    return path;
                }));
        // As AWX's test does: runtime ids left out, each referenced file named by alias.
        assertThat(env.remove("INVENTORY_UPDATE_ID")).isIn("42", null);
        assertThat(env.remove("ANSIBLE_INVENTORY_ENABLED")).isEqualTo("auto");
        Map<String, String> byAlias = new LinkedHashMap<>();
        files.forEach((path, content) -> {
            env.replaceAll((k, v) -> v.equals(path) ? "{{ file_reference }}" : v);
            byAlias.put("file_reference", content.replace(KEY, "{{private_key}}"));
        });
        return new Generated(env, byAlias);
    }

    @Test
    void ec2() {
        assertThat(generate("ec2", Map.of()).env()).isEqualTo(Map.of(
                "ANSIBLE_JINJA2_NATIVE", "True", "ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never",
                "AWS_ACCESS_KEY_ID", "fooo", "AWS_SECRET_ACCESS_KEY", "fooo", "AWS_SECURITY_TOKEN", "fooo",
                "AWS_SESSION_TOKEN", "fooo"));
    }

    @Test
    void ec2WithoutACredentialUsesTheRunnersOwnRoleAndInjectsNothing() {
        Map<String, String> env = InventoryPluginInjector.forSource("ec2").orElseThrow().env("42", null, Map.of(), Map.of(),
                (n, c) -> {
                    throw new AssertionError("no file without a credential");
                });
        assertThat(env).containsOnlyKeys("ANSIBLE_JINJA2_NATIVE", "ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "ANSIBLE_INVENTORY_ENABLED");
    }

    @Test
    void azureRm() {
        assertThat(generate("azure_rm", Map.of()).env()).isEqualTo(Map.of(
                "ANSIBLE_JINJA2_NATIVE", "True", "ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never",
                "AZURE_CLIENT_ID", "fooo", "AZURE_CLOUD_ENVIRONMENT", "fooo", "AZURE_SECRET", "fooo",
                "AZURE_SUBSCRIPTION_ID", "fooo", "AZURE_TENANT", "fooo"));
    }

    @Test
    void controller() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never");
        for (String prefix : List.of("TOWER_", "CONTROLLER_")) {
            expected.put(prefix + "HOST", "https://foo.invalid");
            expected.put(prefix + "PASSWORD", "fooo");
            expected.put(prefix + "USERNAME", "fooo");
            expected.put(prefix + "OAUTH_TOKEN", "");
            expected.put(prefix + "VERIFY_SSL", "False");
        }
        assertThat(generate("controller", Map.of()).env()).isEqualTo(expected);
    }

    @Test
    void gceWritesTheServiceAccountFileAndNoEmailOrProjectVariables() {
        Generated g = generate("gce", Map.of());
        assertThat(g.env()).isEqualTo(Map.of(
                "ANSIBLE_JINJA2_NATIVE", "True", "ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never",
                "GCE_CREDENTIALS_FILE_PATH", "{{ file_reference }}", "GOOGLE_APPLICATION_CREDENTIALS", "{{ file_reference }}",
                "GCP_AUTH_KIND", "serviceaccount", "GCP_ENV_TYPE", "tower", "GCP_PROJECT", "fooo",
                "GCP_SERVICE_ACCOUNT_FILE", "{{ file_reference }}"));
        // AWX's json.dump(indent=2) of the same keys in the same order; the spacing differs, the JSON does not.
        assertThat(g.files().get("file_reference").replaceAll("\\s", "")).isEqualTo("{\"type\":\"service_account\","
                + "\"private_key\":\"{{private_key}}\",\"client_email\":\"fooo\",\"project_id\":\"fooo\","
                + "\"token_uri\":\"https://oauth2.googleapis.com/token\"}");
    }

    @Test
    void insights() {
        assertThat(generate("insights", Map.of()).env()).isEqualTo(Map.of("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never",
                "INSIGHTS_USER", "fooo", "INSIGHTS_PASSWORD", "fooo"));
    }

    @Test
    void openstackWritesAwxsCloudsYamlByteForByte() {
        Generated g = generate("openstack", Map.of());
        assertThat(g.env()).isEqualTo(Map.of("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never",
                "OS_CLIENT_CONFIG_FILE", "{{ file_reference }}"));
        assertThat(g.files().get("file_reference")).isEqualTo(String.join("\n",
                "clouds:",
                "  devstack:",
                "    auth:",
                "      auth_url: https://foo.invalid",
                "      domain_name: fooo",
                "      password: fooo",
                "      project_domain_name: fooo",
                "      project_name: fooo",
                "      username: fooo",
                "    private: true",
                "    region_name: fooo",
                "    verify: false", ""));
    }

    @Test
    void openstackTakesPrivateAndTheAnsibleOptionsFromTheSourceVariables() {
        String yaml = generate("openstack", Map.of("private", false, "expand_hostvars", true)).files().get("file_reference");
        assertThat(yaml).startsWith("ansible:\n  expand_hostvars: true\n  fail_on_errors: true\n  use_hostnames: true\nclouds:\n")
                .contains("    private: false\n");
    }

    @Test
    void rhv() {
        Generated g = generate("rhv", Map.of());
        assertThat(g.env()).isEqualTo(Map.of("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never",
                "OVIRT_INI_PATH", "{{ file_reference }}", "OVIRT_PASSWORD", "fooo", "OVIRT_URL", "https://foo.invalid",
                "OVIRT_USERNAME", "fooo"));
        assertThat(g.files().get("file_reference")).isEqualTo(
                "[ovirt]\novirt_url=https://foo.invalid\novirt_username=fooo\novirt_password=fooo\novirt_ca_file=fooo");
    }

    @Test
    void satellite6() {
        assertThat(generate("satellite6", Map.of()).env()).isEqualTo(Map.of("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never",
                "FOREMAN_PASSWORD", "fooo", "FOREMAN_SERVER", "https://foo.invalid", "FOREMAN_USER", "fooo"));
    }

    @Test
    void vmware() {
        assertThat(generate("vmware", Map.of()).env()).isEqualTo(Map.of("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never",
                "VMWARE_HOST", "https://foo.invalid", "VMWARE_PASSWORD", "fooo", "VMWARE_USER", "fooo",
                "VMWARE_VALIDATE_CERTS", "False"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"azure_rm", "ec2", "gce", "vmware", "openstack", "rhv", "satellite6", "controller", "insights"})
    void thePluginFileIsTheSourceVariablesWithAwxsPluginNameAndNoSecret(String source) {
        InventoryPluginInjector injector = InventoryPluginInjector.forSource(source).orElseThrow();
        Map<String, Object> vars = new LinkedHashMap<>(Map.of("base_source_var", "value_of_var", "plugin", injector.properName()));
        Map<String, Object> file = injector.inventoryAsDict(vars, fakeInputs(source));
        String plugin = switch (source) {
            case "ec2" -> "aws_ec2";
            case "gce" -> "gcp_compute";
            case "vmware" -> "vmware_vm_inventory";
            case "rhv" -> "ovirt";
            case "satellite6" -> "theforeman.foreman.foreman";
            case "controller" -> "tower";
            case "insights" -> "redhatinsights.insights.insights";
            default -> source;
        };
        Map<String, Object> expected = new LinkedHashMap<>(Map.of("base_source_var", "value_of_var", "plugin", plugin));
        if (source.equals("gce")) { // the credential's project, as the source sets no projects
            expected.put("projects", List.of("fooo"));
        }
        assertThat(file).isEqualTo(expected);
        assertThat(injector.filename()).isEqualTo(plugin.substring(plugin.lastIndexOf('.') + 1) + ".yml");
        assertThat(String.valueOf(file)).doesNotContain("fooo\", \"password").doesNotContain(KEY);
    }

    @Test
    void aGceSourceThatNamesItsProjectsKeepsThem() {
        Map<String, Object> file = InventoryPluginInjector.forSource("gce").orElseThrow()
                .inventoryAsDict(Map.of("projects", List.of("mine")), Map.of("project", "theirs"));
        assertThat(file).containsEntry("projects", List.of("mine"));
    }

    @Test
    void scmAndFileSourcesHaveNoInjector() {
        assertThat(InventoryPluginInjector.forSource("scm")).isEmpty();
        assertThat(InventoryPluginInjector.forSource("file")).isEmpty();
    }
}
