package dev.towerless.core.launch;

import dev.towerless.core.resources.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AWX's job template surveys: the spec (questions with a variable, a type, required, default,
 * bounds, choices) and the answers given at launch, checked as AWX checks them. Password answers
 * are secrets: their values are redacted from the job's output.
 */
public final class Survey {
    private static final Set<String> TYPES = Set.of("text", "textarea", "password", "integer", "float",
            "multiplechoice", "multiselect");

    private Survey() {
    }

    /** Checks a spec posted to {@code survey_spec/}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> validateSpec(Map<String, Object> spec) {
        List<String> errors = new ArrayList<>();
        if (!(spec.get("spec") instanceof List<?> questions)) {
            throw ValidationException.of("spec", "'spec' must be a list of items.");
        }
        if (!(spec.get("name") instanceof String)) {
            errors.add("'name' missing from survey spec.");
        }
        if (!(spec.get("description") instanceof String)) {
            errors.add("'description' missing from survey spec.");
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < questions.size(); i++) {
            if (!(questions.get(i) instanceof Map<?, ?> q)) {
                errors.add("Survey question " + i + " is not a json object.");
                continue;
            }
            Object type = q.get("type");
            if (!TYPES.contains(type)) {
                errors.add("'" + type + "' in survey question " + i + " is not one of '" + String.join(", ", TYPES) + "' allowed question types.");
            }
            if (!(q.get("variable") instanceof String v) || v.isBlank()) {
                errors.add("'variable' missing from survey question " + i + ".");
            } else if (!seen.add(v)) {
                errors.add("'variable' '" + v + "' duplicated in survey question " + i + ".");
            }
            if (!(q.get("question_name") instanceof String)) {
                errors.add("'question_name' missing from survey question " + i + ".");
            }
            if (("multiplechoice".equals(type) || "multiselect".equals(type)) && choices(q).isEmpty()) {
                errors.add("Survey question " + i + " of type " + type + " must have choices.");
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(Map.of("error", errors));
        }
        return spec;
    }

    /** The answers to put in extra_vars: given answers checked, defaults filled in. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> answers(Map<String, Object> spec, Map<String, Object> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Object o : (List<Object>) spec.getOrDefault("spec", List.of())) {
            Map<String, Object> q = (Map<String, Object>) o;
            String var = (String) q.get("variable");
            String type = String.valueOf(q.get("type"));
            Object value = given.containsKey(var) ? given.get(var) : q.get("default");
            if (value == null || "".equals(value)) {
                if (Boolean.TRUE.equals(q.get("required"))) {
                    errors.add("'" + var + "' value missing");
                }
                continue;
            }
            String problem = check(q, type, value);
            if (problem != null) {
                errors.add(problem);
            } else {
                out.put(var, value);
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(Map.of("variables_needed_to_start", errors));
        }
        return out;
    }

    /** AWX's {@code variables_needed_to_start}: required questions with no default, when the survey is on. */
    @SuppressWarnings("unchecked")
    public static List<String> neededToStart(dev.towerless.core.resources.Resource template) {
        List<String> needed = new ArrayList<>();
        if (template.flag("survey_enabled") && template.get("survey_spec") instanceof Map<?, ?> spec
                && spec.get("spec") instanceof List<?> qs) {
            for (Object q : qs) {
                Map<String, Object> question = (Map<String, Object>) q;
                if (Boolean.TRUE.equals(question.get("required"))
                        && (question.get("default") == null || "".equals(question.get("default")))) {
                    needed.add(String.valueOf(question.get("variable")));
                }
            }
        }
        return needed;
    }

    /** Every question's variable. */
    @SuppressWarnings("unchecked")
    public static List<String> variables(Map<String, Object> spec) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) spec.getOrDefault("spec", List.of())) {
            out.add(String.valueOf(((Map<String, Object>) o).get("variable")));
        }
        return out;
    }

    /** Variables whose answers are passwords (to redact). */
    @SuppressWarnings("unchecked")
    public static List<String> passwordVariables(Map<String, Object> spec) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) spec.getOrDefault("spec", List.of())) {
            Map<String, Object> q = (Map<String, Object>) o;
            if ("password".equals(q.get("type"))) {
                out.add((String) q.get("variable"));
            }
        }
        return out;
    }

    private static String check(Map<String, Object> q, String type, Object value) {
        String var = (String) q.get("variable");
        if (dev.towerless.core.security.SecretBox.isSealed(value)) {
            return null; // a relaunch carries the first launch's sealed answer, checked then
        }
        switch (type) {
            case "integer", "float" -> {
                if (!(value instanceof Number n) || ("integer".equals(type) && n.doubleValue() != Math.rint(n.doubleValue()))) {
                    return "Value " + value + " for '" + var + "' expected to be a" + ("integer".equals(type) ? "n integer." : " float.");
                }
                if (q.get("min") instanceof Number min && n.doubleValue() < min.doubleValue()) {
                    return "'" + var + "' value " + value + " is too small (must be at least " + min + ").";
                }
                if (q.get("max") instanceof Number max && n.doubleValue() > max.doubleValue()) {
                    return "'" + var + "' value " + value + " is too large (must be no more than " + max + ").";
                }
            }
            case "multiplechoice" -> {
                if (!choices(q).contains(String.valueOf(value))) {
                    return "Value " + value + " for '" + var + "' expected to be one of " + choices(q) + ".";
                }
            }
            case "multiselect" -> {
                if (!(value instanceof List<?> l) || !choices(q).containsAll(l.stream().map(String::valueOf).toList())) {
                    return "Value " + value + " for '" + var + "' expected to be a list of " + choices(q) + ".";
                }
            }
            default -> {
                String s = String.valueOf(value);
                if (q.get("min") instanceof Number min && s.length() < min.intValue()) {
                    return "'" + var + "' value " + (type.equals("password") ? "" : s + " ") + "is too short (must be at least "
                            + min + " characters).";
                }
                if (q.get("max") instanceof Number max && s.length() > max.intValue()) {
                    return "'" + var + "' value is too long (must be no more than " + max + " characters).";
                }
            }
        }
        return null;
    }

    private static List<String> choices(Map<?, ?> q) {
        Object c = q.get("choices");
        if (c instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        if (c instanceof String s && !s.isBlank()) {
            return List.of(s.split("\n"));
        }
        return List.of();
    }
}
