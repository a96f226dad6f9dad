package dev.towerless.core.credentials;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * AWX's checks of a credential's inputs against its type ({@code CredentialInputField}): each
 * value's JSON type, {@code choices}, {@code format} ({@code ssh_private_key}, {@code url},
 * {@code vault_id}), {@code dependencies}, and for managed types with a key passphrase the key
 * rules. As in AWX, {@code required} fields are not checked when a credential is saved (a
 * lookup may fill them at launch) but when a job would start ({@link #missingRequired}).
 */
public final class CredentialInputs {
    private CredentialInputs() {
    }

    /**
     * Problems by field id, in AWX's words; empty when valid. {@code inputs} are the values as they
     * will be stored, secrets opened ({@code $encrypted$} already replaced by the stored value).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, List<String>> problems(Map<String, Object> typeInputs, boolean managed, Map<String, Object> inputs) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Map<String, Map<String, Object>> specs = new LinkedHashMap<>();
        ManagedCredentialTypes.fields(typeInputs).forEach(f -> specs.put(String.valueOf(f.get("id")), f));
        inputs.forEach((id, value) -> {
            Map<String, Object> spec = specs.get(id);
            if (spec == null || value == null) {
                return; // unknown fields are the caller's to report
            }
            String type = String.valueOf(spec.getOrDefault("type", "string"));
            if (Boolean.TRUE.equals(spec.get("secret")) && !(value instanceof String)) { // never quoted back: a secret
                errors.put(id, List.of("secret values must be of type string, not " + pythonType(value)));
                return;
            }
            if (type.equals("boolean") && !(value instanceof Boolean)) {
                errors.put(id, List.of(pythonRepr(value) + " is not of type 'boolean'"));
                return;
            }
            if (type.equals("string") && !(value instanceof String)) {
                errors.put(id, List.of(pythonRepr(value) + " is not of type 'string'"));
                return;
            }
            if (spec.get("choices") instanceof List<?> choices && !choices.isEmpty() && !choices.contains(value)) {
                errors.put(id, List.of(pythonRepr(value) + " is not one of " + pythonRepr(choices)));
                return;
            }
            String problem = formatProblem(String.valueOf(spec.get("format")), value instanceof String s ? s : "");
            if (problem != null) {
                errors.put(id, List.of(problem));
            }
        });
        if (typeInputs != null && typeInputs.get("dependencies") instanceof Map<?, ?> deps) {
            deps.forEach((field, needs) -> {
                if (inputs.get(String.valueOf(field)) == null || !(needs instanceof List<?> list)) {
                    return;
                }
                for (Object need : list) {
                    if (!inputs.containsKey(String.valueOf(need))) {
                        Object label = specs.getOrDefault(String.valueOf(need), Map.of()).getOrDefault("label", need);
                        errors.put(String.valueOf(field), List.of("cannot be set unless \"" + label + "\" is set"));
                    }
                }
            });
        }
        if (managed && specs.containsKey("ssh_key_unlock")) {
            CredentialPasswords.keyProblems(inputs).forEach(errors::putIfAbsent);
        }
        return errors;
    }

    /**
     * AWX's {@code default_for_field}, applied where a value is null or empty: a field with choices
     * takes its first, a boolean false, a string the empty string.
     */
    public static Object defaultFor(Map<String, Object> spec) {
        if (spec.get("choices") instanceof List<?> choices && !choices.isEmpty()) {
            return choices.get(0);
        }
        return "boolean".equals(spec.get("type")) ? Boolean.FALSE : "";
    }

    /**
     * The required fields a credential does not provide (AWX's {@code pre_start} check): not set,
     * or empty, and not filled by an input source ({@code dynamic}); sorted, as AWX lists them.
     */
    public static List<String> missingRequired(Map<String, Object> typeInputs, Map<String, ?> inputs,
                                               java.util.Collection<String> dynamic) {
        TreeSet<String> missing = new TreeSet<>();
        List<String> defined = ManagedCredentialTypes.fields(typeInputs).stream().map(f -> String.valueOf(f.get("id"))).toList();
        if (typeInputs != null && typeInputs.get("required") instanceof List<?> required) {
            for (Object r : required) {
                String id = String.valueOf(r);
                Object v = inputs.get(id);
                if (defined.contains(id) && !dynamic.contains(id) && (v == null || "".equals(v))) {
                    missing.add(id);
                }
            }
        }
        return new ArrayList<>(missing);
    }

    /** AWX's message when a job cannot start for a credential's missing required fields. */
    public static String missingRequiredExplanation(String job, String credentialName, List<String> missing) {
        return job + " cannot start because Credential " + credentialName
                + " does not provide one or more required fields (" + String.join(", ", missing) + ").";
    }

    /** AWX's format checkers ({@code awx/main/fields.py}); null when the value passes. */
    static String formatProblem(String format, String value) {
        switch (format) {
            case "ssh_private_key":
                if (value.isEmpty()) {
                    return null;
                }
                try {
                    SshPrivateKeys.parse(value);
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            case "url":
                try {
                    URI uri = new URI(value);
                    if (uri.getScheme() == null || uri.getScheme().isEmpty()) {
                        return "Invalid URL: Missing url scheme (http, https, etc.)";
                    }
                    if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
                        return "Invalid URL: " + value;
                    }
                    return null;
                } catch (URISyntaxException e) {
                    return value.contains("://") ? "Invalid URL: " + value : "Invalid URL: Missing url scheme (http, https, etc.)";
                }
            case "vault_id":
                return value.contains("@") ? "@ is not an allowed character" : null;
            default:
                return null;
        }
    }

    private static String pythonType(Object value) {
        return value instanceof Boolean ? "bool" : value instanceof Number n ? (n instanceof Double || n instanceof Float ? "float" : "int")
                : value instanceof List ? "list" : value instanceof Map ? "dict" : "str";
    }

    /** How Python shows a value in jsonschema's messages ({@code 'x'}, {@code True}, {@code ['a', 'b']}). */
    static String pythonRepr(Object value) {
        if (value instanceof String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value == null) {
            return "None";
        }
        if (value instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(v -> parts.add(pythonRepr(v)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (value instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, v) -> parts.add(pythonRepr(k) + ": " + pythonRepr(v)));
            return "{" + String.join(", ", parts) + "}";
        }
        return String.valueOf(value);
    }
}
