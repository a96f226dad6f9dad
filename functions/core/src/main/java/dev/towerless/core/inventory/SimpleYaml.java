package dev.towerless.core.inventory;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Block-style YAML for the small documents AWX writes with PyYAML's {@code safe_dump}
 * (maps, lists and scalars; plain scalars where YAML would not read them as something else,
 * single-quoted otherwise), so a file Towerless writes reads byte for byte like AWX's.
 */
final class SimpleYaml {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@-][A-Za-z0-9_./:@ -]*");
    /** What YAML 1.1 resolves to a boolean, null or number: such strings must be quoted. */
    private static final Pattern SPECIAL = Pattern.compile(
            "(?i)(y|yes|n|no|true|false|on|off|null|~)|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?|\\.(inf|nan)|0x[0-9a-f_]+|0o?[0-7_]+");

    private SimpleYaml() {
    }

    static void write(Object value, int indent, StringBuilder out) {
        String pad = " ".repeat(indent);
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(pad).append(scalar(String.valueOf(e.getKey())));
                nested(e.getValue(), indent, out);
            }
        } else if (value instanceof List<?> list) {
            for (Object item : list) { // lists of scalars only: all AWX's clouds.yaml needs
                out.append(pad).append("- ").append(scalarValue(item)).append('\n');
            }
        }
    }

    private static void nested(Object value, int indent, StringBuilder out) {
        boolean isMap = value instanceof Map<?, ?> m && !m.isEmpty();
        boolean isList = value instanceof List<?> l && !l.isEmpty();
        if (isMap || isList) {
            out.append(":\n");
            write(value, indent + 2, out);
        } else {
            out.append(": ").append(value instanceof Map<?, ?> ? "{}" : value instanceof List<?> ? "[]" : scalarValue(value)).append('\n');
        }
    }

    private static String scalarValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean || value instanceof Number) {
            return String.valueOf(value);
        }
        return scalar(String.valueOf(value));
    }

    private static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !s.endsWith(" ") && !SPECIAL.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "''") + "'";
    }
}
