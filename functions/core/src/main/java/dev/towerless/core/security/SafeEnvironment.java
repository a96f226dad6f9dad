package dev.towerless.core.security;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A run's environment as AWX stores it in {@code job_env} ({@code build_safe_env},
 * awx/main/models/credential/__init__.py): a variable whose name looks secret (API, TOKEN, KEY,
 * SECRET, PASS) reads {@code **********} unless it is {@code AWS_ACCESS_KEY_ID} or an
 * Ansible setting; a URL with a password is hidden whole. Towerless then also hides every value
 * of the job's own secrets wherever it appears, as AWX's safe credential namespace does for
 * injected variables.
 */
public final class SafeEnvironment {
    public static final String HIDDEN = "**********";
    private static final Pattern SECRET_NAME = Pattern.compile("API|TOKEN|KEY|SECRET|PASS", Pattern.CASE_INSENSITIVE);
    private static final Pattern URL_WITH_PASSWORD = Pattern.compile("^.*?://[^:]+:(.*?)@.*?$", Pattern.DOTALL);

    private SafeEnvironment() {
    }

    public static Map<String, String> of(Map<String, String> env, Collection<String> secrets) {
        List<String> values = secrets.stream().filter(s -> s != null && s.length() >= 4)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        Map<String, String> safe = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            String value = v == null ? "" : v;
            if (k.equals("AWS_ACCESS_KEY_ID")
                    || (k.startsWith("ANSIBLE_") && !k.startsWith("ANSIBLE_NET") && !k.startsWith("ANSIBLE_GALAXY_SERVER"))) {
                // kept as AWX keeps them
            } else if (SECRET_NAME.matcher(k).find()) {
                value = HIDDEN;
            } else if (URL_WITH_PASSWORD.matcher(value).matches()) {
                value = HIDDEN;
            }
            for (String secret : values) {
                value = value.replace(secret, HIDDEN);
            }
            safe.put(k, value);
        });
        return safe;
    }
}
