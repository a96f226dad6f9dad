package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inventory sources synced from a project with ansible-inventory, and jobs that target what they imported. */
class InventoryUpdateEndToEndTest {

    @Test
    @SuppressWarnings("unchecked")
    void anInventoryUpdateImportsHostsAndGroupsThatAFollowingJobTargets() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long inventory = Scenario.id(s.api.create("inventories/", Map.of("name", "imported-" + s.tag, "organization", s.org)));
        long source = Scenario.id(s.api.create("inventory_sources/", Map.of("name", "from git " + s.tag, "inventory", inventory,
                "source", "scm", "source_project", project, "source_path", "inventory/hosts.ini", "overwrite", true)));
        var started = s.api.post("inventory_sources/" + source + "/update/", Map.of());
        assertThat(started.status()).isEqualTo(202);
        long update = ((Number) started.json().get("inventory_update")).longValue();
        Map<String, Object> done = s.awaitFinished("inventory_updates/" + update + "/", Duration.ofMinutes(1));
        assertThat(done).containsEntry("status", "successful");
        assertThat(s.api.get("inventory_updates/" + update + "/stdout/").body()).contains("Imported 2 hosts and 3 groups");

        List<Map<String, Object>> hosts = (List<Map<String, Object>>) s.api.get("inventories/" + inventory + "/hosts/")
                .json().get("results");
        assertThat(hosts).extracting(h -> h.get("name")).containsExactlyInAnyOrder("imported-web-1", "imported-db-1");
        assertThat(hosts).filteredOn(h -> "imported-web-1".equals(h.get("name")))
                .singleElement().satisfies(h -> assertThat((String) h.get("variables")).contains("\"role\":\"frontend\""));
        // The computed fields follow the sync's end in the background (docs/inventory-computed-fields.md).
        Map<String, Object> inv = s.api.get("inventories/" + inventory + "/").json();
        for (int i = 0; i < 200 && !Integer.valueOf(2).equals(inv.get("total_hosts")); i++) {
            Thread.sleep(50);
            inv = s.api.get("inventories/" + inventory + "/").json();
        }
        assertThat(inv).containsEntry("total_hosts", 2).containsEntry("total_groups", 3).containsEntry("has_inventory_sources", true);
        assertThat(s.api.get("inventory_sources/" + source + "/").json()).containsEntry("status", "successful");

        long template = Scenario.id(s.api.create("job_templates/", Map.of("name", "on-imported-" + s.tag, "project", project,
                "inventory", inventory, "playbook", "hello.yml", "limit", "web")));
        long job = s.launch(template, Map.of());
        Map<String, Object> ran = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1));
        assertThat(ran).containsEntry("status", "successful");
        String stdout = s.api.get("jobs/" + job + "/stdout/").body();
        assertThat(stdout).contains("This play runs on imported-web-1.").doesNotContain("imported-db-1");
    }

    @Test
    void aSourceThatUpdatesOnLaunchIsSyncedBeforeTheJobRuns() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long inventory = Scenario.id(s.api.create("inventories/", Map.of("name", "on-launch-" + s.tag, "organization", s.org)));
        long source = Scenario.id(s.api.create("inventory_sources/", Map.of("name", "on launch " + s.tag, "inventory", inventory,
                "source_project", project, "source_path", "inventory/hosts.ini", "update_on_launch", true)));
        long template = Scenario.id(s.api.create("job_templates/", Map.of("name", "uol-inv-" + s.tag, "project", project,
                "inventory", inventory, "playbook", "hello.yml", "limit", "db")));
        long job = s.launch(template, Map.of());
        Map<String, Object> ran = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1));
        assertThat(ran).containsEntry("status", "successful");
        assertThat(s.api.get("jobs/" + job + "/stdout/").body()).contains("This play runs on imported-db-1.");
        Map<String, Object> updates = s.api.get("inventory_sources/" + source + "/inventory_updates/?launch_type=dependency").json();
        assertThat(updates).containsEntry("count", 1);
    }

    @Test
    void anScmSourceNeedsItsProjectAndPath() {
        Scenario s = new Scenario();
        var r = s.api.post("inventory_sources/", Map.of("name", "x", "inventory", s.inventory, "source", "scm"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsKeys("source_project", "source_path");
    }
}
