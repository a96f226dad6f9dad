package dev.towerless.core.credentials;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * AWX's rules for a credential input source (one input of a target credential filled at launch
 * by an external lookup credential): the target is not external, the source is, the field is one
 * of the target type's, and the metadata fits the source type's {@code metadata} fields, with its
 * required ones given ({@code CredentialInputSource.clean_*}, {@code DynamicCredentialInputField}).
 */
public final class InputSources {
    private InputSources() {
    }

    /**
     * Problems by field, in AWX's words; empty when valid. {@code targetType} and {@code sourceType}
     * are the credential types' fields ({@code kind}, {@code name}, {@code inputs}).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> problems(Map<String, Object> targetType, Map<String, Object> sourceType,
                                               String inputFieldName, Map<String, Object> metadata) {
        Map<String, Object> errors = new LinkedHashMap<>();
        if ("external".equals(targetType.get("kind"))) {
            errors.put("target_credential", List.of("Target must be a non-external credential"));
        }
        if (!"external".equals(sourceType.get("kind"))) {
            errors.put("source_credential", List.of("Source must be an external credential"));
        }
        Map<String, Object> targetInputs = (Map<String, Object>) targetType.getOrDefault("inputs", Map.of());
        TreeSet<String> defined = new TreeSet<>();
        ManagedCredentialTypes.fields(targetInputs).forEach(f -> defined.add(String.valueOf(f.get("id"))));
        if (!errors.containsKey("target_credential") && !defined.contains(inputFieldName)) {
            errors.put("input_field_name", List.of("Input field must be defined on target credential (options are "
                    + String.join(", ", defined) + ")."));
        }
        if (!errors.containsKey("source_credential")) {
            Object metadataProblems = metadataProblems(sourceType, metadata);
            if (metadataProblems != null) {
                errors.put("metadata", metadataProblems);
            }
        }
        return errors;
    }

    /** The metadata against the source type's metadata fields: a list (the whole value) or a map by field; null when valid. */
    @SuppressWarnings("unchecked")
    private static Object metadataProblems(Map<String, Object> sourceType, Map<String, Object> metadata) {
        Map<String, Object> inputs = (Map<String, Object>) sourceType.getOrDefault("inputs", Map.of());
        List<Map<String, Object>> fields = inputs.get("metadata") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
        Map<String, Map<String, Object>> specs = new LinkedHashMap<>();
        fields.forEach(f -> specs.put(String.valueOf(f.get("id")), f));
        List<String> unknown = metadata.keySet().stream().filter(k -> !specs.containsKey(k)).toList();
        if (!unknown.isEmpty()) {
            return List.of("Additional properties are not allowed (" + String.join(", ", unknown.stream()
                    .map(CredentialInputs::pythonRepr).toList()) + (unknown.size() == 1 ? " was" : " were") + " unexpected)");
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            Map<String, Object> spec = specs.get(k);
            String type = String.valueOf(spec.getOrDefault("type", "string"));
            if (v != null && type.equals("string") && !(v instanceof String)) {
                errors.put(k, List.of(CredentialInputs.pythonRepr(v) + " is not of type 'string'"));
            } else if (spec.get("choices") instanceof List<?> choices && !choices.isEmpty() && !choices.contains(v)) {
                errors.put(k, List.of(CredentialInputs.pythonRepr(v) + " is not one of " + CredentialInputs.pythonRepr(choices)));
            }
        });
        if (inputs.get("required") instanceof List<?> required) {
            for (Object r : required) {
                String id = String.valueOf(r);
                Object v = metadata.get(id);
                if (specs.containsKey(id) && (v == null || "".equals(v) || Boolean.FALSE.equals(v))) {
                    errors.put(id, List.of("required for " + sourceType.get("name")));
                }
            }
        }
        return errors.isEmpty() ? null : errors;
    }
}
