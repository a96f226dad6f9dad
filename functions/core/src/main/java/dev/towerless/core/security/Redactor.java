package dev.towerless.core.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is stored or shown: the exact values of a job's
 * credentials, and user:password parts of URLs (as AWX's UriCleaner does for SCM output).
 */
public final class Redactor {
    private static final Pattern URL_USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@\\s]+)@");
    /** Values shorter than this are not redacted: replacing "a" or "yes" everywhere helps no one. */
    private static final int MIN_SECRET_LENGTH = 4;

    private final List<String> secrets;

    public Redactor(Collection<String> secrets) {
        List<String> usable = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_SECRET_LENGTH) {
                usable.add(s);
            }
        }
        // Longest first, so a secret containing another is replaced whole.
        usable.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(usable);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, SecretBox.ENCRYPTED);
            }
        }
        return redactUrlCredentials(out);
    }

    public static String redactUrlCredentials(String text) {
        return URL_USERINFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + (m.group(2).contains(":") ? "$encrypted$:$encrypted$" : "$encrypted$") + "@"));
    }
}
