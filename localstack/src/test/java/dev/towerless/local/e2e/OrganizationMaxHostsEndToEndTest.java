package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An organization's max_hosts, attacked through HTTP as AWX's check_org_host_limit refuses it: a
 * host past the limit, a bulk create, a launch and an ad hoc command above it, and an inventory
 * import that would pass it. Each refusal writes nothing.
 */
class OrganizationMaxHostsEndToEndTest {
    private static final String AT_2 = "You have already reached the maximum number of 2 hosts allowed for your organization."
            + " Contact your System Administrator for assistance.";

    @Test
    void aThirdHostIsRefusedWithAwxsMessageAndNothingIsWritten() {
        Scenario s = new Scenario(); // its inventory holds localhost
        assertThat(s.api.patch("organizations/" + s.org + "/", Map.of("max_hosts", 2)).status()).isEqualTo(200);
        assertThat(s.api.post("inventories/" + s.inventory + "/hosts/", Map.of("name", "web1")).status()).isEqualTo(201);

        var third = s.api.post("hosts/", Map.of("name", "web2", "inventory", s.inventory));
        assertThat(third.status()).isEqualTo(403);
        assertThat(third.json()).containsEntry("detail", AT_2);
        long group = Scenario.id(s.api.create("groups/", Map.of("name", "g-" + s.tag, "inventory", s.inventory)));
        var underGroup = s.api.post("groups/" + group + "/hosts/", Map.of("name", "web3"));
        assertThat(underGroup.status()).isEqualTo(403);
        var bulk = s.api.post("bulk/host_create/", Map.of("inventory", s.inventory, "hosts", List.of(Map.of("name", "web4"))));
        assertThat(bulk.status()).isEqualTo(403);
        assertThat(bulk.json()).containsEntry("detail", AT_2);

        // AWX counts distinct names: the same name in another inventory of the organization is no new host.
        long other = Scenario.id(s.api.create("inventories/", Map.of("name", "other-" + s.tag, "organization", s.org)));
        assertThat(s.api.post("inventories/" + other + "/hosts/", Map.of("name", "web1")).status()).isEqualTo(201);
        assertThat(s.api.post("inventories/" + other + "/hosts/", Map.of("name", "web5")).status()).isEqualTo(403);

        assertThat(names(s, "inventories/" + s.inventory + "/hosts/")).containsExactlyInAnyOrder("localhost", "web1");
        assertThat(names(s, "inventories/" + other + "/hosts/")).containsExactly("web1");
        assertThat(s.api.get("hosts/?name__in=web2,web3,web4,web5").json()).containsEntry("count", 0);
        assertThat(s.api.get("groups/" + group + "/hosts/").json()).containsEntry("count", 0);

        // 0 is unlimited, as in AWX.
        assertThat(s.api.patch("organizations/" + s.org + "/", Map.of("max_hosts", 0)).status()).isEqualTo(200);
        assertThat(s.api.post("hosts/", Map.of("name", "web2", "inventory", s.inventory)).status()).isEqualTo(201);
    }

    @Test
    void launchesAboveTheLimitAreRefusedAndCreateNoJob() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "hello.yml", Map.of());
        s.api.post("inventories/" + s.inventory + "/hosts/", Map.of("name", "web1", "variables", "ansible_connection: local"));
        // AWX lets a superuser lower max_hosts below what the organization holds; then nothing starts.
        assertThat(s.api.patch("organizations/" + s.org + "/", Map.of("max_hosts", 1)).status()).isEqualTo(200);
        String at1 = AT_2.replace(" 2 ", " 1 ");

        var launch = s.api.post("job_templates/" + template + "/launch/", Map.of());
        assertThat(launch.status()).isEqualTo(403);
        assertThat(launch.json()).containsEntry("detail", at1);
        var adHoc = s.api.post("ad_hoc_commands/", Map.of("inventory", s.inventory, "module_name", "ping"));
        assertThat(adHoc.status()).isEqualTo(403);
        assertThat(adHoc.json()).containsEntry("detail", at1);
        assertThat(s.api.get("job_templates/" + template + "/jobs/").json()).containsEntry("count", 0);
        assertThat(s.api.get("ad_hoc_commands/?inventory=" + s.inventory).json()).containsEntry("count", 0);

        // At the limit (not above it) a launch goes ahead, as AWX's `active_count > max_hosts`.
        assertThat(s.api.patch("organizations/" + s.org + "/", Map.of("max_hosts", 2)).status()).isEqualTo(200);
        long job = s.launch(template, Map.of());
        assertThat(s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anImportThatWouldPassTheLimitEndsInErrorAndImportsNothing() throws Exception {
        Scenario s = new Scenario(); // localhost
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long inventory = Scenario.id(s.api.create("inventories/", Map.of("name", "imported-" + s.tag, "organization", s.org)));
        long source = Scenario.id(s.api.create("inventory_sources/", Map.of("name", "git " + s.tag, "inventory", inventory,
                "source", "scm", "source_project", project, "source_path", "inventory/hosts.ini")));
        // The source lists two hosts: 1 + 2 > 2.
        assertThat(s.api.patch("organizations/" + s.org + "/", Map.of("max_hosts", 2)).status()).isEqualTo(200);
        long update = ((Number) s.api.post("inventory_sources/" + source + "/update/", Map.of()).json().get("inventory_update")).longValue();
        Map<String, Object> refused = s.awaitFinished("inventory_updates/" + update + "/", Duration.ofMinutes(1));
        assertThat(refused).containsEntry("status", "error").containsEntry("job_explanation", "Host limit for organization exceeded!")
                .containsEntry("org_host_limit_error", true).doesNotContainKey("org_max_hosts");
        assertThat(s.api.get("inventories/" + inventory + "/hosts/").json()).containsEntry("count", 0);
        assertThat(s.api.get("inventories/" + inventory + "/groups/").json()).containsEntry("count", 0);

        assertThat(s.api.patch("organizations/" + s.org + "/", Map.of("max_hosts", 3)).status()).isEqualTo(200);
        update = ((Number) s.api.post("inventory_sources/" + source + "/update/", Map.of()).json().get("inventory_update")).longValue();
        assertThat(s.awaitFinished("inventory_updates/" + update + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");
        assertThat(names(s, "inventories/" + inventory + "/hosts/")).containsExactlyInAnyOrder("imported-web-1", "imported-db-1");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> names(Scenario s, String path) {
        return ((List<Map<String, Object>>) s.api.get(path).json().get("results")).stream().map(h -> h.get("name")).toList();
    }
}
