package dev.towerless.core.notifications;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The notification backends Towerless delivers to and their configuration keys, as AWX names
 * them. Secret keys are sealed when stored and shown as {@code $encrypted$}.
 */
public final class NotificationTypes {
    private record Spec(List<String> required, List<String> optional, Set<String> secrets) {
    }

    private static final Map<String, Spec> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("email", new Spec(List.of("host", "port", "sender", "recipients"), List.of("username", "password",
                "use_tls", "use_ssl", "timeout"), Set.of("password")));
        TYPES.put("slack", new Spec(List.of("channels", "token"), List.of("hex_color"), Set.of("token")));
        TYPES.put("pagerduty", new Spec(List.of("subdomain", "token", "service_key", "client_name"), List.of(),
                Set.of("token")));
        TYPES.put("twilio", new Spec(List.of("account_sid", "account_token", "from_number", "to_numbers"), List.of(),
                Set.of("account_token")));
        TYPES.put("webhook", new Spec(List.of("url"), List.of("http_method", "username", "password", "headers",
                "disable_ssl_verification"), Set.of("password")));
        TYPES.put("mattermost", new Spec(List.of("mattermost_url"), List.of("mattermost_username", "mattermost_channel",
                "mattermost_icon_url", "mattermost_no_verify_ssl"), Set.of()));
        TYPES.put("rocketchat", new Spec(List.of("rocketchat_url"), List.of("rocketchat_username", "rocketchat_icon_url",
                "rocketchat_no_verify_ssl"), Set.of()));
        TYPES.put("grafana", new Spec(List.of("grafana_url", "grafana_key"), List.of("dashboardId", "panelId",
                "annotation_tags", "grafana_no_verify_ssl", "isRegion"), Set.of("grafana_key")));
    }

    private NotificationTypes() {
    }

    public static List<String> supported() {
        return List.copyOf(TYPES.keySet());
    }

    public static boolean isSecret(String type, String key) {
        Spec spec = TYPES.get(type);
        return spec != null && spec.secrets().contains(key);
    }

    /** AWX's messages for a configuration that lacks keys or has ill-typed ones; empty when valid. */
    public static List<String> problems(String type, Map<String, Object> configuration) {
        Spec spec = TYPES.get(type);
        if (spec == null) {
            return List.of("Towerless does not deliver " + type + " notifications; use one of " + String.join(", ", supported()) + ".");
        }
        List<String> missing = spec.required().stream()
                .filter(k -> configuration.get(k) == null || configuration.get(k).toString().isBlank()).toList();
        // Keys Towerless does not use are kept, not refused: AWX checks only the ones its backend needs.
        List<String> out = new java.util.ArrayList<>();
        if (!missing.isEmpty()) {
            out.add("Missing required fields for Notification Configuration: " + String.join(", ", missing) + ".");
        }
        for (String listKey : List.of("recipients", "channels", "to_numbers")) {
            if (spec.required().contains(listKey) && configuration.get(listKey) != null
                    && !(configuration.get(listKey) instanceof List<?>)) {
                out.add(listKey + " must be a list.");
            }
        }
        if ("email".equals(type)) {
            Object port = configuration.get("port");
            if (port != null && !(port instanceof Number n && n.intValue() > 0 && n.intValue() < 65536)) {
                out.add("port must be a number between 1 and 65535.");
            }
            if (Boolean.TRUE.equals(configuration.get("use_tls")) && Boolean.TRUE.equals(configuration.get("use_ssl"))) {
                out.add("use_tls and use_ssl cannot both be true.");
            }
            // A line break in an address would let it write mail headers of its own (the mailer refuses it too).
            List<Object> addresses = new java.util.ArrayList<>();
            addresses.add(configuration.get("sender"));
            if (configuration.get("recipients") instanceof List<?> r) {
                addresses.addAll(r);
            }
            if (addresses.stream().anyMatch(a -> a != null && a.toString().matches("(?s).*[\\r\\n\\x00].*"))) {
                out.add("Enter a valid email address: sender and recipients may not contain line breaks.");
            }
        }
        Object method = configuration.get("http_method");
        if ("webhook".equals(type) && method != null && !List.of("POST", "PUT").contains(method.toString().toUpperCase())) {
            out.add("HTTP method must be either 'POST' or 'PUT'.");
        }
        return out;
    }
}
