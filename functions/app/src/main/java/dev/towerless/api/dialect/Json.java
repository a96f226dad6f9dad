package dev.towerless.api.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON in and out of the API. Bodies are parsed here rather than bound by the framework so that
 * a malformed body is a 400 in AWX's words, and nulls and empty strings are rendered as AWX does.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request body as a JSON object; an empty body is an empty object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(String body) {
        if (body == null || body.isBlank()) {
            return new LinkedHashMap<>();
        }
        Object parsed;
        try {
            parsed = MAPPER.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("JSON parse error - " + e.getOriginalMessage());
        }
        if (!(parsed instanceof Map)) {
            throw ApiException.badRequest("Invalid data. Expected a dictionary, but got " + typeName(parsed) + ".");
        }
        return (Map<String, Object>) parsed;
    }

    /**
     * Launch-time {@code extra_vars} as AWX takes them: a dictionary, or JSON or YAML text of one;
     * null when not given.
     *
     * @throws IllegalArgumentException with AWX's message when it is neither
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> extraVars(Object given, dev.towerless.core.resources.VariablesCodec variables) {
        if (given == null) {
            return null;
        }
        if (given instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        if (!(given instanceof String s)) {
            throw new IllegalArgumentException("Must be a dictionary or valid JSON or YAML.");
        }
        try {
            return variables.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Must be valid JSON or YAML.");
        }
    }

    private static String typeName(Object o) {
        if (o instanceof java.util.List) {
            return "list";
        }
        if (o instanceof String) {
            return "str";
        }
        return o == null ? "NoneType" : o.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
