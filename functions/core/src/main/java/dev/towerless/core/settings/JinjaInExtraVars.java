package dev.towerless.core.settings;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * AWX's {@code ALLOW_JINJA_IN_EXTRA_VARS}: when may extra variables contain Jinja that ansible
 * evaluates? {@code template} (AWX's default): only the job template's own {@code extra_vars},
 * which only its admins can set; {@code never}: no extra variable at all; {@code always}: every
 * one, whoever supplied it (AWX warns that a user who may launch can then run arbitrary Python).
 */
public enum JinjaInExtraVars {
    ALWAYS("always", "Always"),
    NEVER("never", "Never"),
    TEMPLATE("template", "Only On Job Template Definitions");

    private final String value;
    private final String label;

    JinjaInExtraVars(String value, String label) {
        this.value = value;
        this.label = label;
    }

    public String value() {
        return value;
    }

    public String label() {
        return label;
    }

    public static Optional<JinjaInExtraVars> of(Object value) {
        return Arrays.stream(values()).filter(v -> v.value.equals(value)).findFirst();
    }

    public static List<String> choices() {
        return Arrays.stream(values()).map(JinjaInExtraVars::value).toList();
    }
}
