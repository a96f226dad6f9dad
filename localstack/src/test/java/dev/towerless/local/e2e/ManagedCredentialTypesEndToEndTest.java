package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.ports.EventStore;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AWX's managed credential types through the API, and one real ansible job carrying seven of
 * them at once (AWX allows one credential per type): each injection arrives, no secret is shown.
 */
class ManagedCredentialTypesEndToEndTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyManagedTypeIsListedAsAwxListsItAndCannotBeChanged() {
        Scenario s = new Scenario();
        ApiClient.Response list = s.api.get("credential_types/?managed=true&page_size=100");
        List<Map<String, Object>> results = (List<Map<String, Object>>) list.json().get("results");
        assertThat(results).extracting(t -> t.get("name")).contains("Machine", "Source Control", "Vault", "Network",
                "Amazon Web Services", "OpenStack", "VMware vCenter", "Red Hat Satellite 6", "Google Compute Engine",
                "Microsoft Azure Resource Manager", "Red Hat Virtualization", "Red Hat Ansible Automation Platform", "Insights",
                "GitHub Personal Access Token", "GitLab Personal Access Token", "Ansible Galaxy/Automation Hub API Token",
                "Container Registry", "OpenShift or Kubernetes API Bearer Token", "HashiCorp Vault Secret Lookup",
                "CyberArk Central Credential Provider Lookup", "Centrify Vault Credential Provider Lookup",
                "Microsoft Azure Key Vault", "Thycotic Secret Server", "AWS Secrets Manager lookup");
        assertThat(results).hasSize(ManagedCredentialTypes.all().size());
        Map<String, Object> aws = s.api.get("credential_types/" + ManagedCredentialTypes.AMAZON_WEB_SERVICES + "/").json();
        assertThat(aws).containsEntry("name", "Amazon Web Services").containsEntry("kind", "cloud")
                .containsEntry("namespace", "aws").containsEntry("managed", true)
                .containsEntry("inputs", ManagedCredentialTypes.byNamespace("aws").orElseThrow().get("inputs"));
        assertThat(((Map<String, Object>) aws.get("summary_fields")).get("user_capabilities"))
                .isEqualTo(Map.of("edit", false, "delete", false));
        Map<String, Object> galaxy = s.api.get("credential_types/" + ManagedCredentialTypes.GALAXY_API_TOKEN + "/").json();
        assertThat(galaxy).containsEntry("kind", "galaxy").containsEntry("namespace", "galaxy_api_token");

        ApiClient.Response patch = s.api.patch("credential_types/" + ManagedCredentialTypes.OPENSTACK + "/",
                Map.of("description", "mine"));
        assertThat(patch.status()).isEqualTo(403);
        assertThat(patch.json()).containsEntry("detail", "Modifications not allowed for managed credential types");
        ApiClient.Response delete = s.api.delete("credential_types/" + ManagedCredentialTypes.OPENSTACK + "/");
        assertThat(delete.status()).isEqualTo(403);
        assertThat(delete.json()).containsEntry("detail", "Deletion not allowed for managed credential types");
    }

    @Test
    @SuppressWarnings("unchecked")
    void credentialsOfEachKindAreCheckedAsAwxChecksThem() {
        Scenario s = new Scenario();
        ApiClient.Response notAKey = s.api.post("credentials/", credential(s, "gce", ManagedCredentialTypes.GCE,
                Map.of("username", "sa@p.iam", "ssh_key_data", "this is not a key")));
        assertThat(notAKey.status()).isEqualTo(400);
        assertThat(notAKey.json()).isEqualTo(Map.of("inputs", Map.of("ssh_key_data", List.of("Invalid certificate or key."))));

        ApiClient.Response notBoolean = s.api.post("credentials/", credential(s, "net", ManagedCredentialTypes.NETWORK,
                Map.of("username", "admin", "authorize", "yes")));
        assertThat(notBoolean.status()).isEqualTo(400);
        assertThat(notBoolean.json()).isEqualTo(Map.of("inputs", Map.of("authorize", List.of("'yes' is not of type 'boolean'"))));

        ApiClient.Response dependency = s.api.post("credentials/", credential(s, "net2", ManagedCredentialTypes.NETWORK,
                Map.of("username", "admin", "authorize_password", "enable-pw")));
        assertThat(dependency.json()).isEqualTo(Map.of("inputs",
                Map.of("authorize_password", List.of("cannot be set unless \"Authorize\" is set"))));

        ApiClient.Response choice = s.api.post("credentials/", credential(s, "kv", ManagedCredentialTypes.HASHIVAULT_KV,
                Map.of("url", "https://vault.example.com", "api_version", "v3")));
        assertThat(choice.json()).isEqualTo(Map.of("inputs", Map.of("api_version", List.of("'v3' is not one of ['v1', 'v2']"))));

        ApiClient.Response reserved = s.api.post("credentials/", credential(s, "aws", ManagedCredentialTypes.AMAZON_WEB_SERVICES,
                Map.of("username", "AKIA", "password", "$encrypted$")));
        assertThat(reserved.json()).isEqualTo(Map.of("inputs",
                List.of("$encrypted$ is a reserved keyword, and cannot be used for password.")));

        Map<String, Object> userOwned = credential(s, "galaxy", ManagedCredentialTypes.GALAXY_API_TOKEN,
                Map.of("url", "https://galaxy.ansible.com/"));
        userOwned.remove("organization");
        userOwned.put("user", ((List<Map<String, Object>>) s.api.get("me/").json().get("results")).get(0).get("id"));
        ApiClient.Response galaxy = s.api.post("credentials/", userOwned);
        assertThat(galaxy.status()).isEqualTo(400);
        assertThat(galaxy.json()).isEqualTo(Map.of("organization", List.of("Galaxy credentials must be owned by an Organization.")));

        // AWX accepts a credential without its required inputs (a lookup may fill them); booleans stay booleans.
        ApiClient.Response partial = s.api.post("credentials/", credential(s, "os", ManagedCredentialTypes.OPENSTACK,
                Map.of("username", "demo", "verify_ssl", false)));
        assertThat(partial.status()).as(partial.body()).isEqualTo(201);
        assertThat(partial.json()).containsEntry("kind", "openstack").containsEntry("cloud", true)
                .containsEntry("inputs", Map.of("username", "demo", "verify_ssl", false));

        long vault = Scenario.id(s.api.create("credentials/", credential(s, "vault", ManagedCredentialTypes.VAULT,
                Map.of("vault_password", "pw-1234", "vault_id", "prod"))));
        ApiClient.Response vaultId = s.api.patch("credentials/" + vault + "/", Map.of("inputs",
                Map.of("vault_password", "$encrypted$", "vault_id", "dev")));
        assertThat(vaultId.status()).isEqualTo(400);
        assertThat(vaultId.json()).isEqualTo(Map.of("inputs", List.of("Vault IDs cannot be changed once they have been created.")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneJobReceivesWhatSevenManagedTypesInjectAndShowsNoSecret() throws Exception {
        Scenario s = new Scenario();
        String gceKey = rsaPrivateKey();
        Map<String, Long> creds = new LinkedHashMap<>();
        creds.put("aws", Scenario.id(s.api.create("credentials/", credential(s, "aws", ManagedCredentialTypes.AMAZON_WEB_SERVICES,
                Map.of("username", "AKIAEXAMPLE1", "password", "aws-secret-5d1c", "security_token", "sts-token-77aa")))));
        creds.put("gce", Scenario.id(s.api.create("credentials/", credential(s, "gce", ManagedCredentialTypes.GCE,
                Map.of("username", "robot@proj-42.iam.gserviceaccount.com", "project", "proj-42", "ssh_key_data", gceKey)))));
        creds.put("azure", Scenario.id(s.api.create("credentials/", credential(s, "azure", ManagedCredentialTypes.AZURE_RM,
                Map.of("subscription", "sub-0001", "client", "client-0002", "tenant", "tenant-0003",
                        "secret", "azure-secret-9f3e")))));
        creds.put("vmware", Scenario.id(s.api.create("credentials/", credential(s, "vmware", ManagedCredentialTypes.VMWARE,
                Map.of("host", "vcenter.example.com", "username", "administrator@vsphere.local",
                        "password", "vmware-pass-41b2")))));
        creds.put("openstack", Scenario.id(s.api.create("credentials/", credential(s, "openstack", ManagedCredentialTypes.OPENSTACK,
                Map.of("username", "demo", "password", "openstack-pass-c0de", "host", "https://keystone.example.com/v3",
                        "project", "demo-project")))));
        creds.put("k8s", Scenario.id(s.api.create("credentials/", credential(s, "k8s", ManagedCredentialTypes.KUBERNETES_BEARER_TOKEN,
                Map.of("host", "https://k8s.example.com:6443", "bearer_token", "k8s-token-e6a1", "verify_ssl", true,
                        "ssl_ca_cert", "-----BEGIN CERTIFICATE-----\nk8s-ca-body-3b7f\n-----END CERTIFICATE-----")))));
        creds.put("net", Scenario.id(s.api.create("credentials/", credential(s, "net", ManagedCredentialTypes.NETWORK,
                Map.of("username", "netops", "password", "net-pass-8c21", "authorize", true,
                        "authorize_password", "enable-pass-2f90")))));
        List<String> secrets = List.of("aws-secret-5d1c", "sts-token-77aa", "azure-secret-9f3e", "vmware-pass-41b2",
                "openstack-pass-c0de", "k8s-token-e6a1", "k8s-ca-body-3b7f", "net-pass-8c21", "enable-pass-2f90");

        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "cloud_credentials.yml", Map.of());
        for (long c : creds.values()) {
            ApiClient.Response attach = s.api.post("job_templates/" + template + "/credentials/", Map.of("id", c));
            assertThat(attach.status()).as(attach.body()).isEqualTo(204);
        }
        long secondAws = Scenario.id(s.api.create("credentials/", credential(s, "aws-2", ManagedCredentialTypes.AMAZON_WEB_SERVICES,
                Map.of("username", "AKIAOTHER", "password", "other-secret"))));
        ApiClient.Response twice = s.api.post("job_templates/" + template + "/credentials/", Map.of("id", secondAws));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json()).isEqualTo(Map.of("error", "Cannot assign multiple Amazon Web Services credentials."));
        long galaxy = Scenario.id(s.api.create("credentials/", credential(s, "galaxy", ManagedCredentialTypes.GALAXY_API_TOKEN,
                Map.of("url", "https://galaxy.ansible.com/", "token", "galaxy-token-1234"))));
        ApiClient.Response wrongKind = s.api.post("job_templates/" + template + "/credentials/", Map.of("id", galaxy));
        assertThat(wrongKind.json()).isEqualTo(Map.of("error", "Cannot assign a Credential of kind `galaxy`."));

        long job = s.launch(template, Map.of());
        Map<String, Object> finished = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(2));
        String stdout = s.api.get("jobs/" + job + "/stdout/?format=txt").body();
        assertThat(finished).as(stdout).containsEntry("status", "successful");
        assertThat(stdout).contains("aws_access=AKIAEXAMPLE1", "aws_secret=$encrypted$", "aws_session=$encrypted$",
                "gce_email=robot@proj-42.iam.gserviceaccount.com gce_project=proj-42", "gce_file_is_file=True gce_same=True",
                "gce_file_email=robot@proj-42.iam.gserviceaccount.com gce_file_type=service_account",
                "azure_subscription=sub-0001 azure_client=client-0002", "azure_tenant=tenant-0003 azure_secret=$encrypted$",
                "vmware_host=vcenter.example.com vmware_user=administrator@vsphere.local",
                "vmware_password=$encrypted$ vmware_validate=False",
                "os_auth_url=https://keystone.example.com/v3 os_project=demo-project", "os_password=$encrypted$ os_verify=True",
                "k8s_host=https://k8s.example.com:6443 k8s_verify=True", "k8s_token=$encrypted$",
                "net_user=netops net_authorize=1", "net_password=$encrypted$ net_enable=$encrypted$");
        assertThat(stdout).as("the GCE key, printed from its JSON file").contains("gce_key=$encrypted$");
        List<String> keyLines = gceKey.lines().filter(l -> !l.startsWith("-----")).toList();
        List<JobEvent> events = LocalStackFixture.stack().context().getBean(EventStore.class).all(job);
        String detail = s.api.get("jobs/" + job + "/").body();
        for (String secret : concat(secrets, keyLines)) {
            assertThat(stdout).doesNotContain(secret);
            assertThat(detail).doesNotContain(secret);
            assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.stdout() + e.eventData()).doesNotContain(secret));
        }

        // AWX's pre_start check: a credential without its required inputs fails the job before it runs.
        long partial = Scenario.id(s.api.create("credentials/", credential(s, "aws-partial", ManagedCredentialTypes.AMAZON_WEB_SERVICES,
                Map.of("username", "AKIAPARTIAL"))));
        long other = s.template(project, "cloud_credentials.yml", Map.of());
        s.api.post("job_templates/" + other + "/credentials/", Map.of("id", partial));
        long refused = s.launch(other, Map.of());
        Map<String, Object> failed = s.awaitFinished("jobs/" + refused + "/", Duration.ofMinutes(1));
        assertThat(failed).containsEntry("status", "failed").containsEntry("job_explanation",
                "Job cannot start because Credential aws-partial-" + s.tag + " does not provide one or more required fields"
                        + " (password). Task failed pre-start check.");
    }

    static Map<String, Object> credential(Scenario s, String name, long type, Map<String, Object> inputs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name + "-" + s.tag);
        body.put("organization", s.org);
        body.put("credential_type", type);
        body.put("inputs", inputs);
        return body;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** A PKCS#8 RSA key as GCE hands them out ("-----BEGIN PRIVATE KEY-----"). */
    private static String rsaPrivateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }
}
