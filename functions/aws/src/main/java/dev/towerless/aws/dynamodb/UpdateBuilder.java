package dev.towerless.aws.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Builds one UpdateItem expression (SET/REMOVE with placeholder names) from a map of changes. */
final class UpdateBuilder {
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    final Map<String, String> names = new HashMap<>();
    final Map<String, AttributeValue> values = new HashMap<>();
    private int counter;

    UpdateBuilder set(String attribute, Object value) {
        String n = name(attribute);
        String v = value(value);
        sets.add(n + " = " + v);
        return this;
    }

    UpdateBuilder setAll(Map<String, Object> changes) {
        changes.forEach(this::set);
        return this;
    }

    UpdateBuilder remove(String attribute) {
        removes.add(name(attribute));
        return this;
    }

    String name(String attribute) {
        String placeholder = "#a" + counter++;
        names.put(placeholder, attribute);
        return placeholder;
    }

    String value(Object value) {
        String placeholder = ":v" + counter++;
        values.put(placeholder, AttributeValues.toAttribute(value));
        return placeholder;
    }

    String expression() {
        StringBuilder sb = new StringBuilder();
        if (!sets.isEmpty()) {
            sb.append("SET ").append(String.join(", ", sets));
        }
        if (!removes.isEmpty()) {
            sb.append(sb.length() > 0 ? " " : "").append("REMOVE ").append(String.join(", ", removes));
        }
        return sb.toString();
    }
}
