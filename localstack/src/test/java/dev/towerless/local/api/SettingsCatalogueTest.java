package dev.towerless.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v2/settings/} knows AWX 21.14.0's settings (the {@code awx.awx} settings module's
 * AWX_ISOLATION_* among them), checks each value as AWX's field does, and the ones with a
 * meaning here change what Towerless does: AD_HOC_COMMANDS is the list of modules an ad hoc
 * command may run, BULK_HOST_MAX_CREATE the size of a bulk host creation.
 */
class SettingsCatalogueTest {
    private static final ApiClient API = LocalStackFixture.admin();

    @AfterEach
    void backToDefaults() {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("AWX_ISOLATION_SHOW_PATHS", List.of());
        defaults.put("BULK_HOST_MAX_CREATE", 100);
        assertThat(API.patch("settings/all/", defaults).status()).isEqualTo(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void awxsJobSettingsAreShownWithAwxsDefaults() {
        Map<String, Object> jobs = API.get("settings/jobs/").json();
        assertThat(jobs).containsEntry("AWX_ISOLATION_BASE_PATH", "/tmp").containsEntry("AWX_ISOLATION_SHOW_PATHS", List.of())
                .containsEntry("SCHEDULE_MAX_JOBS", 10).containsEntry("STDOUT_MAX_BYTES_DISPLAY", 1048576);
        assertThat((List<Object>) jobs.get("AD_HOC_COMMANDS")).contains("command", "shell", "ping", "setup").doesNotContain("debug");
        assertThat(API.get("settings/").body()).contains("\"slug\":\"authentication\"", "\"slug\":\"bulk\"", "\"slug\":\"ui\"");
        assertThat(API.get("settings/bulk/").json()).containsEntry("BULK_JOB_MAX_LAUNCH", 100);
    }

    @Test
    void aValueAwxsFieldRefusesIsA400InAwxsWordsAndChangesNothing() {
        assertThat(API.patch("settings/jobs/", Map.of("AWX_ISOLATION_SHOW_PATHS", List.of("/srv/pki"))).status()).isEqualTo(200);
        ApiClient.Response dict = API.patch("settings/jobs/", Map.of("AWX_ISOLATION_SHOW_PATHS", Map.of("not", "a valid")));
        assertThat(dict.status()).isEqualTo(400);
        assertThat(dict.json()).containsEntry("AWX_ISOLATION_SHOW_PATHS", List.of("Expected list of strings but got <class 'dict'> instead."));
        assertThat(API.patch("settings/jobs/", Map.of("AWX_ISOLATION_SHOW_PATHS", List.of("relative/path"))).json())
                .containsEntry("AWX_ISOLATION_SHOW_PATHS", List.of("relative/path is not a valid path choice. You must provide an absolute path."));
        assertThat(API.patch("settings/jobs/", Map.of("AWX_ISOLATION_SHOW_PATHS", List.of("/a:/b:/c:/d"))).json())
                .containsEntry("AWX_ISOLATION_SHOW_PATHS", List.of("Invalid syntax. A string HOST-DIR[:CONTAINER-DIR[:OPTIONS]] is expected but got /a:/b:/c:/d."));
        assertThat(API.patch("settings/jobs/", Map.of("SCHEDULE_MAX_JOBS", 0)).json())
                .containsEntry("SCHEDULE_MAX_JOBS", List.of("Ensure this value is greater than or equal to 1."));
        assertThat(API.patch("settings/system/", Map.of("INSTALL_UUID", "x")).json()).containsEntry("INSTALL_UUID",
                List.of("This setting is read-only."));
        assertThat(API.patch("settings/system/", Map.of("LICENSE", Map.of())).json()).containsEntry("LICENSE",
                List.of("Towerless has no subscription to license."));
        assertThat(API.patch("settings/all/", Map.of("AUTH_LDAP_SERVER_URI", "ldap://x")).status()).isEqualTo(400);
        assertThat(API.patch("settings/ui/", Map.of("PENDO_TRACKING_STATE", "everything")).json())
                .containsEntry("PENDO_TRACKING_STATE", List.of("\"everything\" is not a valid choice."));
        assertThat(API.patch("settings/authentication/", Map.of("OAUTH2_PROVIDER", Map.of("TOKEN_TTL", 5))).json())
                .containsEntry("OAUTH2_PROVIDER", List.of("Invalid key names: TOKEN_TTL"));
        assertThat(API.get("settings/jobs/").json()).as("none of the refused values is stored")
                .containsEntry("AWX_ISOLATION_SHOW_PATHS", List.of("/srv/pki")).containsEntry("SCHEDULE_MAX_JOBS", 10);
    }

    @Test
    void aPathListIsKeptSortedAsAwxKeepsItSoTheSameListTwiceIsNoChange() {
        ApiClient.Response r = API.patch("settings/jobs/", Map.of("AWX_ISOLATION_SHOW_PATHS", List.of("/var/tmp", "/etc/pki:/etc/pki:O")));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).containsEntry("AWX_ISOLATION_SHOW_PATHS", List.of("/etc/pki:/etc/pki:O", "/var/tmp"));
    }

    @Test
    void anAdHocModuleOutsideAdHocCommandsIsRefusedAndNothingIsLaunched() {
        long inventory = API.create("inventories/", Map.of("name", "adhoc-" + UUID.randomUUID(), "organization", 1)).get("id") instanceof Number n
                ? n.longValue() : 0;
        API.create("hosts/", Map.of("name", "localhost", "inventory", inventory, "variables", "ansible_connection: local"));
        long before = count("ad_hoc_commands/?inventory=" + inventory);
        ApiClient.Response refused = API.post("ad_hoc_commands/", Map.of("inventory", inventory, "module_name", "Does not exist"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json()).containsEntry("module_name", List.of("\"Does not exist\" is not a valid choice."));
        assertThat(count("ad_hoc_commands/?inventory=" + inventory)).isEqualTo(before);

        List<Object> modules = new ArrayList<>((List<?>) API.get("settings/jobs/").json().get("AD_HOC_COMMANDS"));
        List<Object> withDebug = new ArrayList<>(modules);
        withDebug.add("debug");
        assertThat(API.post("ad_hoc_commands/", Map.of("inventory", inventory, "module_name", "debug", "module_args", "msg=hi")).status())
                .as("debug is not one of AWX's default modules").isEqualTo(400);
        try {
            assertThat(API.patch("settings/jobs/", Map.of("AD_HOC_COMMANDS", withDebug)).status()).isEqualTo(200);
            assertThat(API.post("ad_hoc_commands/", Map.of("inventory", inventory, "module_name", "debug", "module_args", "msg=hi")).status())
                    .isEqualTo(201);
        } finally {
            if (!modules.contains("debug")) {
                API.patch("settings/jobs/", Map.of("AD_HOC_COMMANDS", modules));
            }
        }
    }

    @Test
    void anAdHocRelaunchIsCheckedAgainstAdHocCommandsAsANewCommandIs() {
        long inventory = ((Number) API.create("inventories/", Map.of("name", "relaunch-" + UUID.randomUUID(), "organization", 1))
                .get("id")).longValue();
        API.create("hosts/", Map.of("name", "localhost", "inventory", inventory, "variables", "ansible_connection: local"));
        long first = API.post("ad_hoc_commands/", Map.of("inventory", inventory, "module_name", "ping")).id();
        assertThat(API.get("ad_hoc_commands/" + first + "/relaunch/").json()).containsEntry("passwords_needed_to_start", List.of());
        ApiClient.Response again = API.post("ad_hoc_commands/" + first + "/relaunch/", Map.of());
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(again.json()).containsEntry("launch_type", "relaunch").containsEntry("module_name", "ping")
                .containsEntry("inventory", (int) inventory).containsKey("ad_hoc_command");
        List<Object> modules = new ArrayList<>((List<?>) API.get("settings/jobs/").json().get("AD_HOC_COMMANDS"));
        try {
            assertThat(API.patch("settings/jobs/", Map.of("AD_HOC_COMMANDS", List.of("command"))).status()).isEqualTo(200);
            ApiClient.Response refused = API.post("ad_hoc_commands/" + first + "/relaunch/", Map.of());
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json()).containsEntry("module_name", List.of("\"ping\" is not a valid choice."));
        } finally {
            API.patch("settings/jobs/", Map.of("AD_HOC_COMMANDS", modules));
        }
    }

    @Test
    void bulkHostMaxCreateLimitsABulkCreation() {
        long inventory = ((Number) API.create("inventories/", Map.of("name", "bulk-" + UUID.randomUUID(), "organization", 1)).get("id")).longValue();
        assertThat(API.patch("settings/bulk/", Map.of("BULK_HOST_MAX_CREATE", 1)).status()).isEqualTo(200);
        ApiClient.Response r = API.post("bulk/host_create/", Map.of("inventory", inventory,
                "hosts", List.of(Map.of("name", "one"), Map.of("name", "two"))));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("Number of hosts exceeds system setting BULK_HOST_MAX_CREATE");
        assertThat(count("hosts/?inventory=" + inventory)).isZero();
    }

    private static long count(String path) {
        ApiClient.Response r = API.get(path);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return ((Number) r.json().get("count")).longValue();
    }
}
