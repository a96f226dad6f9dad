package dev.towerless.aws.dynamodb;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Plain values (String, Number, Boolean, List, Map, null) to DynamoDB attribute values and back.
 * Integral numbers come back as {@link Long}, others as {@link Double}.
 */
final class AttributeValues {
    private AttributeValues() {
    }

    static Map<String, AttributeValue> toItem(Map<String, Object> fields) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        fields.forEach((k, v) -> item.put(k, toAttribute(v)));
        return item;
    }

    static Map<String, Object> fromItem(Map<String, AttributeValue> item) {
        Map<String, Object> fields = new LinkedHashMap<>();
        item.forEach((k, v) -> fields.put(k, fromAttribute(v)));
        return fields;
    }

    static AttributeValue toAttribute(Object v) {
        if (v == null) {
            return AttributeValue.fromNul(true);
        }
        if (v instanceof String s) {
            return AttributeValue.fromS(s);
        }
        if (v instanceof Boolean b) {
            return AttributeValue.fromBool(b);
        }
        if (v instanceof Number n) {
            return AttributeValue.fromN(n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue()).toPlainString() : n.toString());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, AttributeValue> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), toAttribute(x)));
            return AttributeValue.fromM(out);
        }
        if (v instanceof List<?> l) {
            List<AttributeValue> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(toAttribute(x)));
            return AttributeValue.fromL(out);
        }
        throw new IllegalArgumentException("cannot store a " + v.getClass().getName());
    }

    static Object fromAttribute(AttributeValue a) {
        if (a.s() != null) {
            return a.s();
        }
        if (a.n() != null) {
            String n = a.n();
            if (n.indexOf('.') >= 0 || n.indexOf('e') >= 0 || n.indexOf('E') >= 0) {
                return Double.valueOf(n);
            }
            return Long.valueOf(n);
        }
        if (a.bool() != null) {
            return a.bool();
        }
        if (Boolean.TRUE.equals(a.nul())) {
            return null;
        }
        if (a.hasM()) {
            Map<String, Object> out = new LinkedHashMap<>();
            a.m().forEach((k, x) -> out.put(k, fromAttribute(x)));
            return out;
        }
        if (a.hasL()) {
            List<Object> out = new ArrayList<>();
            a.l().forEach(x -> out.add(fromAttribute(x)));
            return out;
        }
        return null;
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
