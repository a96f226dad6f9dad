package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import dev.towerless.api.auth.Authenticator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Smart inventories through the API as a user meets them: a host_filter in AWX's language lists
 * exactly the hosts it matches, jobs run on those hosts (real ansible, local connection), a
 * malformed filter is AWX's 400, and a reader of the smart inventory sees its hosts and no others.
 */
class SmartInventoryEndToEndTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final String LOCAL = "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3";
    private static Scenario s;
    private static ApiClient api;
    private static long project;
    private static long web1;
    private static long web9;
    private static long db1;
    private static long apps;

    @BeforeAll
    static void setUp() throws Exception {
        s = new Scenario();
        api = s.api;
        project = s.project(LocalStackFixture.sampleRepoUrl());
        assertThat(s.awaitFinished("projects/" + project + "/", JOB_TIMEOUT)).containsEntry("status", "successful");
        apps = Scenario.id(api.create("inventories/", Map.of("name", "apps-" + s.tag, "organization", s.org)));
        long dbs = Scenario.id(api.create("inventories/", Map.of("name", "dbs-" + s.tag, "organization", s.org)));
        web1 = host(apps, "web1-" + s.tag);
        db1 = host(apps, "db1-" + s.tag);
        web9 = host(dbs, "web9-" + s.tag);
        // another organization's host matches the filter's text but is not this organization's
        long otherOrg = Scenario.id(api.create("organizations/", Map.of("name", "other-" + s.tag)));
        long otherInv = Scenario.id(api.create("inventories/", Map.of("name", "other-" + s.tag, "organization", otherOrg)));
        host(otherInv, "web5-" + s.tag);
    }

    private static long host(long inventory, String name) {
        return Scenario.id(api.create("inventories/" + inventory + "/hosts/", Map.of("name", name, "variables", LOCAL)));
    }

    private static long smart(String filter) {
        ApiClient.Response r = api.post("inventories/", Map.of("name", "smart-" + System.nanoTime(), "organization", s.org,
                "kind", "smart", "host_filter", filter));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.id();
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(ApiClient client, String path) {
        ApiClient.Response r = client.get(path);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return ((List<Map<String, Object>>) r.json().get("results")).stream().map(h -> (String) h.get("name")).toList();
    }

    private static String webFilter() {
        return "name__icontains=web and name__icontains=" + s.tag;
    }

    @Test
    void aSmartInventoryListsExactlyTheMatchingHostsAndAJobRunsOnThem() throws Exception {
        long smart = smart(webFilter());
        assertThat(names(api, "inventories/" + smart + "/hosts/")).containsExactlyInAnyOrder("web1-" + s.tag, "web9-" + s.tag);
        Map<String, Object> inv = api.get("inventories/" + smart + "/").json();
        assertThat(inv).containsEntry("kind", "smart").containsEntry("host_filter", webFilter()).containsEntry("total_hosts", 2);
        assertThat(names(api, "hosts/" + web1 + "/smart_inventories/")).contains((String) inv.get("name"));
        assertThat(names(api, "hosts/" + db1 + "/smart_inventories/")).doesNotContain((String) inv.get("name"));

        long template = Scenario.id(api.create("job_templates/", Map.of("name", "smart-jt-" + System.nanoTime(), "project", project,
                "inventory", smart, "playbook", "hello.yml")));
        long job = s.launch(template, Map.of());
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", JOB_TIMEOUT);
        String stdout = api.get("jobs/" + job + "/stdout/?format=txt").body();
        assertThat(done).as(stdout).containsEntry("status", "successful");
        assertThat(stdout).contains("This play runs on web1-" + s.tag, "This play runs on web9-" + s.tag)
                .doesNotContain("db1-" + s.tag).doesNotContain("web5-" + s.tag);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ok = (List<Map<String, Object>>) api.get("jobs/" + job + "/job_events/?event=runner_on_ok").json().get("results");
        assertThat(ok).extracting(e -> e.get("host_name")).containsOnly("web1-" + s.tag, "web9-" + s.tag)
                .contains("web1-" + s.tag, "web9-" + s.tag);
    }

    /** With AWX_REBUILD_SMART_MEMBERSHIP off, a host added later is in the next job all the same: launching rebuilds. */
    @Test
    void launchingRebuildsTheMembershipSoTheJobRunsOnTheHostsTheFilterMatchesNow() throws Exception {
        long smart = smart("name__startswith=launch-" + s.tag);
        host(apps, "launch-" + s.tag + "-1");
        assertThat(names(api, "inventories/" + smart + "/hosts/")).isEmpty();
        long template = Scenario.id(api.create("job_templates/", Map.of("name", "launch-jt-" + System.nanoTime(), "project", project,
                "inventory", smart, "playbook", "hello.yml")));
        long job = s.launch(template, Map.of());
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", JOB_TIMEOUT);
        String stdout = api.get("jobs/" + job + "/stdout/?format=txt").body();
        assertThat(done).as(stdout).containsEntry("status", "successful");
        assertThat(stdout).contains("This play runs on launch-" + s.tag + "-1");
        assertThat(names(api, "inventories/" + smart + "/hosts/")).containsExactly("launch-" + s.tag + "-1");
    }

    @Test
    void aJobOnASmartInventoryWithNoHostRunsNothingAndSucceedsAsInAwx() throws Exception {
        long smart = smart("name=nothing-is-called-this-" + s.tag);
        assertThat(api.get("inventories/" + smart + "/").json()).containsEntry("total_hosts", 0);
        long template = Scenario.id(api.create("job_templates/", Map.of("name", "empty-jt-" + System.nanoTime(), "project", project,
                "inventory", smart, "playbook", "hello.yml")));
        long job = s.launch(template, Map.of());
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", JOB_TIMEOUT);
        String stdout = api.get("jobs/" + job + "/stdout/?format=txt").body();
        // ansible-playbook with an empty inventory: a warning, the play skipped, rc 0 (AWX does not refuse the launch)
        assertThat(done).as(stdout).containsEntry("status", "successful");
        assertThat(stdout).contains("skipping: no hosts matched");
    }

    @Test
    void malformedFiltersAndSmartInventoryContentAreRefusedWithAwxsMessages() {
        ApiClient.Response bad = api.post("inventories/", Map.of("name", "bad-" + s.tag, "organization", s.org, "kind", "smart",
                "host_filter", "name__icontains=web and"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).containsEntry("host_filter", List.of("Invalid query name__icontains=web and"));
        ApiClient.Response facts = api.post("inventories/", Map.of("name", "bad-" + s.tag, "organization", s.org, "kind", "smart",
                "host_filter", "ansible_facts__ansible_distribution__icontains=cent"));
        assertThat(facts.status()).isEqualTo(400);
        assertThat(facts.body()).contains("ansible_facts does not support searching with __icontains");
        ApiClient.Response none = api.post("inventories/", Map.of("name", "bad-" + s.tag, "organization", s.org, "kind", "smart"));
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json()).containsEntry("host_filter", List.of("Smart inventories must specify host_filter"));
        ApiClient.Response unknown = api.post("inventories/", Map.of("name", "bad-" + s.tag, "organization", s.org, "kind", "smart",
                "host_filter", "colour=blue"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json()).containsEntry("host_filter", List.of("Host has no field named 'colour'"));
        // AWX's SmartFilterField stores the filter URL-decoded
        long decoded = smart("name=%22web1-" + s.tag + "%22");
        assertThat(api.get("inventories/" + decoded + "/").json()).containsEntry("host_filter", "name=\"web1-" + s.tag + "\"");
        assertThat(names(api, "inventories/" + decoded + "/hosts/")).containsExactly("web1-" + s.tag);

        long smart = smart(webFilter());
        ApiClient.Response host = api.post("inventories/" + smart + "/hosts/", Map.of("name", "web2-" + s.tag));
        assertThat(host.status()).isEqualTo(400);
        assertThat(host.json()).containsEntry("inventory", Map.of("detail", "Cannot create Host for Smart Inventory"));
        ApiClient.Response group = api.post("inventories/" + smart + "/groups/", Map.of("name", "g-" + s.tag));
        assertThat(group.json()).containsEntry("inventory", Map.of("detail", "Cannot create Group for Smart Inventory"));
        ApiClient.Response source = api.post("inventory_sources/", Map.of("name", "src-" + s.tag, "inventory", smart,
                "source", "scm"));
        assertThat(source.status()).as(source.body()).isEqualTo(400);
        assertThat(source.json()).containsEntry("inventory", Map.of("detail", "Cannot create Inventory Source for Smart Inventory"));
        assertThat(names(api, "inventories/" + smart + "/hosts/")).doesNotContain("web2-" + s.tag);
        ApiClient.Response turn = api.patch("inventories/" + apps + "/", Map.of("kind", "smart", "host_filter", "name=x"));
        assertThat(turn.status()).isEqualTo(405);
        assertThat(turn.json()).containsEntry("error", "You cannot turn a regular inventory into a \"smart\" inventory.");
    }

    @Test
    void membershipFollowsHostChangesWhenTheSettingIsOnAndOtherwiseWhenTheSmartInventoryIsSaved() {
        Map<String, Object> system = api.get("settings/system/").json();
        assertThat(system).containsEntry("AWX_REBUILD_SMART_MEMBERSHIP", false); // AWX's default
        long smart = smart("name__startswith=late-" + s.tag);
        long late1 = host(apps, "late-" + s.tag + "-1");
        assertThat(names(api, "inventories/" + smart + "/hosts/")).as("off: host changes rebuild nothing").isEmpty();
        assertThat(api.patch("inventories/" + smart + "/", Map.of("description", "saved")).status()).isEqualTo(200);
        assertThat(names(api, "inventories/" + smart + "/hosts/")).containsExactly("late-" + s.tag + "-1");

        ApiClient.Response on = api.patch("settings/system/", Map.of("AWX_REBUILD_SMART_MEMBERSHIP", true));
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        try {
            assertThat(api.get("settings/system/").json()).containsEntry("AWX_REBUILD_SMART_MEMBERSHIP", true);
            host(apps, "late-" + s.tag + "-2");
            assertThat(names(api, "inventories/" + smart + "/hosts/"))
                    .containsExactlyInAnyOrder("late-" + s.tag + "-1", "late-" + s.tag + "-2");
            api.patch("hosts/" + late1 + "/", Map.of("name", "early-" + s.tag));
            assertThat(names(api, "inventories/" + smart + "/hosts/")).containsExactly("late-" + s.tag + "-2");
            assertThat(api.get("inventories/" + smart + "/").json()).containsEntry("total_hosts", 1);
        } finally {
            api.patch("settings/system/", Map.of("AWX_REBUILD_SMART_MEMBERSHIP", false));
        }
    }

    /** Attack: read on the smart inventory shows its hosts in its listing, and nothing else of theirs or others'. */
    @Test
    void aReaderOfTheSmartInventoryOnlySeesItsHosts() {
        long smart = smart(webFilter());
        long user = Scenario.id(api.create("users/", Map.of("username", "reader-" + s.tag, "password", "pw-" + s.tag)));
        @SuppressWarnings("unchecked")
        Map<String, Object> roles = (Map<String, Object>) ((Map<String, Object>) api.get("inventories/" + smart + "/").json()
                .get("summary_fields")).get("object_roles");
        long readRole = ((Number) ((Map<String, Object>) roles.get("read_role")).get("id")).longValue();
        assertThat(api.post("roles/" + readRole + "/users/", Map.of("id", user)).status()).isEqualTo(204);
        var u = LocalStackFixture.stack().context().getBean(ResourceStore.class).get(ResourceTypes.USER, user).orElseThrow();
        String token = LocalStackFixture.stack().context().getBean(Authenticator.class).issue(u, "test", "read").token();
        ApiClient reader = new ApiClient(LocalStackFixture.stack().apiUrl(), token);

        assertThat(names(reader, "inventories/" + smart + "/hosts/")).containsExactlyInAnyOrder("web1-" + s.tag, "web9-" + s.tag);
        assertThat(names(reader, "inventories/" + smart + "/hosts/?name=db1-" + s.tag)).isEmpty();
        assertThat(reader.get("inventories/" + apps + "/hosts/").status()).isEqualTo(403);
        assertThat(names(reader, "hosts/")).as("hosts/ lists what HostAccess allows: none of these").isEmpty();
        assertThat(reader.get("hosts/" + db1 + "/").status()).isEqualTo(403);
        assertThat(reader.get("hosts/" + web1 + "/").status()).as("AWX: the host's own inventory decides its detail").isEqualTo(403);
        assertThat(reader.post("inventories/" + smart + "/hosts/", Map.of("name", "x-" + s.tag)).status()).isEqualTo(403);
        assertThat(reader.patch("inventories/" + smart + "/", Map.of("host_filter", "name__icontains=db")).status()).isEqualTo(403);
        assertThat(names(api, "inventories/" + smart + "/hosts/")).doesNotContain("db1-" + s.tag);
    }
}
