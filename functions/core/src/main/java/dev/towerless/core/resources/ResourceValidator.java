package dev.towerless.core.resources;

import dev.towerless.core.ports.ResourceStore;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks API input against a {@link ResourceSchema} the way AWX (Django REST framework) does:
 * unknown fields are ignored, every problem is reported under its field name, and nothing is
 * written unless everything is valid.
 */
public final class ResourceValidator {
    private final ResourceStore store;
    private final VariablesCodec variables;

    public ResourceValidator(ResourceStore store, VariablesCodec variables) {
        this.store = store;
        this.variables = variables;
    }

    /** Fields for a new object: input merged over defaults. */
    public Map<String, Object> forCreate(ResourceSchema schema, Map<String, Object> input) {
        return check(schema, Map.of(), input, false);
    }

    /**
     * Changes for an existing object. {@code partial} is PATCH (only given fields); otherwise PUT,
     * where required fields must be given again.
     */
    public Map<String, Object> forUpdate(ResourceSchema schema, Map<String, Object> existing,
                                         Map<String, Object> input, boolean partial) {
        return check(schema, existing, input, partial);
    }

    private Map<String, Object> check(ResourceSchema schema, Map<String, Object> existing,
                                      Map<String, Object> input, boolean partial) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Map<String, Object> out = new LinkedHashMap<>();
        boolean creating = existing.isEmpty();
        for (FieldSpec spec : schema.fields()) {
            if (!input.containsKey(spec.name())) {
                if (spec.required() && (creating || !partial)) {
                    errors.put(spec.name(), List.of("This field is required."));
                } else if (creating) {
                    out.put(spec.name(), spec.defaultValue());
                }
                continue;
            }
            try {
                out.put(spec.name(), coerce(spec, input.get(spec.name())));
            } catch (IllegalArgumentException e) {
                errors.put(spec.name(), List.of(e.getMessage()));
            }
        }
        if (errors.isEmpty()) {
            Map<String, Object> merged = new LinkedHashMap<>(existing);
            merged.putAll(out);
            schema.rule().check(merged, errors);
            ItemSize.problem(merged).ifPresent(p -> errors.put(p.getKey(), List.of(p.getValue())));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return out;
    }

    private Object coerce(FieldSpec spec, Object value) {
        if (value == null) {
            if (spec.kind() == FieldSpec.Kind.REFERENCE && !spec.required()) {
                return null;
            }
            // AWX takes null for an optional field as "not set": awx.awx sends every option it was not
            // given as null (kind, host_filter, enabled …).
            if (!spec.required()) {
                return spec.defaultValue();
            }
            throw new IllegalArgumentException("This field may not be null.");
        }
        return switch (spec.kind()) {
            case STRING, TEXT -> text(spec, value);
            case INTEGER -> integer(value);
            case BOOLEAN -> bool(value);
            case REFERENCE -> reference(spec, value);
            case CHOICE -> choice(spec, value);
            case VARIABLES -> vars(value);
            case DICT -> {
                if (!(value instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("Expected a dictionary of items but got type \""
                            + typeName(value) + "\".");
                }
                yield new LinkedHashMap<>(m);
            }
        };
    }

    private static String text(FieldSpec spec, Object value) {
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException("Not a valid string.");
        }
        String s = value.toString();
        if (spec.required() && s.isBlank()) {
            throw new IllegalArgumentException("This field may not be blank.");
        }
        if (spec.maxLength() > 0 && s.length() > spec.maxLength()) {
            throw new IllegalArgumentException("Ensure this field has no more than " + spec.maxLength() + " characters.");
        }
        return s;
    }

    private static long integer(Object value) {
        try {
            if (value instanceof Number n) {
                return new BigDecimal(n.toString()).longValueExact();
            }
            if (value instanceof String s) {
                return Long.parseLong(s.trim());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("A valid integer is required.");
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String s = value.toString().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("Must be a valid boolean.");
        };
    }

    private long reference(FieldSpec spec, Object value) {
        long id;
        try {
            id = value instanceof String s ? Long.parseLong(s.trim()) : integerOrFail(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Incorrect type. Expected pk value, received " + typeName(value) + ".");
        }
        if (store.get(spec.references(), id).isEmpty()) {
            throw new IllegalArgumentException("Invalid pk \"" + id + "\" - object does not exist.");
        }
        return id;
    }

    private static long integerOrFail(Object value) {
        if (value instanceof Number) {
            return integer(value);
        }
        throw new NumberFormatException();
    }

    private static Object choice(FieldSpec spec, Object value) {
        for (Object c : spec.choices()) {
            if (c.equals(value) || (c instanceof Number && value instanceof Number && ((Number) c).longValue() == ((Number) value).longValue())
                    || (c instanceof Number && value instanceof String s && s.equals(c.toString()))) {
                return c;
            }
        }
        throw new IllegalArgumentException("\"" + value + "\" is not a valid choice.");
    }

    private String vars(Object value) {
        if (value instanceof Map<?, ?> m) {
            return variables.toJson(m);
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("Must be valid JSON or YAML.");
        }
        if (!s.isBlank()) {
            try {
                variables.parse(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Must be valid JSON or YAML.");
            }
        }
        return s;
    }

    private static String typeName(Object value) {
        if (value instanceof String) {
            return "str";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Number) {
            return "int";
        }
        if (value instanceof List) {
            return "list";
        }
        return value instanceof Map ? "dict" : "object";
    }
}
