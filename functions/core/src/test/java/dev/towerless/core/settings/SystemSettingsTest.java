package dev.towerless.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.resources.ValidationException;
import dev.towerless.core.testing.FakeStores;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemSettingsTest {
    private final FakeStores.Resources store = new FakeStores.Resources();

    @Test
    void jinjaInExtraVarsDefaultsToTemplateAndTakesAwxsThreeValues() {
        assertThat(SystemSettings.load(store).jinjaInExtraVars()).isEqualTo(JinjaInExtraVars.TEMPLATE);
        assertThat(SystemSettings.load(store).category("jobs")).containsEntry("ALLOW_JINJA_IN_EXTRA_VARS", "template");
        for (JinjaInExtraVars v : JinjaInExtraVars.values()) {
            SystemSettings.change(store, Map.of("ALLOW_JINJA_IN_EXTRA_VARS", v.value()));
            assertThat(SystemSettings.load(store).jinjaInExtraVars()).isEqualTo(v);
        }
        SystemSettings.reset(store);
        assertThat(SystemSettings.load(store).jinjaInExtraVars()).isEqualTo(JinjaInExtraVars.TEMPLATE);
    }

    @Test
    void anythingElseIsRefusedInAwxsWords() {
        SystemSettings.change(store, Map.of("ALLOW_JINJA_IN_EXTRA_VARS", "never"));
        assertThatThrownBy(() -> SystemSettings.change(store, Map.of("ALLOW_JINJA_IN_EXTRA_VARS", "Always")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .isEqualTo(Map.of("ALLOW_JINJA_IN_EXTRA_VARS", List.of("\"Always\" is not a valid choice."))));
        Map<String, Object> nothing = new HashMap<>();
        nothing.put("ALLOW_JINJA_IN_EXTRA_VARS", null);
        assertThatThrownBy(() -> SystemSettings.change(store, nothing))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .isEqualTo(Map.of("ALLOW_JINJA_IN_EXTRA_VARS", List.of("This field may not be null."))));
        assertThat(SystemSettings.load(store).jinjaInExtraVars()).isEqualTo(JinjaInExtraVars.NEVER);
    }

    @Test
    void everyAwxSettingTakesItsOwnDefaultBackSoAnExportedConfigurationReimports() {
        Map<String, Object> all = SystemSettings.load(store).category("all");
        assertThat(all).containsKeys("AWX_ISOLATION_BASE_PATH", "AWX_ISOLATION_SHOW_PATHS", "AD_HOC_COMMANDS", "SESSION_COOKIE_AGE",
                "BULK_JOB_MAX_LAUNCH", "MAX_UI_JOB_EVENTS").doesNotContainKeys("LICENSE", "AUTH_LDAP_SERVER_URI");
        Map<String, Object> writable = new HashMap<>();
        for (AwxSettingsCatalogue.Entry e : AwxSettingsCatalogue.entries()) {
            if (e.refused() == null && !e.readOnly()) {
                writable.put(e.name(), all.get(e.name()));
            }
        }
        SystemSettings.change(store, writable);
        assertThat(SystemSettings.load(store).category("all")).isEqualTo(all);
    }

    @Test
    void theValueOfAListOrDictionarySettingIsCheckedAsAwxsFieldChecksIt() {
        assertThatThrownBy(() -> SystemSettings.change(store, Map.of("AD_HOC_COMMANDS", "ping")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .isEqualTo(Map.of("AD_HOC_COMMANDS", List.of("Expected a list of items but got type \"str\"."))));
        assertThatThrownBy(() -> SystemSettings.change(store, Map.of("GALAXY_TASK_ENV", Map.of("A", List.of(1)))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .isEqualTo(Map.of("GALAXY_TASK_ENV", List.of("\"[1]\" is not a valid string."))));
        assertThatThrownBy(() -> SystemSettings.change(store, Map.of("DEFAULT_EXECUTION_ENVIRONMENT", 99)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .isEqualTo(Map.of("DEFAULT_EXECUTION_ENVIRONMENT", List.of("Invalid pk \"99\" - object does not exist."))));
        assertThatThrownBy(() -> SystemSettings.change(store, Map.of("SESSION_COOKIE_AGE", 59)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .isEqualTo(Map.of("SESSION_COOKIE_AGE", List.of("Ensure this value is greater than or equal to 60."))));
        SystemSettings.change(store, Map.of("AD_HOC_COMMANDS", List.of("ping", "debug")));
        assertThat(SystemSettings.load(store).strings("AD_HOC_COMMANDS")).containsExactly("ping", "debug");
    }
}
