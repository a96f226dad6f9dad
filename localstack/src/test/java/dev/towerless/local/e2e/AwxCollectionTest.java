package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compatibility client nobody here wrote: the awx.awx collection (Debian's ansible package)
 * drives the local stack through its modules, unchanged.
 */
class AwxCollectionTest {
    private static final Path PLAYBOOK = Path.of("src/test/resources/awx/site.yml").toAbsolutePath();

    @Test
    @SuppressWarnings("unchecked")
    void aPlaybookOfAwxModulesBuildsLaunchesAndIsIdempotent() throws Exception {
        Path results = Files.createTempFile("awx-results-", ".json");
        String prefix = "awx-" + Long.toString(System.nanoTime(), 36);

        Run first = run(prefix, results);
        assertThat(first.exitCode).as(first.output).isZero();
        Map<String, Object> r = new ObjectMapper().readValue(results.toFile(), Map.class);
        assertThat((Map<String, Object>) r.get("launched")).containsEntry("status", "successful");
        assertThat((Map<String, Object>) r.get("waited")).containsEntry("status", "successful");
        assertThat((Map<String, Object>) r.get("failing")).containsEntry("failed", true);
        assertThat(String.valueOf(((Map<String, Object>) r.get("failing")).get("msg"))).contains("failed");
        assertThat((Map<String, Object>) r.get("adhoc")).containsEntry("status", "successful");
        assertThat(((Number) r.get("listed")).intValue()).isPositive();
        long job = ((Number) ((Map<String, Object>) r.get("launched")).get("id")).longValue();
        assertThat(LocalStackFixture.admin().get("jobs/" + job + "/stdout/").body())
                .contains("Hello, the collection! This play runs on localhost.");

        List<Map<String, Object>> schedules = (List<Map<String, Object>>) LocalStackFixture.admin()
                .get("schedules/?name=" + java.net.URLEncoder.encode(prefix + " nightly", java.nio.charset.StandardCharsets.UTF_8))
                .json().get("results");
        assertThat(schedules).singleElement().satisfies(s -> assertThat(s)
                .containsEntry("next_run", "2030-01-01T01:00:00Z").containsEntry("timezone", "Europe/Paris"));

        // the smart inventory the collection made lists the host its filter matches
        List<Map<String, Object>> smart = (List<Map<String, Object>>) LocalStackFixture.admin()
                .get("inventories/?name=" + java.net.URLEncoder.encode(prefix + " Smart", java.nio.charset.StandardCharsets.UTF_8))
                .json().get("results");
        assertThat(smart).singleElement().satisfies(i -> assertThat(i).containsEntry("kind", "smart").containsEntry("total_hosts", 1));
        assertThat(LocalStackFixture.admin().get("inventories/" + smart.get(0).get("id") + "/hosts/").json()).containsEntry("count", 1);
        // copy_from: AWX's 201 with the new inventory, its host and group copied in the background.
        Map<String, Object> copy = ((List<Map<String, Object>>) LocalStackFixture.admin().get("inventories/?name="
                + java.net.URLEncoder.encode(prefix + " Inventory copy", java.nio.charset.StandardCharsets.UTF_8)).json()
                .get("results")).get(0);
        long copyId = ((Number) copy.get("id")).longValue();
        DeepCopyEndToEndTest.awaitCopied(dev.towerless.core.resources.ResourceTypes.INVENTORY, copyId);
        assertThat(String.valueOf(copy.get("variables"))).contains("towerless");
        assertThat((List<Map<String, Object>>) LocalStackFixture.admin().get("inventories/" + copyId + "/hosts/").json().get("results"))
                .extracting(h -> h.get("name")).containsExactly("localhost");
        Map<String, Object> group = ((List<Map<String, Object>>) LocalStackFixture.admin().get("inventories/" + copyId + "/groups/")
                .json().get("results")).get(0);
        assertThat((List<Map<String, Object>>) LocalStackFixture.admin().get("groups/" + group.get("id") + "/hosts/").json()
                .get("results")).extracting(h -> h.get("inventory")).containsExactly((int) copyId);
        Map<String, Object> prompted = LocalStackFixture.admin().get("jobs/" + ((Number) r.get("prompted")).longValue() + "/").json();
        assertThat(prompted).as("every prompt reached the job").containsEntry("status", "successful").containsEntry("limit", "localhost")
                .containsEntry("job_tags", "always,hello").containsEntry("skip_tags", "never").containsEntry("verbosity", 1)
                .containsEntry("diff_mode", true).containsEntry("forks", 3).containsEntry("timeout", 300).containsEntry("scm_branch", "main");
        assertThat(String.valueOf(prompted.get("extra_vars"))).contains("every prompt");
        assertThat(LocalStackFixture.admin().get("jobs/" + prompted.get("id") + "/labels/").body()).contains(prefix + " label");
        assertThat(LocalStackFixture.admin().get("job_templates/?name=" + java.net.URLEncoder.encode(prefix + " Hello copy",
                java.nio.charset.StandardCharsets.UTF_8)).json()).containsEntry("count", 1);
        for (String type : List.of("Amazon Web Services", "OpenStack", "Insights", "OpenShift or Kubernetes API Bearer Token",
                "Ansible Galaxy/Automation Hub API Token", "Red Hat Ansible Automation Platform")) {
            assertThat(LocalStackFixture.admin().get("credentials/?name=" + java.net.URLEncoder.encode(prefix + " " + type,
                    java.nio.charset.StandardCharsets.UTF_8)).json()).as(type).containsEntry("count", 1);
        }

        Run second = run(prefix, results);
        assertThat(second.exitCode).as(second.output).isZero();
        // Resource tasks report no change the second time, as against AWX; only launches change.
        assertThat(second.changedTasks()).containsExactlyInAnyOrder("Launch with every prompt", "Launch and wait", "Ad hoc command");
    }

    /** An ec2 inventory source created and synced through the collection (against moto where it runs), then unchanged on a rerun. */
    @Test
    @SuppressWarnings("unchecked")
    void anEc2InventorySourceIsSetAndSyncedByTheCollection() throws Exception {
        String prefix = "ec2-" + Long.toString(System.nanoTime(), 36);
        Path playbook = Path.of("src/test/resources/awx/ec2.yml").toAbsolutePath();
        ApiClient admin = LocalStackFixture.admin();
        Object taskEnvBefore = admin.get("settings/jobs/").json().get("AWX_TASK_ENV");
        try (Ec2Emulator ec2 = Ec2Emulator.start()) {
            Map<String, String> vars = new java.util.HashMap<>(Map.of("prefix", prefix));
            if (ec2.available()) {
                vars.put("ec2_endpoint", ec2.taskEnv().get("AWS_ENDPOINT_URL"));
                vars.put("ec2_data_path", ec2.taskEnv().get("AWS_DATA_PATH"));
            }
            Run first = ansiblePlaybook(playbook, vars);
            assertThat(first.exitCode).as(first.output).isZero();
            Map<String, Object> source = only(admin.get("inventory_sources/?name=" + enc(prefix + " EC2 source")));
            assertThat(source).containsEntry("source", "ec2").containsEntry("overwrite", true).containsEntry("update_cache_timeout", 600);
            if (ec2.available()) {
                List<Map<String, Object>> hosts = (List<Map<String, Object>>) admin.get("inventories/" + source.get("inventory")
                        + "/hosts/").json().get("results");
                assertThat(hosts).extracting(h -> h.get("name")).contains("web1", "db1");
            }
            Run second = ansiblePlaybook(playbook, vars);
            assertThat(second.exitCode).as(second.output).isZero();
            // Only the sync (a launch) changes anything the second time.
            assertThat(second.changedTasks()).as(second.output)
                    .isEqualTo(ec2.available() ? List.of("Sync EC2") : List.of());
        } finally {
            admin.patch("settings/jobs/", Map.of("AWX_TASK_ENV", taskEnvBefore == null ? Map.of() : taskEnvBefore));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOtherModulesUsersSetWorkToo() throws Exception {
        Path results = Files.createTempFile("awx-more-", ".json");
        // The webhook the collection's notification template points at.
        List<String> hooks = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            hooks.add(exchange.getRequestHeaders().getFirst("X-Source") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Run run = ansiblePlaybook(Path.of("src/test/resources/awx/more.yml").toAbsolutePath(), Map.of(
                "prefix", "more-" + Long.toString(System.nanoTime(), 36), "repo_url", LocalStackFixture.sampleRepoUrl(),
                "results_file", results.toString(),
                "webhook_url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
        try {
            assertThat(run.exitCode).as(run.output).isZero();
            Map<String, Object> r = new ObjectMapper().readValue(results.toFile(), Map.class);
            long job = ((Number) r.get("echoed")).longValue();
            assertThat(LocalStackFixture.admin().get("jobs/" + job + "/stdout/").body()).contains("greeting=hello-from-settings");
            assertThat(LocalStackFixture.admin().get("settings/jobs/").json()).containsEntry("ALLOW_JINJA_IN_EXTRA_VARS", "never");
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
            while (hooks.isEmpty() && java.time.Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            // The echo template runs twice (alone, then in the workflow): one notification each.
            assertThat(hooks).as("the success notification the collection attached")
                    .filteredOn(h -> h.contains("\"id\":" + job + ",")).singleElement().asString()
                    .startsWith("awx.awx {").contains("\"status\":\"successful\"");
            long flowed = ((Number) r.get("flowed")).longValue();
            assertThat(LocalStackFixture.admin().get("workflow_jobs/" + flowed + "/").json()).containsEntry("status", "successful");
            List<Map<String, Object>> flowNodes = (List<Map<String, Object>>) LocalStackFixture.admin()
                    .get("workflow_jobs/" + flowed + "/workflow_nodes/").json().get("results");
            assertThat(flowNodes).hasSize(2).allSatisfy(n -> assertThat(n.get("job")).isNotNull());
            long bulk = ((Number) r.get("bulk")).longValue();
            assertThat(LocalStackFixture.admin().get("workflow_jobs/" + bulk + "/").json()).as("the bulk launch")
                    .containsEntry("status", "successful");
            assertThat(LocalStackFixture.admin().get("hosts/?name__startswith=bulk-").body()).contains("bulk-1.", "bulk-2.");
            long gated = ((Number) r.get("gated")).longValue();
            assertThat(LocalStackFixture.admin().get("workflow_jobs/" + gated + "/").json()).containsEntry("status", "successful");
            long surveyed = ((Number) r.get("surveyed")).longValue();
            assertThat(LocalStackFixture.admin().get("jobs/" + surveyed + "/stdout/").body()).contains("message=answered-by-survey");
        } finally {
            receiver.stop(0);
            LocalStackFixture.admin().delete("settings/all/");
        }
    }

    /** awx.awx's user, team and role modules, run twice: the grants hold for the users, and the second run changes nothing. */
    @Test
    @SuppressWarnings("unchecked")
    void usersTeamsAndRolesAreSetByTheCollectionAndHold() throws Exception {
        String prefix = "acl-" + Long.toString(System.nanoTime(), 36);
        Path playbook = Path.of("src/test/resources/awx/access.yml").toAbsolutePath();
        Map<String, String> vars = Map.of("prefix", prefix, "repo_url", LocalStackFixture.sampleRepoUrl());
        Map<String, String> firstVars = new java.util.HashMap<>(vars);
        firstVars.put("first_run", "true");
        Run first = ansiblePlaybook(playbook, firstVars);
        assertThat(first.exitCode).as(first.output).isZero();
        assertThat(first.changedTasks()).contains("Alice joins the team", "Bob administers the organization", "and leaves it");

        ApiClient admin = LocalStackFixture.admin();
        ApiClient alice = basic(prefix + "-alice", "Passw0rd-for-alice");
        ApiClient bob = basic(prefix + "-bob", "Passw0rd-for-bob");
        Map<String, Object> template = only(admin.get("job_templates/?name=" + enc(prefix + " Deploy")));
        long templateId = ((Number) template.get("id")).longValue();
        // through the team: alice may run the template and use the credential, and audits the organization
        Map<String, Object> seen = alice.get("job_templates/" + templateId + "/").json();
        assertThat((Map<String, Object>) ((Map<String, Object>) seen.get("summary_fields")).get("user_capabilities"))
                .containsEntry("start", true).containsEntry("edit", false);
        assertThat(((Number) alice.get("credentials/?name=" + enc(prefix + " Vault")).json().get("count")).intValue()).isEqualTo(1);
        Map<String, Object> org = only(alice.get("organizations/?name=" + enc(prefix + " Org")));
        assertThat((Map<String, Object>) ((Map<String, Object>) org.get("summary_fields")).get("user_capabilities"))
                .containsEntry("edit", false);
        // bob administers the organization, so the template in it too
        assertThat(bob.patch("job_templates/" + templateId + "/", Map.of("description", "bob was here")).status()).isEqualTo(200);
        // alice left the temps team: it lists her no more
        Map<String, Object> temps = only(admin.get("teams/?name=" + enc(prefix + " Temps")));
        assertThat(((Number) admin.get("teams/" + temps.get("id") + "/users/").json().get("count")).intValue()).isZero();

        Run second = ansiblePlaybook(playbook, vars);
        assertThat(second.exitCode).as(second.output).isZero();
        assertThat(second.changedTasks()).as(second.output).isEmpty();
    }

    private static ApiClient basic(String user, String password) {
        return new ApiClient(LocalStackFixture.stack().apiUrl(), null, "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> only(ApiClient.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<Map<String, Object>> results = (List<Map<String, Object>>) r.json().get("results");
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void badInputFailsWithTheCollectionsNormalError() throws Exception {
        Path playbook = Files.createTempFile("awx-bad-", ".yml");
        Files.writeString(playbook, """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - awx.awx.inventory:
                        name: orphan
                        organization: No Such Organization
                        controller_host: "{{ controller_host }}"
                        controller_oauthtoken: "{{ controller_oauthtoken }}"
                """);
        Run run = ansiblePlaybook(playbook, Map.of());
        assertThat(run.exitCode).isNotZero();
        assertThat(run.output).contains("Request to /api/v2/organizations/?name=No+Such+Organization returned 0 items");

        Files.writeString(playbook, """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - awx.awx.credential:
                        name: wrong kind
                        organization: Default
                        credential_type: No Such Credential Type
                        inputs: {username: x}
                        controller_host: "{{ controller_host }}"
                        controller_oauthtoken: "{{ controller_oauthtoken }}"
                """);
        Run wrongType = ansiblePlaybook(playbook, Map.of());
        assertThat(wrongType.exitCode).isNotZero();
        assertThat(wrongType.output).contains("Request to /api/v2/credential_types/?name=No+Such+Credential+Type returned 0 items");
    }

    private record Run(int exitCode, String output) {
        List<String> changedTasks() {
            List<String> changed = new ArrayList<>();
            Matcher m = Pattern.compile("TASK \\[(.+?)\\] \\*+\\s*\\n(changed)", Pattern.MULTILINE).matcher(output);
            while (m.find()) {
                changed.add(m.group(1));
            }
            return changed;
        }
    }

    private static Run run(String prefix, Path results) throws Exception {
        return ansiblePlaybook(PLAYBOOK, Map.of("prefix", prefix, "repo_url", LocalStackFixture.sampleRepoUrl(),
                "results_file", results.toString()));
    }

    private static Run ansiblePlaybook(Path playbook, Map<String, String> vars) throws Exception {
        var stack = LocalStackFixture.stack();
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook", playbook.toString(),
                "-e", "controller_host=http://127.0.0.1:" + stack.port(), "-e", "controller_oauthtoken=" + stack.adminToken()));
        vars.forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), out);
    }
}
