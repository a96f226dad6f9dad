package dev.towerless.core.resources;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A non-job object of the AWX model (organization, inventory, host, credential, project,
 * job template, user, token …): its {@code type}, numeric {@code id} and AWX-named fields.
 */
public final class Resource {
    private final String type;
    private final long id;
    private final Map<String, Object> fields;

    public Resource(String type, long id, Map<String, Object> fields) {
        this.type = type;
        this.id = id;
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public String type() {
        return type;
    }

    public long id() {
        return id;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public Object get(String field) {
        return fields.get(field);
    }

    public String name() {
        Object n = fields.get("name");
        return n == null ? "" : n.toString();
    }

    public Optional<String> string(String field) {
        Object v = fields.get(field);
        return v instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }

    public Optional<Long> reference(String field) {
        Object v = fields.get(field);
        return v instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    public boolean flag(String field) {
        return Boolean.TRUE.equals(fields.get(field));
    }

    public List<Long> references(String field) {
        Object v = fields.get(field);
        if (!(v instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(o -> ((Number) o).longValue()).toList();
    }

    public Resource with(Map<String, Object> changes) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.putAll(changes);
        return new Resource(type, id, copy);
    }

    @Override
    public String toString() {
        return type + "-" + id;
    }
}
