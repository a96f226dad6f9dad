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
}
