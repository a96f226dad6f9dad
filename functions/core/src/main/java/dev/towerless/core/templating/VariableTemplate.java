package dev.towerless.core.templating;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of AWX's Jinja templates Towerless renders (notification messages, credential
 * injectors): {@code {{ name }}} and dotted paths such as {@code {{ job.status }}}. Statements
 * and filters ({@code {% %}}, {@code |}) are refused when the template is saved, so nothing ever
 * renders differently from what its author expects.
 */
public final class VariableTemplate {
    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*)\\s*}}");

    private VariableTemplate() {
    }

    /** Why the text cannot be rendered, or null when it can. */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        if (text.contains("{%") || text.contains("{#")) {
            return "Only {{ variable }} substitutions are supported; {% %} statements are not.";
        }
        String rest = EXPRESSION.matcher(text).replaceAll("");
        if (rest.contains("{{") || rest.contains("}}")) {
            return "Only {{ variable }} substitutions (dotted names, no filters) are supported.";
        }
        return null;
    }

    /** Substitutes each expression; a missing name renders as nothing, as Jinja does. */
    public static String render(String text, Map<String, Object> context, java.util.function.Function<Object, String> json) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = lookup(context, m.group(1));
            String shown = value == null ? "" : value instanceof Map || value instanceof List ? json.apply(value) : value.toString();
            m.appendReplacement(out, Matcher.quoteReplacement(shown));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object lookup(Map<String, Object> context, String path) {
        Object current = context;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }
}
