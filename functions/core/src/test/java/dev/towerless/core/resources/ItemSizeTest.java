package dev.towerless.core.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemSizeTest {
    @Test
    void anObjectThatFitsPassesAndOneThatDoesNotNamesItsLargestField() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", "web");
        fields.put("variables", "x".repeat(200_000));
        assertThat(ItemSize.problem(fields)).isEmpty();
        fields.put("description", "é".repeat(80_000)); // two bytes each in UTF-8: 160 KB more
        assertThat(ItemSize.problem(fields)).hasValueSatisfying(p -> {
            assertThat(p.getKey()).isEqualTo("variables");
            assertThat(p.getValue()).startsWith("Ensure this field has no more than 350000 bytes");
        });
    }

    @Test
    void nestedValuesCountAndAnInternalNameIsShownAsTheApisName() {
        Map<String, Object> job = Map.of("job_template_extra_vars", Map.of("blob", List.of("y".repeat(400_000))));
        assertThatThrownBy(() -> ItemSize.check(job, Map.of("job_template_extra_vars", "extra_vars")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsOnlyKeys("extra_vars"));
    }
}
