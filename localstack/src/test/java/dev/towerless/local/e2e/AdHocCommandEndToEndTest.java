package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ad hoc commands through the API, run for real by a runner with ansible-runner. */
class AdHocCommandEndToEndTest {

    @Test
    void aModuleRunsAgainstTheInventoryAndItsOutputIsKept() throws Exception {
        Scenario s = new Scenario();
        ApiClient.Response r = s.api.post("ad_hoc_commands/", Map.of("inventory", s.inventory, "module_name", "command",
                "module_args", "echo towerless-ad-hoc", "verbosity", 1));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json()).containsEntry("type", "ad_hoc_command").containsEntry("name", "command: echo towerless-ad-hoc");
        long id = r.id();
        Map<String, Object> done = s.awaitFinished("ad_hoc_commands/" + id + "/", Duration.ofMinutes(1));
        assertThat(done).containsEntry("status", "successful").containsEntry("failed", false);
        assertThat(s.api.get("ad_hoc_commands/" + id + "/stdout/?format=txt").body())
                .contains("localhost | CHANGED | rc=0", "towerless-ad-hoc");
        Map<String, Object> events = s.api.get("ad_hoc_commands/" + id + "/job_events/?event=runner_on_ok").json();
        assertThat(events).containsEntry("count", 1);
        // the inventory's commands only (from its job_filters keys), this one among them, counted
        Map<String, Object> listed = s.api.get("inventories/" + s.inventory + "/ad_hoc_commands/?order_by=-id").json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) listed.get("results");
        assertThat(results).extracting(m -> ((Number) m.get("id")).longValue()).contains(id);
        assertThat(results).extracting(m -> ((Number) m.get("inventory")).longValue()).containsOnly(s.inventory);
        assertThat(((Number) listed.get("count")).intValue()).isEqualTo(results.size());
    }

    @Test
    void aFailingModuleFailsTheCommand() throws Exception {
        Scenario s = new Scenario();
        long id = s.api.post("inventories/" + s.inventory + "/ad_hoc_commands/", Map.of("module_name", "command",
                "module_args", "false")).id();
        assertThat(s.awaitFinished("ad_hoc_commands/" + id + "/", Duration.ofMinutes(1))).containsEntry("status", "failed");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        Scenario s = new Scenario();
        ApiClient.Response noArgs = s.api.post("ad_hoc_commands/", Map.of("inventory", s.inventory, "module_name", "shell"));
        assertThat(noArgs.status()).isEqualTo(400);
        assertThat(noArgs.json()).containsEntry("module_args", List.of("No argument passed to shell module."));
        ApiClient.Response noInventory = s.api.post("ad_hoc_commands/", Map.of("module_name", "ping", "inventory", 987654));
        assertThat(noInventory.status()).isEqualTo(400);
        assertThat(noInventory.json()).containsEntry("inventory", List.of("Invalid pk \"987654\" - object does not exist."));
    }
}
