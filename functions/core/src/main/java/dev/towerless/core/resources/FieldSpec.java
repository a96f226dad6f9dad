package dev.towerless.core.resources;

import java.util.List;

/**
 * One writable field of a resource type: how the API validates it and what it defaults to.
 * {@code references} names the type a REFERENCE points at; {@code choices} limits a CHOICE.
 */
public record FieldSpec(String name, Kind kind, boolean required, Object defaultValue, String references,
                        List<Object> choices, boolean writeOnly, int maxLength) {

    public enum Kind { STRING, TEXT, INTEGER, BOOLEAN, REFERENCE, CHOICE, VARIABLES, DICT }

    public static FieldSpec string(String name, boolean required, String def) {
        return new FieldSpec(name, Kind.STRING, required, def, null, List.of(), false, 512);
    }

    public static FieldSpec text(String name) {
        return new FieldSpec(name, Kind.TEXT, false, "", null, List.of(), false, 0);
    }

    public static FieldSpec integer(String name, long def) {
        return new FieldSpec(name, Kind.INTEGER, false, def, null, List.of(), false, 0);
    }

    public static FieldSpec bool(String name, boolean def) {
        return new FieldSpec(name, Kind.BOOLEAN, false, def, null, List.of(), false, 0);
    }

    public static FieldSpec reference(String name, String type, boolean required) {
        return new FieldSpec(name, Kind.REFERENCE, required, null, type, List.of(), false, 0);
    }

    public static FieldSpec choice(String name, Object def, Object... choices) {
        return new FieldSpec(name, Kind.CHOICE, false, def, null, List.of(choices), false, 0);
    }

    /** YAML or JSON text holding a dictionary, as AWX's {@code variables}/{@code extra_vars}. */
    public static FieldSpec variables(String name) {
        return new FieldSpec(name, Kind.VARIABLES, false, "", null, List.of(), false, 0);
    }

    public static FieldSpec dict(String name) {
        return new FieldSpec(name, Kind.DICT, false, java.util.Map.of(), null, List.of(), false, 0);
    }

    /** A launch-time prompt: {@code null} means "not prompted", so null is the default and stays null. */
    public FieldSpec orNull() {
        return new FieldSpec(name, kind, false, null, references, choices, writeOnly, maxLength);
    }

    public FieldSpec asWriteOnly() {
        return new FieldSpec(name, kind, required, defaultValue, references, choices, true, maxLength);
    }

}
