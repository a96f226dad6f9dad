package dev.towerless.core.resources;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The store keeps an object in one item of at most 400 KB (DynamoDB's limit), so a value that
 * would make it larger is the user's mistake, answered with a 400 that names the field, not a
 * 500 from the store after half the work. The budget leaves room for the keys, the index
 * attributes and the fields the system adds later (status, timestamps, results).
 */
public final class ItemSize {
    public static final int MAX_BYTES = 350_000;

    private ItemSize() {
    }

    /** The largest field and AWX-style message when {@code fields} would not fit, else empty. */
    public static Optional<Map.Entry<String, String>> problem(Map<String, Object> fields) {
        long total = 0;
        String largest = null;
        long largestSize = -1;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            long size = bytes(e.getKey()) + bytes(e.getValue());
            total += size;
            if (size > largestSize) {
                largest = e.getKey();
                largestSize = size;
            }
        }
        if (total <= MAX_BYTES) {
            return Optional.empty();
        }
        return Optional.of(Map.entry(largest, "Ensure this field has no more than " + MAX_BYTES
                + " bytes: the object would be " + total + " bytes, more than the store keeps in one object."));
    }

    /** Throws the 400 for {@link #problem}, naming {@code shownAs} for a field the API knows by another name. */
    public static void check(Map<String, Object> fields, Map<String, String> shownAs) {
        problem(fields).ifPresent(p -> {
            throw ValidationException.of(shownAs.getOrDefault(p.getKey(), p.getKey()), p.getValue());
        });
    }

    /** A close estimate of the value's stored size: UTF-8 text, numbers as DynamoDB stores them, containers recursively. */
    static long bytes(Object v) {
        if (v == null || v instanceof Boolean) {
            return 1;
        }
        if (v instanceof Number) {
            return 21;
        }
        if (v instanceof Map<?, ?> m) {
            long n = 3;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += 1 + bytes(String.valueOf(e.getKey())) + bytes(e.getValue());
            }
            return n;
        }
        if (v instanceof Collection<?> c) {
            long n = 3;
            for (Object x : c) {
                n += 1 + bytes(x);
            }
            return n;
        }
        return String.valueOf(v).getBytes(StandardCharsets.UTF_8).length;
    }
}
