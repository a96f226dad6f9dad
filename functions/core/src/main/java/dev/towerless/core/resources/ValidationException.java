package dev.towerless.core.resources;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bad input, as AWX reports it: field name → messages. The API answers 400 with this body. */
public class ValidationException extends RuntimeException {
    private final Map<String, List<String>> errors;

    public ValidationException(Map<String, List<String>> errors) {
        super(errors.toString());
        this.errors = Map.copyOf(new LinkedHashMap<>(errors));
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(Map.of(field, List.of(message)));
    }

    public Map<String, List<String>> errors() {
        return errors;
    }
}
