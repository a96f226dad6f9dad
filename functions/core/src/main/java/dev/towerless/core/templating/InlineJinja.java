package dev.towerless.core.templating;

import java.util.regex.Pattern;

/**
 * AWX's {@code sanitize_jinja}: text that looks like a Jinja expression ({@code {{ x }}}) or
 * statement ({@code {% if x %}}) is refused where ansible would evaluate it and nobody with
 * admin rights wrote it (an ad hoc command's module arguments).
 */
public final class InlineJinja {
    /** AWX's words. */
    public static final String NOT_ALLOWED = "Inline Jinja variables are not allowed.";
    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{[^}]+}}");
    private static final Pattern STATEMENT = Pattern.compile("\\{%[^%]+%}");

    private InlineJinja() {
    }

    public static boolean present(String text) {
        return text != null && (EXPRESSION.matcher(text).find() || STATEMENT.matcher(text).find());
    }
}
