package dev.towerless.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** AWX 21.14.0's managed credential types: the catalogue, AWX's input checks, and what each type injects. */
class ManagedCredentialTypesTest {

    @Test
    void theCatalogueIsAwxsInRegistryOrderWithTheAwsSecretsManagerLookupLast() {
        List<String> names = ManagedCredentialTypes.all().stream().map(t -> t.get("id") + " " + t.get("namespace") + " "
                + t.get("kind") + " " + t.get("name")).toList();
        assertThat(ManagedCredentialTypes.awxVersion()).isEqualTo("21.14.0");
        assertThat(names).containsExactly(
                "1 ssh ssh Machine", "2 scm scm Source Control", "3 vault vault Vault", "4 net net Network",
                "5 aws cloud Amazon Web Services", "6 openstack cloud OpenStack", "7 vmware cloud VMware vCenter",
                "8 satellite6 cloud Red Hat Satellite 6", "9 gce cloud Google Compute Engine",
                "10 azure_rm cloud Microsoft Azure Resource Manager", "11 github_token token GitHub Personal Access Token",
                "12 gitlab_token token GitLab Personal Access Token", "13 insights insights Insights",
                "14 rhv cloud Red Hat Virtualization", "15 controller cloud Red Hat Ansible Automation Platform",
                "16 kubernetes_bearer_token kubernetes OpenShift or Kubernetes API Bearer Token",
                "17 registry registry Container Registry", "18 galaxy_api_token galaxy Ansible Galaxy/Automation Hub API Token",
                "19 gpg_public_key cryptography GPG Public Key", "20 conjur external CyberArk Conjur Secrets Manager Lookup",
                "21 hashivault_kv external HashiCorp Vault Secret Lookup", "22 hashivault_ssh external HashiCorp Vault Signed SSH",
                "23 azure_kv external Microsoft Azure Key Vault", "24 aim external CyberArk Central Credential Provider Lookup",
                "25 centrify_vault_kv external Centrify Vault Credential Provider Lookup",
                "26 thycotic_dsv external Thycotic DevOps Secrets Vault", "27 thycotic_tss external Thycotic Secret Server",
                "28 aws_secretsmanager_credential external AWS Secrets Manager lookup");
        assertThat(ManagedCredentialTypes.byId(ManagedCredentialTypes.GALAXY_API_TOKEN).orElseThrow()).containsEntry("kind", "galaxy");
        assertThat(ManagedCredentialTypes.byId(ManagedCredentialTypes.MACHINE).orElseThrow()).containsEntry("name", "Machine");
        assertThat(ManagedCredentialTypes.all()).allSatisfy(t -> assertThat(t).containsEntry("managed", true));
    }

    @Test
    void fieldsCarryAwxsAttributes() {
        Map<String, Object> machine = ManagedCredentialTypes.byNamespace("ssh").orElseThrow();
        List<Map<String, Object>> fields = fields(machine);
        assertThat(fields).extracting(f -> f.get("id")).containsExactly("username", "password", "ssh_key_data",
                "ssh_public_key_data", "ssh_key_unlock", "become_method", "become_username", "become_password");
        assertThat(fields.get(2)).isEqualTo(Map.of("id", "ssh_key_data", "label", "SSH Private Key", "type", "string",
                "format", "ssh_private_key", "secret", true, "multiline", true));
        assertThat(fields.get(1)).containsEntry("ask_at_runtime", true);

        Map<String, Object> kv = ManagedCredentialTypes.byNamespace("hashivault_kv").orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> inputs = (Map<String, Object>) kv.get("inputs");
        assertThat(inputs.get("required")).isEqualTo(List.of("url", "secret_path", "api_version", "secret_key"));
        assertThat(fields(kv)).filteredOn(f -> f.get("id").equals("api_version")).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("choices", List.of("v1", "v2")).containsEntry("default", "v1"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metadata = (List<Map<String, Object>>) inputs.get("metadata");
        assertThat(metadata).extracting(f -> f.get("id"))
                .containsExactly("secret_backend", "secret_path", "auth_path", "secret_key", "secret_version");

        Map<String, Object> openstack = ManagedCredentialTypes.byNamespace("openstack").orElseThrow();
        assertThat(fields(openstack)).filteredOn(f -> f.get("id").equals("verify_ssl")).singleElement()
                .isEqualTo(Map.of("id", "verify_ssl", "label", "Verify SSL", "type", "boolean", "default", true));
        assertThat(ManagedCredentialTypes.byNamespace("insights").orElseThrow().get("injectors")).isEqualTo(Map.of(
                "extra_vars", Map.of("scm_username", "{{username}}", "scm_password", "{{password}}"),
                "env", Map.of("INSIGHTS_USER", "{{username}}", "INSIGHTS_PASSWORD", "{{password}}")));
    }

    @Test
    void inputsAreCheckedAsAwxChecksThem() {
        Map<String, Object> net = typeInputs("net");
        assertThat(CredentialInputs.problems(net, true, Map.of("username", "u", "authorize", "yes")))
                .isEqualTo(Map.of("authorize", List.of("'yes' is not of type 'boolean'")));
        assertThat(CredentialInputs.problems(net, true, Map.of("username", "u", "authorize_password", "p")))
                .isEqualTo(Map.of("authorize_password", List.of("cannot be set unless \"Authorize\" is set")));
        assertThat(CredentialInputs.problems(net, true, Map.of("username", "u", "authorize", true, "authorize_password", "p")))
                .isEmpty();
        assertThat(CredentialInputs.problems(net, true, Map.of("password", 42)))
                .as("a secret is never quoted back").isEqualTo(Map.of("password", List.of("secret values must be of type string, not int")));

        Map<String, Object> gce = typeInputs("gce");
        assertThat(CredentialInputs.problems(gce, true, Map.of("username", "a@b", "ssh_key_data", "not a key")))
                .isEqualTo(Map.of("ssh_key_data", List.of("Invalid certificate or key.")));
        Map<String, Object> kv = typeInputs("hashivault_kv");
        assertThat(CredentialInputs.problems(kv, true, Map.of("url", "vault.example.com", "api_version", "v3")))
                .isEqualTo(Map.of("url", List.of("Invalid URL: Missing url scheme (http, https, etc.)"),
                        "api_version", List.of("'v3' is not one of ['v1', 'v2']")));
        assertThat(CredentialInputs.problems(typeInputs("vault"), true, Map.of("vault_password", "x", "vault_id", "a@b")))
                .isEqualTo(Map.of("vault_id", List.of("@ is not an allowed character")));

        assertThat(CredentialInputs.missingRequired(typeInputs("aws"), Map.of("username", ""), List.of()))
                .containsExactly("password", "username");
        assertThat(CredentialInputs.missingRequired(typeInputs("aws"), Map.of("username", "AKIA"), List.of("password")))
                .as("an input source fills it").isEmpty();
        assertThat(CredentialInputs.missingRequiredExplanation("Job", "aws", List.of("password", "username"))).isEqualTo(
                "Job cannot start because Credential aws does not provide one or more required fields (password, username).");
    }

    @Test
    void cloudTypesInjectWhatAwxsInjectorsDo() {
        assertThat(inject("aws", Map.of("username", "AKIA1", "password", "s3cret")).env()).isEqualTo(Map.of(
                "AWS_ACCESS_KEY_ID", "AKIA1", "AWS_SECRET_ACCESS_KEY", "s3cret"));
        assertThat(inject("aws", Map.of("username", "AKIA1", "password", "s3cret", "security_token", "tok")).env())
                .containsEntry("AWS_SECURITY_TOKEN", "tok").containsEntry("AWS_SESSION_TOKEN", "tok");

        Map<String, String> files = new LinkedHashMap<>();
        CustomCredentialTypes.Injection gce = ManagedCredentialTypes.inject("gce", Map.of("username", "sa@p.iam",
                "project", "p-1", "ssh_key_data", "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n"),
                (name, content) -> {
                    files.put(name, content);
                    return "/pd/" + name;
                }, false);
        assertThat(gce.env()).containsEntry("GCE_EMAIL", "sa@p.iam").containsEntry("GCE_PROJECT", "p-1")
                .containsEntry("GCE_CREDENTIALS_FILE_PATH", "/pd/gce").containsEntry("GCP_SERVICE_ACCOUNT_FILE", "/pd/gce")
                .containsEntry("GOOGLE_APPLICATION_CREDENTIALS", "/pd/gce").containsEntry("GCP_AUTH_KIND", "serviceaccount")
                .containsEntry("GCP_PROJECT", "p-1").containsEntry("GCP_ENV_TYPE", "tower");
        assertThat(files.get("gce")).isEqualTo("{\n  \"type\": \"service_account\",\n"
                + "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----\\n\",\n"
                + "  \"client_email\": \"sa@p.iam\",\n  \"project_id\": \"p-1\",\n"
                + "  \"token_uri\": \"https://oauth2.googleapis.com/token\"\n}");
        assertThat(ManagedCredentialTypes.inject("gce", Map.of("username", "sa"), (n, c) -> "/f", true).env())
                .as("inventory updates").doesNotContainKeys("GCE_EMAIL", "GCE_PROJECT");

        assertThat(inject("azure_rm", Map.of("subscription", "sub", "client", "c", "tenant", "t", "secret", "x",
                "username", "u")).env()).isEqualTo(Map.of("AZURE_SUBSCRIPTION_ID", "sub", "AZURE_CLIENT_ID", "c",
                "AZURE_TENANT", "t", "AZURE_SECRET", "x"));
        assertThat(inject("azure_rm", Map.of("subscription", "sub", "username", "u", "password", "p",
                "cloud_environment", "AzureUSGovernment")).env()).isEqualTo(Map.of("AZURE_SUBSCRIPTION_ID", "sub",
                "AZURE_AD_USER", "u", "AZURE_PASSWORD", "p", "AZURE_CLOUD_ENVIRONMENT", "AzureUSGovernment"));
        assertThat(inject("vmware", Map.of("host", "vc", "username", "u", "password", "p")).env()).isEqualTo(Map.of(
                "VMWARE_HOST", "vc", "VMWARE_USER", "u", "VMWARE_PASSWORD", "p", "VMWARE_VALIDATE_CERTS", "False"));
    }

    @Test
    void openstackWritesACloudsYamlWithVerifyDefaultingToTrue() {
        Map<String, String> files = new LinkedHashMap<>();
        CustomCredentialTypes.Injection os = ManagedCredentialTypes.inject("openstack", Map.of("username", "u",
                "password", "p: \"q\"", "host", "https://keystone/v3", "project", "demo", "domain", "Default", "region", "RegionOne"),
                (name, content) -> {
                    files.put(name, content);
                    return "/pd/" + name;
                }, false);
        assertThat(os.env()).isEqualTo(Map.of("OS_CLIENT_CONFIG_FILE", "/pd/openstack"));
        Map<String, Object> parsed = new Yaml().load(files.get("openstack"));
        assertThat(parsed).isEqualTo(Map.of("clouds", Map.of("devstack", Map.of("auth", Map.of("auth_url", "https://keystone/v3",
                "username", "u", "password", "p: \"q\"", "project_name", "demo", "domain_name", "Default"),
                "verify", true, "region_name", "RegionOne"))));
    }

    @Test
    void kubernetesNetworkAndDeclaredInjectors() {
        assertThat(inject("kubernetes_bearer_token", Map.of("host", "https://k8s", "bearer_token", "t")).env())
                .isEqualTo(Map.of("K8S_AUTH_HOST", "https://k8s", "K8S_AUTH_API_KEY", "t", "K8S_AUTH_VERIFY_SSL", "False"));
        assertThat(inject("kubernetes_bearer_token", Map.of("host", "h", "bearer_token", "t", "ssl_ca_cert", "CA")).env())
                .containsEntry("K8S_AUTH_VERIFY_SSL", "True").containsEntry("K8S_AUTH_SSL_CA_CERT", "/pd/k8s_ca");
        assertThat(inject("kubernetes_bearer_token", Map.of("host", "h", "bearer_token", "t", "ssl_ca_cert", "CA",
                "verify_ssl", "false")).env()).containsEntry("K8S_AUTH_VERIFY_SSL", "False").doesNotContainKey("K8S_AUTH_SSL_CA_CERT");

        assertThat(inject("net", Map.of("username", "admin", "password", "p", "authorize", "true", "authorize_password", "en",
                "ssh_key_data", "KEY")).env()).isEqualTo(Map.of("ANSIBLE_NET_USERNAME", "admin", "ANSIBLE_NET_PASSWORD", "p",
                "ANSIBLE_NET_SSH_KEYFILE", "/pd/net_key", "ANSIBLE_NET_AUTHORIZE", "1", "ANSIBLE_NET_AUTH_PASS", "en"));
        assertThat(inject("net", Map.of("username", "admin")).env()).containsEntry("ANSIBLE_NET_AUTHORIZE", "0")
                .doesNotContainKey("ANSIBLE_NET_AUTH_PASS");

        CustomCredentialTypes.Injection insights = inject("insights", Map.of("username", "u", "password", "p"));
        assertThat(insights.env()).isEqualTo(Map.of("INSIGHTS_USER", "u", "INSIGHTS_PASSWORD", "p"));
        assertThat(insights.extraVars()).isEqualTo(Map.of("scm_username", "u", "scm_password", "p"));
        assertThat(inject("controller", Map.of("host", "https://aap", "oauth_token", "tok")).env())
                .containsEntry("TOWER_HOST", "https://aap").containsEntry("CONTROLLER_OAUTH_TOKEN", "tok")
                .containsEntry("CONTROLLER_VERIFY_SSL", "False").containsEntry("TOWER_USERNAME", "");
        Map<String, String> files = new LinkedHashMap<>();
        ManagedCredentialTypes.inject("rhv", Map.of("host", "https://rhv", "username", "u", "password", "p"), (n, c) -> {
            files.put(n, c);
            return "/pd/" + n;
        }, false);
        assertThat(files.get("ovirt")).isEqualTo("[ovirt]\novirt_url=https://rhv\novirt_username=u\novirt_password=p\n");
        assertThat(inject("github_token", Map.of("token", "t")).env()).isEmpty();
        assertThat(ManagedCredentialTypes.galaxyServerEnv(List.of(Map.of("url", "https://galaxy.ansible.com/"),
                Map.of("url", "https://hub", "token", "t", "auth_url", "https://sso")))).isEqualTo(Map.of(
                "ANSIBLE_GALAXY_SERVER_SERVER0_URL", "https://galaxy.ansible.com/", "ANSIBLE_GALAXY_SERVER_SERVER1_URL", "https://hub",
                "ANSIBLE_GALAXY_SERVER_SERVER1_TOKEN", "t", "ANSIBLE_GALAXY_SERVER_SERVER1_AUTH_URL", "https://sso",
                "ANSIBLE_GALAXY_SERVER_LIST", "server0,server1"));
    }

    private static CustomCredentialTypes.Injection inject(String namespace, Map<String, String> inputs) {
        return ManagedCredentialTypes.inject(namespace, inputs, (name, content) -> "/pd/" + name, false);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> typeInputs(String namespace) {
        return (Map<String, Object>) ManagedCredentialTypes.byNamespace(namespace).orElseThrow().get("inputs");
    }

    private static List<Map<String, Object>> fields(Map<String, Object> type) {
        return new ArrayList<>(ManagedCredentialTypes.fields(typeInputsOf(type)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> typeInputsOf(Map<String, Object> type) {
        return (Map<String, Object>) type.get("inputs");
    }
}
