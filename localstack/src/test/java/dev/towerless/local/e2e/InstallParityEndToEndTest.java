package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Endpoints an AWX install has that the collection's integration playbooks use before they reach
 * the job engine: labels, execution environments, applications, bulk, a group's all_hosts and a
 * workflow's survey.
 */
class InstallParityEndToEndTest {
    private static Scenario s;
    private static long project;

    @BeforeAll
    static void setUp() throws Exception {
        s = new Scenario();
        project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(String path) {
        ApiClient.Response r = s.api.get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return (List<Map<String, Object>>) r.json().get("results");
    }

    @Test
    @SuppressWarnings("unchecked")
    void labelsAreSharedByNameCarriedIntoJobsAndDeletedWithTheirLastCarrier() throws Exception {
        long t = s.template(project, "hello.yml", Map.of());
        String name = "prod-" + s.tag;
        ApiClient.Response first = s.api.post("job_templates/" + t + "/labels/", Map.of("name", name, "organization", s.org));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        long label = first.id();
        long other = s.template(project, "hello.yml", Map.of());
        // the same name in the same organization is the same label, attached rather than made twice
        assertThat(s.api.post("job_templates/" + other + "/labels/", Map.of("name", name, "organization", s.org)).status())
                .isEqualTo(204);
        assertThat(results("labels/?name=" + name)).singleElement().satisfies(l ->
                assertThat(((Number) l.get("id")).longValue()).isEqualTo(label));
        ApiClient.Response duplicate = s.api.post("labels/", Map.of("name", name, "organization", s.org));
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.body()).contains("Label with this Name and Organization already exists.");

        Map<String, Object> summary = (Map<String, Object>) s.api.get("job_templates/" + t + "/").json().get("summary_fields");
        assertThat((Map<String, Object>) summary.get("labels")).containsEntry("count", 1);

        long job = s.launch(t, Map.of());
        assertThat(s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");
        assertThat(results("jobs/" + job + "/labels/")).extracting(l -> l.get("name")).containsExactly(name);

        assertThat(s.api.delete("labels/" + label + "/").status()).isEqualTo(405);
        assertThat(s.api.post("job_templates/" + t + "/labels/", Map.of("id", label, "disassociate", true)).status())
                .isEqualTo(204);
        assertThat(s.api.get("labels/" + label + "/").status()).as("still on the other template").isEqualTo(200);
        assertThat(s.api.post("job_templates/" + other + "/labels/", Map.of("id", label, "disassociate", true)).status())
                .isEqualTo(204);
        assertThat(s.api.get("labels/" + label + "/").status()).as("detached from everything").isEqualTo(404);
    }

    @Test
    void aTemplatesExecutionEnvironmentIsTheOneItsJobsRunIn() throws Exception {
        assertThat(results("execution_environments/?managed=true")).isNotEmpty();
        ApiClient.Response ee = s.api.post("execution_environments/", Map.of("name", "ee-" + s.tag,
                "image", "quay.io/ansible/awx-ee:latest", "organization", s.org, "pull", "missing"));
        assertThat(ee.status()).as(ee.body()).isEqualTo(201);
        ApiClient.Response badPull = s.api.post("execution_environments/", Map.of("name", "ee2-" + s.tag,
                "image", "x", "pull", "sometimes"));
        assertThat(badPull.status()).isEqualTo(400);
        assertThat(badPull.body()).contains("pull");

        long t = s.template(project, "hello.yml", Map.of("execution_environment", ee.id()));
        long job = s.launch(t, Map.of());
        assertThat(((Number) s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1)).get("execution_environment"))
                .longValue()).isEqualTo(ee.id());
        assertThat(results("execution_environments/" + ee.id() + "/unified_job_templates/"))
                .extracting(u -> ((Number) u.get("id")).longValue()).containsExactly(t);
    }

    @Test
    void anApplicationsSecretIsShownOnceAndItsTokensAreListed() {
        ApiClient.Response app = s.api.post("applications/", Map.of("name", "app-" + s.tag, "organization", s.org,
                "client_type", "confidential", "authorization_grant_type", "password"));
        assertThat(app.status()).as(app.body()).isEqualTo(201);
        String secret = String.valueOf(app.json().get("client_secret"));
        assertThat(secret).hasSizeGreaterThan(20);
        assertThat(app.json().get("client_id")).isNotNull();
        assertThat(s.api.get("applications/" + app.id() + "/").body()).doesNotContain(secret);

        ApiClient.Response token = s.api.post("applications/" + app.id() + "/tokens/", Map.of("scope", "read"));
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        assertThat(results("applications/" + app.id() + "/tokens/")).hasSize(1);
        ApiClient.Response badScope = s.api.post("tokens/", Map.of("scope", "admin"));
        assertThat(badScope.status()).isEqualTo(400);
        assertThat(badScope.body()).contains("scope");
    }

    @Test
    @SuppressWarnings("unchecked")
    void bulkCreatesHostsAllOrNothingAndLaunchesJobsAsOneWorkflow() throws Exception {
        long inv = Scenario.id(s.api.create("inventories/", Map.of("name", "bulk-" + s.tag, "organization", s.org)));
        ApiClient.Response hosts = s.api.post("bulk/host_create/", Map.of("inventory", inv, "hosts", List.of(
                Map.of("name", "web1"), Map.of("name", "web2", "variables", "role: web"))));
        assertThat(hosts.status()).as(hosts.body()).isEqualTo(201);
        assertThat((List<Object>) hosts.json().get("hosts")).hasSize(2);
        ApiClient.Response again = s.api.post("bulk/host_create/", Map.of("inventory", inv, "hosts", List.of(
                Map.of("name", "web3"), Map.of("name", "web1"))));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body()).contains("Duplicates found").contains("web1");
        assertThat(results("inventories/" + inv + "/hosts/")).extracting(h -> h.get("name"))
                .as("nothing of the refused request was written").containsExactlyInAnyOrder("web1", "web2");

        long a = s.template(project, "hello.yml", Map.of());
        long b = s.template(project, "echo.yml", Map.of("ask_variables_on_launch", true));
        ApiClient.Response launched = s.api.post("bulk/job_launch/", Map.of("name", "bulk-" + s.tag, "jobs", List.of(
                Map.of("unified_job_template", a), Map.of("unified_job_template", b, "extra_data", Map.of("message", "bulk")))));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        Map<String, Object> wf = s.awaitFinished("workflow_jobs/" + launched.id() + "/", Duration.ofMinutes(2));
        assertThat(wf).containsEntry("status", "successful").containsEntry("is_bulk_job", true);
        List<Map<String, Object>> nodes = results("workflow_jobs/" + launched.id() + "/workflow_nodes/");
        assertThat(nodes).hasSize(2);
        long echoJob = nodes.stream().filter(n -> ((Number) n.get("unified_job_template")).longValue() == b)
                .map(n -> ((Number) n.get("job")).longValue()).findFirst().orElseThrow();
        assertThat(s.api.get("jobs/" + echoJob + "/stdout/?format=txt").body()).contains("message=bulk");

        ApiClient.Response misnamed = s.api.post("bulk/job_launch/", Map.of("jobs", List.of(Map.of("unified_job_template", a,
                "extra_vars", Map.of()))));
        assertThat(misnamed.status()).isEqualTo(400);
        assertThat(misnamed.body()).contains("extra_vars");
        ApiClient.Response unknown = s.api.post("bulk/job_launch/", Map.of("jobs", List.of(Map.of("unified_job_template", 98765432))));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("98765432");
    }

    @Test
    void aGroupsAllHostsIncludeItsChildGroupsHosts() {
        long inv = Scenario.id(s.api.create("inventories/", Map.of("name", "groups-" + s.tag, "organization", s.org)));
        long parent = Scenario.id(s.api.create("inventories/" + inv + "/groups/", Map.of("name", "all-web-" + s.tag)));
        long child = Scenario.id(s.api.create("groups/" + parent + "/children/", Map.of("name", "eu-web-" + s.tag)));
        s.api.create("groups/" + parent + "/hosts/", Map.of("name", "direct-" + s.tag));
        s.api.create("groups/" + child + "/hosts/", Map.of("name", "nested-" + s.tag));
        assertThat(results("groups/" + parent + "/hosts/")).extracting(h -> h.get("name")).containsExactly("direct-" + s.tag);
        assertThat(results("groups/" + parent + "/all_hosts/")).extracting(h -> h.get("name"))
                .containsExactlyInAnyOrder("direct-" + s.tag, "nested-" + s.tag);
    }

    @Test
    void aWorkflowSurveyIsAskedAndItsAnswersReachTheJobs() throws Exception {
        long echo = s.template(project, "echo.yml", Map.of());
        long wf = Scenario.id(s.api.create("workflow_job_templates/", Map.of("name", "wfs-" + s.tag, "organization", s.org,
                "survey_enabled", true)));
        s.api.create("workflow_job_templates/" + wf + "/workflow_nodes/", Map.of("unified_job_template", echo));
        ApiClient.Response spec = s.api.post("workflow_job_templates/" + wf + "/survey_spec/", Map.of("name", "", "description", "",
                "spec", List.of(Map.of("question_name", "Message", "variable", "message", "type", "text", "required", true))));
        assertThat(spec.status()).as(spec.body()).isEqualTo(200);
        assertThat(s.api.get("workflow_job_templates/" + wf + "/survey_spec/").json()).containsKey("spec");

        ApiClient.Response missing = s.api.post("workflow_job_templates/" + wf + "/launch/", Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("'message' value missing");
        ApiClient.Response launched = s.api.post("workflow_job_templates/" + wf + "/launch/",
                Map.of("extra_vars", Map.of("message", "from-the-survey")));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        long wj = ((Number) launched.json().get("workflow_job")).longValue();
        assertThat(s.awaitFinished("workflow_jobs/" + wj + "/", Duration.ofMinutes(2))).containsEntry("status", "successful");
        long job = ((Number) results("workflow_jobs/" + wj + "/workflow_nodes/").get(0).get("job")).longValue();
        assertThat(s.api.get("jobs/" + job + "/stdout/?format=txt").body()).contains("message=from-the-survey");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFreshInstallHasAwxsPreloadData() {
        Map<String, Object> org = results("organizations/?name=Default").get(0);
        long defaultOrg = ((Number) org.get("id")).longValue();
        Map<String, Object> inventory = results("inventories/?name=Demo+Inventory").get(0);
        assertThat(((Number) inventory.get("organization")).longValue()).isEqualTo(defaultOrg);
        assertThat(results("inventories/" + inventory.get("id") + "/hosts/")).extracting(h -> h.get("name")).containsExactly("localhost");
        Map<String, Object> project = results("projects/?name=Demo+Project").get(0);
        assertThat(project).containsEntry("scm_url", "https://github.com/ansible/ansible-tower-samples")
                .containsEntry("status", "successful").doesNotContainKey("playbook_files");
        Map<String, Object> credential = results("credentials/?name=Demo+Credential").get(0);
        assertThat((Map<String, Object>) credential.get("inputs")).containsEntry("username", "admin");
        Map<String, Object> template = results("job_templates/?name=Demo+Job+Template").get(0);
        assertThat(template).containsEntry("playbook", "hello_world.yml").containsEntry("project", project.get("id"))
                .containsEntry("inventory", inventory.get("id"));
        assertThat(results("job_templates/" + template.get("id") + "/credentials/")).extracting(c -> c.get("name"))
                .containsExactly("Demo Credential");
        assertThat(results("instance_groups/?name__in=default,controlplane")).extracting(g -> g.get("name"), g -> g.get("is_container_group"))
                .containsExactlyInAnyOrder(tuple("default", false),
                        tuple("controlplane", false));
        assertThat(s.api.delete("instance_groups/" + results("instance_groups/?name=controlplane").get(0).get("id") + "/").status())
                .as("AWX's built-in groups cannot be deleted").isEqualTo(403);
        assertThat(s.api.get("projects/" + project.get("id") + "/playbooks/").body()).isEqualTo("[\"hello_world.yml\"]");
        assertThat(results("organizations/" + defaultOrg + "/galaxy_credentials/")).singleElement().satisfies(g -> {
            assertThat(g).containsEntry("name", "Ansible Galaxy").containsEntry("kind", "galaxy_api_token");
            assertThat((Map<String, Object>) g.get("inputs")).containsEntry("url", "https://galaxy.ansible.com/");
        });
    }

    @Test
    void theApiRootNamesEndpointsAsAwxDoesAndEveryOneAnswers() {
        Map<String, Object> root = s.api.get("").json();
        assertThat(root.keySet()).startsWith("ping", "instances", "instance_groups", "config", "settings", "me", "organizations");
        assertThat(root).containsEntry("inventory", "/api/v2/inventories/").doesNotContainKey("inventories")
                .containsKeys("workflow_job_templates", "notification_templates", "schedules", "labels", "bulk");
        root.forEach((key, link) -> {
            ApiClient.Response r = s.api.get(String.valueOf(link).substring("/api/v2/".length()));
            assertThat(r.status()).as(key + " → " + link + ": " + r.body()).isEqualTo(200);
        });
    }

    @Test
    void namesAreUniqueWhereAwxSaysSoWithAwxsMessages() {
        String org = "dup-" + s.tag;
        assertThat(s.api.post("organizations/", Map.of("name", org)).status()).isEqualTo(201);
        assertRefused(s.api.post("organizations/", Map.of("name", org)), "name", "Organization with this Name already exists.");
        String team = "team-" + s.tag;
        assertThat(s.api.post("teams/", Map.of("name", team, "organization", s.org)).status()).isEqualTo(201);
        assertRefused(s.api.post("teams/", Map.of("name", team, "organization", s.org)), "__all__",
                "Team with this Organization and Name already exists.");
        assertRefused(s.api.post("inventories/", Map.of("name", "inv-" + s.tag, "organization", s.org)), "__all__",
                "Inventory with this Name and Organization already exists.");
        String projectName = String.valueOf(s.api.get("projects/" + project + "/").json().get("name"));
        assertRefused(s.api.post("projects/", Map.of("name", projectName, "organization", s.org, "scm_type", "git",
                "scm_url", LocalStackFixture.sampleRepoUrl())), "__all__", "Project with this (name, organization) combination already exists.");
        long t = s.template(project, "hello.yml", Map.of());
        String jtName = String.valueOf(s.api.get("job_templates/" + t + "/").json().get("name"));
        assertRefused(s.api.post("job_templates/", Map.of("name", jtName, "project", project, "inventory", s.inventory,
                "playbook", "hello.yml")), "__all__", "JobTemplate with this (name, organization) combination already exists.");
        long other = s.template(project, "hello.yml", Map.of());
        assertRefused(s.api.patch("job_templates/" + other + "/", Map.of("name", jtName)), "__all__",
                "JobTemplate with this (name, organization) combination already exists.");
        assertThat(s.api.patch("job_templates/" + t + "/", Map.of("name", jtName, "description", "same name, itself")).status())
                .isEqualTo(200);
        // hosts and groups made here must not join the inventory the other tests run their jobs against
        long inv = Scenario.id(s.api.create("inventories/", Map.of("name", "names-" + s.tag, "organization", s.org)));
        assertThat(s.api.post("inventories/" + inv + "/hosts/", Map.of("name", "db1")).status()).isEqualTo(201);
        assertRefused(s.api.post("inventories/" + inv + "/hosts/", Map.of("name", "db1")), "__all__",
                "Host with this Name and Inventory already exists.");
        assertThat(s.api.post("inventories/" + inv + "/groups/", Map.of("name", "web")).status()).isEqualTo(201);
        assertRefused(s.api.post("inventories/" + inv + "/hosts/", Map.of("name", "web")), "__all__",
                "A Group with that name already exists.");
        assertRefused(s.api.post("inventories/" + inv + "/groups/", Map.of("name", "db1")), "__all__",
                "A Host with that name already exists.");
        assertRefused(s.api.patch("users/" + Scenario.id(s.api.create("users/", Map.of("username", "u-" + s.tag, "password", "pw")))
                + "/", Map.of("username", "admin")), "username", "A user with that username already exists.");
    }

    @Test
    void anUnknownFieldIsRefusedByNameAndNothingIsWritten() {
        String name = "typo-" + s.tag;
        ApiClient.Response typo = s.api.post("job_templates/", Map.of("name", name, "project", project, "inventory", s.inventory,
                "playbook", "hello.yml", "ask_tag_on_launch", true));
        assertRefused(typo, "ask_tag_on_launch", "Unknown field.");
        assertThat(s.api.get("job_templates/?name=" + name).json()).containsEntry("count", 0);
        long t = s.template(project, "hello.yml", Map.of());
        assertRefused(s.api.patch("job_templates/" + t + "/", Map.of("verbosty", 3)), "verbosty", "Unknown field.");
        // what GET returned may be sent back whole: read-only and shown fields are not refused
        Map<String, Object> shown = s.api.get("job_templates/" + t + "/").json();
        ApiClient.Response put = s.api.put("job_templates/" + t + "/", shown);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void templatesInventoriesWorkflowsProjectsAndCredentialsAreCopiedWithWhatTheyCarry() throws Exception {
        long t = s.template(project, "echo.yml", Map.of("survey_enabled", true));
        s.api.post("job_templates/" + t + "/survey_spec/", Map.of("name", "", "description", "", "spec", List.of(
                Map.of("question_name", "Message", "variable", "message", "type", "text", "required", true))));
        s.api.post("job_templates/" + t + "/labels/", Map.of("name", "copied-" + s.tag, "organization", s.org));
        Map<String, Object> original = s.api.get("job_templates/" + t + "/").json();
        assertThat((Map<String, Object>) original.get("related")).containsEntry("copy", "/api/v2/job_templates/" + t + "/copy/");
        assertThat(s.api.get("job_templates/" + t + "/copy/").json()).containsEntry("can_copy", true);
        assertRefused(s.api.post("job_templates/" + t + "/copy/", Map.of("name", original.get("name"))), "__all__",
                "The original object is already named " + original.get("name") + ", a copy from it cannot have the same name.");
        ApiClient.Response copied = s.api.post("job_templates/" + t + "/copy/", Map.of("name", "copy-of-jt-" + s.tag));
        assertThat(copied.status()).as(copied.body()).isEqualTo(201);
        assertThat(copied.json()).containsEntry("playbook", "echo.yml").containsEntry("survey_enabled", true);
        assertThat(results("job_templates/" + copied.id() + "/labels/")).extracting(l -> l.get("name")).containsExactly("copied-" + s.tag);
        assertThat(s.api.get("job_templates/" + copied.id() + "/survey_spec/").body()).contains("message");

        long inv = Scenario.id(s.api.create("inventories/", Map.of("name", "to-copy-" + s.tag, "organization", s.org)));
        long group = Scenario.id(s.api.create("inventories/" + inv + "/groups/", Map.of("name", "web")));
        s.api.create("groups/" + group + "/hosts/", Map.of("name", "web1"));
        s.api.create("inventories/" + inv + "/hosts/", Map.of("name", "loose"));
        ApiClient.Response invCopy = s.api.post("inventories/" + inv + "/copy/", Map.of("name", "copied-inv-" + s.tag));
        assertThat(invCopy.status()).as(invCopy.body()).isEqualTo(201);
        DeepCopyEndToEndTest.awaitCopied(dev.towerless.core.resources.ResourceTypes.INVENTORY, invCopy.id()); // AWX: in the background
        assertThat(results("inventories/" + invCopy.id() + "/hosts/")).extracting(h -> h.get("name")).containsExactlyInAnyOrder("web1", "loose");
        long copiedGroup = ((Number) results("inventories/" + invCopy.id() + "/groups/").get(0).get("id")).longValue();
        assertThat(copiedGroup).isNotEqualTo(group);
        assertThat(results("groups/" + copiedGroup + "/hosts/")).singleElement().satisfies(h ->
                assertThat(((Number) h.get("inventory")).longValue()).isEqualTo(invCopy.id()));
        assertThat(results("inventories/" + inv + "/hosts/")).hasSize(2);

        long hello = s.template(project, "hello.yml", Map.of());
        long wf = Scenario.id(s.api.create("workflow_job_templates/", Map.of("name", "wf-copy-" + s.tag, "organization", s.org)));
        long first = Scenario.id(s.api.create("workflow_job_templates/" + wf + "/workflow_nodes/", Map.of("unified_job_template", hello)));
        long second = Scenario.id(s.api.create("workflow_job_templates/" + wf + "/workflow_nodes/", Map.of("unified_job_template", hello)));
        s.api.post("workflow_job_template_nodes/" + first + "/success_nodes/", Map.of("id", second));
        ApiClient.Response wfCopy = s.api.post("workflow_job_templates/" + wf + "/copy/", Map.of("name", "wf-copied-" + s.tag));
        assertThat(wfCopy.status()).as(wfCopy.body()).isEqualTo(201);
        DeepCopyEndToEndTest.awaitCopied(dev.towerless.core.resources.ResourceTypes.WORKFLOW_JOB_TEMPLATE, wfCopy.id());
        List<Map<String, Object>> nodes = results("workflow_job_templates/" + wfCopy.id() + "/workflow_nodes/");
        assertThat(nodes).hasSize(2).noneMatch(n -> ((Number) n.get("id")).longValue() == first);
        assertThat(nodes).anySatisfy(n -> assertThat((List<Object>) n.get("success_nodes")).singleElement()
                .satisfies(child -> assertThat(nodes).anyMatch(o -> o.get("id").equals(child))));
        ApiClient.Response ran = s.api.post("workflow_job_templates/" + wfCopy.id() + "/launch/", Map.of());
        assertThat(s.awaitFinished("workflow_jobs/" + ran.json().get("workflow_job") + "/", Duration.ofMinutes(2)))
                .containsEntry("status", "successful");

        long cred = Scenario.id(s.api.create("credentials/", Map.of("name", "cred-" + s.tag, "organization", s.org,
                "credential_type", 1, "inputs", Map.of("username", "deploy", "password", "Copy-Me-" + s.tag))));
        ApiClient.Response credCopy = s.api.post("credentials/" + cred + "/copy/", Map.of("name", "cred-copy-" + s.tag));
        assertThat(credCopy.status()).as(credCopy.body()).isEqualTo(201);
        assertThat((Map<String, Object>) credCopy.json().get("inputs")).containsEntry("username", "deploy")
                .containsEntry("password", "$encrypted$");
        assertThat(credCopy.body()).doesNotContain("Copy-Me-");

        ApiClient.Response projectCopy = s.api.post("projects/" + project + "/copy/", Map.of("name", "proj-copy-" + s.tag));
        assertThat(projectCopy.status()).as(projectCopy.body()).isEqualTo(201);
        assertThat(s.awaitFinished("projects/" + projectCopy.id() + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");
        assertThat(s.api.get("organizations/" + s.org + "/copy/").status()).isEqualTo(404);
    }

    @SuppressWarnings("unchecked")
    private static void assertRefused(ApiClient.Response r, String key, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat((List<String>) r.json().get(key)).as(r.body()).containsExactly(message);
    }
}
