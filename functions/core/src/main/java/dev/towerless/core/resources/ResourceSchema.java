package dev.towerless.core.resources;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The writable shape of one resource type: its API endpoint, its fields, and the rules that
 * span fields (e.g. a git project needs an scm_url).
 */
public record ResourceSchema(String type, String endpoint, List<FieldSpec> fields, CrossFieldRule rule) {

    @FunctionalInterface
    public interface CrossFieldRule {
        /** Adds messages to {@code errors} for the merged, type-checked fields of the object. */
        void check(Map<String, Object> merged, Map<String, List<String>> errors);

        CrossFieldRule NONE = (merged, errors) -> { };
    }

    public Optional<FieldSpec> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
