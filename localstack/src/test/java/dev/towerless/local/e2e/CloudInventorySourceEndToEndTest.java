package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ec2 inventory sources synced for real: amazon.aws.aws_ec2 (Debian's ansible) reads EC2
 * instances from moto_server on 127.0.0.1, and the import applies AWX's overwrite,
 * overwrite_vars, enabled_var/enabled_value and host_filter; update_cache_timeout spares a launch
 * a fresh sync. The plugin is pointed at moto through AWX_TASK_ENV, as an operator would point
 * every run at an endpoint: {@code AWS_ENDPOINT_URL} (honoured by botocore 1.31 and later) and,
 * for Debian's botocore 1.29 which ignores it, an endpoint rule set in {@code AWS_DATA_PATH}.
 * amazon.aws 5.5.1's aws_ec2 has no endpoint option of its own.
 */
class CloudInventorySourceEndToEndTest {
    private static final String SECRET = "moto-secret-key-4f2a9c";
    private static Ec2Emulator ec2;
    private static Object taskEnvBefore;

    @BeforeAll
    static void cloud() throws Exception {
        ec2 = Ec2Emulator.start();
        if (ec2.available()) {
            ApiClient admin = LocalStackFixture.admin();
            taskEnvBefore = admin.get("settings/jobs/").json().get("AWX_TASK_ENV");
            assertThat(admin.patch("settings/jobs/", Map.of("AWX_TASK_ENV", ec2.taskEnv())).status()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        if (taskEnvBefore != null) {
            LocalStackFixture.admin().patch("settings/jobs/", Map.of("AWX_TASK_ENV", taskEnvBefore));
        }
        ec2.close();
    }

    private static long awsCredential(Scenario s) {
        return Scenario.id(s.api.create("credentials/", ManagedCredentialTypesEndToEndTest.credential(s, "aws",
                ManagedCredentialTypes.AMAZON_WEB_SERVICES, Map.of("username", "AKIAMOTOTOWERLESS", "password", SECRET))));
    }

    private static Map<String, Object> sync(Scenario s, long source) throws InterruptedException {
        ApiClient.Response started = s.api.post("inventory_sources/" + source + "/update/", Map.of());
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        long update = ((Number) started.json().get("inventory_update")).longValue();
        Map<String, Object> done = s.awaitFinished("inventory_updates/" + update + "/", Duration.ofMinutes(2));
        assertThat(done.get("status")).as(String.valueOf(done)).isEqualTo("successful");
        return done;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> hosts(Scenario s, long inventory) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object h : (List<Object>) s.api.get("inventories/" + inventory + "/hosts/?page_size=200").json().get("results")) {
            Map<String, Object> host = (Map<String, Object>) h;
            out.put((String) host.get("name"), host);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> groups(Scenario s, long inventory) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Object g : (List<Object>) s.api.get("inventories/" + inventory + "/groups/?page_size=200").json().get("results")) {
            Map<String, Object> group = (Map<String, Object>) g;
            List<String> members = new ArrayList<>();
            for (Object h : (List<Object>) s.api.get("groups/" + group.get("id") + "/hosts/").json().get("results")) {
                members.add((String) ((Map<String, Object>) h).get("name"));
            }
            out.put((String) group.get("name"), members);
        }
        return out;
    }

    private static final String SOURCE_VARS = Ec2Emulator.SOURCE_VARS;

    @Test
    @SuppressWarnings("unchecked")
    void anEc2SourceSyncsTheInstancesWithTheirTagsAsGroupsAndKeepsItsSecretOutOfTheRecord() throws Exception {
        Assumptions.assumeTrue(ec2.available(), ec2.why());
        Scenario s = new Scenario();
        long inventory = Scenario.id(s.api.create("inventories/", Map.of("name", "ec2-" + s.tag, "organization", s.org)));
        long source = Scenario.id(s.api.create("inventory_sources/", Map.of("name", "ec2 " + s.tag, "inventory", inventory,
                "source", "ec2", "credential", awsCredential(s), "source_vars", SOURCE_VARS)));
        Map<String, Object> done = sync(s, source);

        Map<String, Map<String, Object>> hosts = hosts(s, inventory);
        assertThat(hosts).containsOnlyKeys("web1", "web2", "db1");
        assertThat(hosts.get("web1")).containsEntry("instance_id", ec2.instanceId("web1")).containsEntry("enabled", true);
        assertThat((String) hosts.get("web1").get("variables")).contains("\"role\":\"web\"").contains("\"private_ip_address\"");
        // AWX's EC2_ENABLED_VAR (ec2_state) is not among aws_ec2's variables: every host is enabled.
        assertThat(hosts.get("web2")).containsEntry("enabled", true);
        Map<String, List<String>> groups = groups(s, inventory);
        assertThat(groups).containsKeys("aws_ec2", "tag_role_web", "tag_role_db", "tag_Name_web1");
        assertThat(groups.get("tag_role_web")).containsExactlyInAnyOrder("web1", "web2");
        assertThat(groups.get("tag_role_db")).containsExactly("db1");

        // What the update recorded: the plugin file in argv, the secret nowhere.
        assertThat((String) done.get("job_args")).contains("inventory/aws_ec2.yml").doesNotContain(SECRET);
        Map<String, Object> env = (Map<String, Object>) done.get("job_env");
        assertThat(env).containsEntry("AWS_ACCESS_KEY_ID", "AKIAMOTOTOWERLESS").containsEntry("AWS_SECRET_ACCESS_KEY", "**********")
                .containsEntry("ANSIBLE_INVENTORY_ENABLED", "auto").containsEntry("ANSIBLE_JINJA2_NATIVE", "True")
                .containsEntry("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never");
        assertThat(String.valueOf(done)).doesNotContain(SECRET);
        String stdout = s.api.get("inventory_updates/" + done.get("id") + "/stdout/?format=txt").body();
        assertThat(stdout).contains("amazon.aws.aws_ec2").doesNotContain(SECRET);

        // enabled_var / enabled_value: the instance's state decides. A host the sync does not change is not written.
        Object web1Modified = hosts.get("web1").get("modified");
        s.api.patch("inventory_sources/" + source + "/", Map.of("enabled_var", "state.name", "enabled_value", "running"));
        sync(s, source);
        hosts = hosts(s, inventory);
        assertThat(hosts.get("web1")).containsEntry("enabled", true).containsEntry("modified", web1Modified);
        assertThat(hosts.get("web2")).containsEntry("enabled", false);
    }

    @Test
    void overwriteOverwriteVarsAndHostFilterBehaveAsInAwx() throws Exception {
        Assumptions.assumeTrue(ec2.available(), ec2.why());
        ec2.launch("web3", "web");
        Scenario s = new Scenario();
        long inventory = Scenario.id(s.api.create("inventories/", Map.of("name", "ec2-ow-" + s.tag, "organization", s.org)));
        long source = Scenario.id(s.api.create("inventory_sources/", Map.of("name", "ec2 ow " + s.tag, "inventory", inventory,
                "source", "ec2", "credential", awsCredential(s), "source_vars", SOURCE_VARS, "host_filter", "^web")));
        sync(s, source);
        // host_filter: a regex matched at the start of the name; db1 is not imported, nor its (empty) group.
        assertThat(hosts(s, inventory)).containsOnlyKeys("web1", "web2", "web3");
        assertThat(groups(s, inventory)).doesNotContainKey("tag_role_db").containsKey("tag_role_web");

        // A host, a membership and a variable added by hand.
        long manual = Scenario.id(s.api.create("inventories/" + inventory + "/hosts/", Map.of("name", "manual")));
        long web1 = ((Number) hosts(s, inventory).get("web1").get("id")).longValue();
        String vars = (String) s.api.get("hosts/" + web1 + "/").json().get("variables");
        assertThat(s.api.patch("hosts/" + web1 + "/", Map.of("variables", vars.replaceFirst("\\{", "{\"hand_set\":\"me\","))).status())
                .isEqualTo(200);
        long webGroup = ((Number) ((Map<?, ?>) ((List<?>) s.api.get("inventories/" + inventory + "/groups/?name=tag_role_web")
                .json().get("results")).get(0)).get("id")).longValue();
        assertThat(s.api.post("groups/" + webGroup + "/hosts/", Map.of("id", manual)).status()).isEqualTo(204);

        // Without overwrite nothing goes: not web2 (no longer matching), not web3 (terminated), not the hand-made additions.
        ec2.terminate("web3");
        s.api.patch("inventory_sources/" + source + "/", Map.of("host_filter", "^web1"));
        sync(s, source);
        assertThat(hosts(s, inventory)).containsOnlyKeys("web1", "web2", "web3", "manual");
        assertThat((String) s.api.get("hosts/" + web1 + "/").json().get("variables")).contains("\"hand_set\":\"me\"");

        // overwrite: what this source imported and no longer lists goes; the hand-made host and membership stay.
        s.api.patch("inventory_sources/" + source + "/", Map.of("overwrite", true));
        sync(s, source);
        assertThat(hosts(s, inventory)).containsOnlyKeys("web1", "manual");
        assertThat(((Number) hosts(s, inventory).get("web1").get("id")).longValue()).isEqualTo(web1);
        assertThat(groups(s, inventory).get("tag_role_web")).containsExactlyInAnyOrder("web1", "manual");
        assertThat((String) s.api.get("hosts/" + web1 + "/").json().get("variables")).contains("\"hand_set\":\"me\"");

        // overwrite_vars: the source's variables replace the host's.
        s.api.patch("inventory_sources/" + source + "/", Map.of("overwrite_vars", true));
        sync(s, source);
        assertThat((String) s.api.get("hosts/" + web1 + "/").json().get("variables")).doesNotContain("hand_set")
                .contains("\"role\":\"web\"");

        // Every live instance again; the terminated one does not come back.
        s.api.patch("inventory_sources/" + source + "/", Map.of("host_filter", ""));
        sync(s, source);
        assertThat(hosts(s, inventory)).containsOnlyKeys("web1", "web2", "db1", "manual");
        assertThat(groups(s, inventory).get("tag_role_db")).containsExactly("db1");
    }

    @Test
    void updateCacheTimeoutSparesALaunchAFreshSyncAsAwxsTaskManagerDoes() throws Exception {
        Assumptions.assumeTrue(ec2.available(), ec2.why());
        Scenario s = new Scenario(); // its inventory has localhost; the source imports no host (host_filter)
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long source = Scenario.id(s.api.create("inventory_sources/", Map.of("name", "ec2 uol " + s.tag, "inventory", s.inventory,
                "source", "ec2", "credential", awsCredential(s), "source_vars", SOURCE_VARS, "host_filter", "^nothing",
                "update_on_launch", true, "update_cache_timeout", 3600)));
        long template = s.template(project, "hello.yml", Map.of());
        String updates = "inventory_sources/" + source + "/inventory_updates/?launch_type=dependency";
        for (int launch = 1; launch <= 2; launch++) {
            Map<String, Object> job = s.awaitFinished("jobs/" + s.launch(template, Map.of()) + "/", Duration.ofMinutes(2));
            assertThat(job).containsEntry("status", "successful");
            assertThat(s.api.get(updates).json()).as("launch " + launch).containsEntry("count", 1);
        }
        // Without a cache window every launch syncs first.
        s.api.patch("inventory_sources/" + source + "/", Map.of("update_cache_timeout", 0));
        Map<String, Object> job = s.awaitFinished("jobs/" + s.launch(template, Map.of()) + "/", Duration.ofMinutes(2));
        assertThat(job).containsEntry("status", "successful");
        assertThat(s.api.get(updates).json()).containsEntry("count", 2);
    }
}
