package dev.towerless.core.templating;

import dev.towerless.core.settings.JinjaInExtraVars;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The extra variables file a run hands to ansible ({@code env/extravars}), written as AWX's
 * {@code safe_dump} writes it: a top-level variable whose value is exactly its job template's
 * own is dumped plainly, and every other one is tagged {@code !unsafe} all the way down, keys
 * included, so ansible treats its strings as data and never evaluates the Jinja in them. The
 * template's own variables are the only ones that come from someone with admin on the template;
 * launch-time values, survey answers, workflow and schedule data, set_stats artifacts and ad hoc
 * variables do not, unless they repeat the template's value.
 *
 * <p>The output is YAML in block style with every string double-quoted, so no string is ever
 * read back as another type; long keys use YAML's explicit {@code ? key} form because PyYAML
 * (ansible's loader) refuses a plain key longer than 1024 characters.
 */
public final class ExtraVarsFile {
    private static final String UNSAFE = "!unsafe ";
    /** Keys longer than this are written in the explicit form (PyYAML's limit is 1024 characters). */
    private static final int IMPLICIT_KEY_LIMIT = 512;

    private ExtraVarsFile() {
    }

    /**
     * The file for a run (AWX's {@code _write_extra_vars_file}): under {@code always} nothing is
     * tagged; under {@code template} a variable equal to the template's own is trusted; under
     * {@code never} none is. {@code templateVars} is empty for runs without a job template (ad hoc
     * commands). {@code injected} (a custom credential's extra_vars injector) are added last and
     * always tagged, as AWX dumps them with {@code safe_dump} whatever the setting.
     */
    public static String forRun(Map<String, Object> vars, Map<String, Object> templateVars, JinjaInExtraVars policy,
                                Map<String, Object> injected) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(vars);
        all.putAll(injected);
        StringBuilder out = new StringBuilder();
        all.forEach((k, v) -> {
            boolean trusted = !injected.containsKey(k) && switch (policy) {
                case ALWAYS -> true;
                case NEVER -> false;
                case TEMPLATE -> templateVars.containsKey(k) && sameValue(templateVars.get(k), v);
            };
            entry(out, k, v, !trusted, 0);
        });
        return out.length() == 0 ? "{}\n" : out.toString();
    }

    /** AWX's {@code safe_dump(vars, safe_dict)}. */
    public static String safeDump(Map<String, Object> vars, Map<String, Object> safe) {
        return forRun(vars, safe, JinjaInExtraVars.TEMPLATE, Map.of());
    }

    /**
     * Python's {@code ==} on parsed variables, which is what AWX compares: numbers by value
     * (1 equals 1.0), maps and lists element by element. A boolean never equals a number here
     * (Python says {@code True == 1}); being stricter only ever marks more values unsafe.
     */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return decimal(x).compareTo(decimal(y)) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !sameValue(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameValue(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return java.util.Objects.equals(a, b);
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : BigDecimal.valueOf(Double.MAX_VALUE).multiply(BigDecimal.TEN);
        }
        return BigDecimal.valueOf(n.longValue());
    }

    private static void entry(StringBuilder out, Object key, Object value, boolean unsafe, int indent) {
        String k = scalar(key, unsafe);
        String pad = " ".repeat(indent);
        if (k.length() <= IMPLICIT_KEY_LIMIT) {
            out.append(pad).append(k).append(':');
        } else {
            out.append(pad).append("? ").append(k).append('\n').append(pad).append(':');
        }
        value(out, value, unsafe, indent);
    }

    /** Writes a value after "key:" or "-": scalars and empty collections inline, the rest indented below. */
    private static void value(StringBuilder out, Object value, boolean unsafe, int indent) {
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            out.append('\n');
            m.forEach((k, v) -> entry(out, k, v, unsafe, indent + 2));
        } else if (value instanceof List<?> l && !l.isEmpty()) {
            out.append('\n');
            for (Object item : l) {
                out.append(" ".repeat(indent + 2)).append('-');
                value(out, item, unsafe, indent + 2);
            }
        } else if (value instanceof Object[] array) {
            value(out, List.of(array), unsafe, indent);
        } else {
            out.append(' ').append(value instanceof Map ? "{}" : value instanceof List ? "[]" : scalar(value, unsafe))
                    .append('\n');
        }
    }

    /** Only strings are tagged, as AWX's SafeStringDumper tags only {@code str}. */
    private static String scalar(Object v, boolean unsafe) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof Number n) {
            return decimalText(n);
        }
        return (unsafe ? UNSAFE : "") + quoted(v.toString());
    }

    /** A float as YAML 1.1 (PyYAML) reads one: a dot in the mantissa and a signed exponent. */
    private static String decimalText(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d)) {
                return ".nan";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? ".inf" : "-.inf";
            }
        }
        String s = n instanceof BigDecimal b ? b.toString() : Double.toString(n.doubleValue());
        String mantissa = s;
        String exponent = "";
        int e = s.toUpperCase(java.util.Locale.ROOT).indexOf('E');
        if (e >= 0) {
            mantissa = s.substring(0, e);
            String digits = s.substring(e + 1);
            exponent = "e" + (digits.startsWith("-") || digits.startsWith("+") ? digits : "+" + digits);
        }
        if (!mantissa.contains(".")) {
            mantissa = mantissa + ".0";
        }
        return mantissa + exponent;
    }

    /**
     * A YAML double-quoted scalar. Besides quotes and backslashes, it escapes every character
     * YAML treats as a line break (U+0085, U+2028, U+2029) or may not carry in a stream (C0 and C1
     * controls, DEL, U+FEFF, U+FFFE, U+FFFF); a lone surrogate, which UTF-8 cannot carry, becomes
     * U+FFFD.
     */
    static String quoted(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
                continue;
            }
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\0' -> out.append("\\0");
                case '\u0085' -> out.append("\\N");
                case '\u2028' -> out.append("\\L");
                case '\u2029' -> out.append("\\P");
                default -> {
                    if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                        out.append(String.format("\\x%02X", (int) c));
                    } else if (c == '\uFEFF' || c == '\uFFFE' || c == '\uFFFF') {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
