package dev.towerless.core.settings;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How AWX's setting fields take a value (awx/conf/fields.py and DRF's fields), per field kind of
 * {@link AwxSettingsCatalogue}: {@link #check} gives AWX's message for a value its field refuses,
 * {@link #clean} the value as AWX stores it (a path list sorted, a URL without its trailing slash).
 * Integers and booleans stay in {@link SystemSettings}, which has always checked them.
 */
final class SettingValues {
    private static final Set<String> MOUNT_OPTIONS = Set.of("z", "O", "ro", "rw");
    private static final Set<String> OAUTH2_KEYS = Set.of("ACCESS_TOKEN_EXPIRE_SECONDS",
            "AUTHORIZATION_CODE_EXPIRE_SECONDS", "REFRESH_TOKEN_EXPIRE_SECONDS");
    private static final Pattern LOGO = Pattern.compile("^data:image/(?:png|jpeg|gif);base64,([A-Za-z0-9+/=]+?)$");

    private SettingValues() {
    }

    static Optional<String> check(AwxSettingsCatalogue.Entry e, Object v) {
        if (v == null) {
            return e.allowNull() || e.kind().equals("PendoTrackingStateField") ? Optional.empty()
                    : Optional.of("This field may not be null.");
        }
        return Optional.ofNullable(switch (e.kind()) {
            case "CharField", "URLField", "CustomLogoField" -> text(e, v);
            case "ChoiceField", "PendoTrackingStateField" -> choice(e, v);
            case "StringListField" -> strings(v);
            case "StringListPathField" -> paths(v);
            case "StringListIsolatedPathField" -> isolatedPaths(v);
            case "KeyValueField", "DictField" -> keyValues(v, e.kind().equals("KeyValueField"));
            case "OAuth2ProviderField" -> oauth2(v);
            case "DateTimeField" -> dateTime(v);
            case "PrimaryKeyRelatedField" -> v instanceof Number ? null
                    : "Incorrect type. Expected pk value, received " + pythonType(v) + ".";
            default -> "Towerless cannot take a value of this setting's kind (" + e.kind() + ").";
        });
    }

    static Object clean(AwxSettingsCatalogue.Entry e, Object v) {
        if (v == null) {
            return e.kind().equals("PendoTrackingStateField") ? "off" : null;
        }
        return switch (e.kind()) {
            case "URLField" -> ((String) v).replaceAll("/+$", "");
            case "StringListIsolatedPathField" -> ((List<?>) v).stream().map(String::valueOf).sorted().toList();
            case "StringListPathField" -> new TreeSet<>(((List<?>) v).stream().map(String::valueOf).toList()).stream().toList();
            case "StringListField" -> ((List<?>) v).stream().map(String::valueOf).toList();
            case "PrimaryKeyRelatedField" -> ((Number) v).longValue();
            case "OAuth2ProviderField" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), ((Number) x).longValue()));
                yield out;
            }
            case "KeyValueField", "DictField" -> new LinkedHashMap<>((Map<?, ?>) v);
            default -> v;
        };
    }

    private static String text(AwxSettingsCatalogue.Entry e, Object v) {
        if (!(v instanceof String s)) {
            return v instanceof Number ? null : "Not a valid string.";
        }
        if (s.isBlank()) {
            return e.allowBlank() || e.kind().equals("CustomLogoField") ? null : "This field may not be blank.";
        }
        if (e.kind().equals("URLField") && !(s.startsWith("http://") || s.startsWith("https://"))) {
            return "Enter a valid URL.";
        }
        if (e.kind().equals("CustomLogoField")) {
            Matcher m = LOGO.matcher(s);
            if (!m.matches()) {
                return "Invalid format for custom logo. Must be a data URL with a base64-encoded GIF, PNG or JPEG image.";
            }
            try {
                Base64.getDecoder().decode(m.group(1));
            } catch (IllegalArgumentException bad) {
                return "Invalid base64-encoded data in data URL.";
            }
        }
        return null;
    }

    private static String choice(AwxSettingsCatalogue.Entry e, Object v) {
        if (e.kind().equals("PendoTrackingStateField") && Boolean.FALSE.equals(v)) {
            return null;
        }
        return e.choices() != null && e.choices().contains(v) ? null : "\"" + v + "\" is not a valid choice.";
    }

    private static String strings(Object v) {
        if (!(v instanceof List<?> list)) {
            return "Expected a list of items but got type \"" + pythonType(v) + "\".";
        }
        for (Object item : list) {
            if (!(item instanceof String) && !(item instanceof Number)) {
                return "Not a valid string.";
            }
        }
        return null;
    }

    /** AWX requires each path to exist where it runs; no such path (a virtualenv) exists in Towerless's functions. */
    private static String paths(Object v) {
        if (!(v instanceof List<?> list)) {
            return "Expected list of strings but got " + pythonClass(v) + " instead.";
        }
        for (Object p : list) {
            if (!(p instanceof String)) {
                return "Expected list of strings but got " + pythonClass(p) + " instead.";
            }
            return p + " is not a valid path choice.";
        }
        return null;
    }

    /** HOST-DIR[:CONTAINER-DIR[:OPTIONS]], each an absolute path, as AWX's isolated path field. */
    private static String isolatedPaths(Object v) {
        if (!(v instanceof List<?> list)) {
            return "Expected list of strings but got " + pythonClass(v) + " instead.";
        }
        for (Object item : list) {
            if (!(item instanceof String p)) {
                return "Expected list of strings but got " + pythonClass(item) + " instead.";
            }
            if (!p.startsWith("/")) {
                return p + " is not a valid path choice. You must provide an absolute path.";
            }
            String[] parts = p.split(":", -1);
            if (parts.length > 3) {
                return "Invalid syntax. A string HOST-DIR[:CONTAINER-DIR[:OPTIONS]] is expected but got " + p + ".";
            }
            if (parts.length > 1) {
                for (int i = 0; i < 2; i++) {
                    if (parts[i].isEmpty()) {
                        return "Invalid syntax. A string HOST-DIR[:CONTAINER-DIR[:OPTIONS]] is expected but got " + parts[i] + ".";
                    }
                    if (!parts[i].startsWith("/")) {
                        return parts[i] + " is not a valid path choice. You must provide an absolute path.";
                    }
                }
                String option = parts.length == 3 ? parts[2] : "z";
                if (!MOUNT_OPTIONS.contains(option)) {
                    return option + " is not a valid mount option. Allowed types are " + List.of("z", "O", "ro", "rw");
                }
            }
        }
        return null;
    }

    private static String keyValues(Object v, boolean scalarsOnly) {
        if (!(v instanceof Map<?, ?> map)) {
            return "Expected a dictionary of items but got type \"" + pythonType(v) + "\".";
        }
        if (scalarsOnly) {
            for (Object x : map.values()) {
                if (!(x instanceof String) && !(x instanceof Number)) {
                    return "\"" + x + "\" is not a valid string.";
                }
            }
        }
        return null;
    }

    private static String oauth2(Object v) {
        String notDict = keyValues(v, false);
        if (notDict != null) {
            return notDict;
        }
        List<String> invalid = new ArrayList<>();
        for (Map.Entry<?, ?> x : ((Map<?, ?>) v).entrySet()) {
            if (!OAUTH2_KEYS.contains(String.valueOf(x.getKey()))) {
                invalid.add(String.valueOf(x.getKey()));
            } else if (!(x.getValue() instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                return "A valid integer is required.";
            } else if (n.longValue() < 1) {
                return "Ensure this value is greater than or equal to 1.";
            }
        }
        return invalid.isEmpty() ? null : "Invalid key names: " + String.join(", ", invalid);
    }

    private static String dateTime(Object v) {
        try {
            OffsetDateTime.parse(String.valueOf(v).replace(" ", "T"));
            return null;
        } catch (DateTimeParseException e) {
            return "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";
        }
    }

    private static String pythonType(Object v) {
        return v instanceof String ? "str" : v instanceof List ? "list" : v instanceof Map ? "dict"
                : v instanceof Boolean ? "bool" : v instanceof Number ? "int" : "NoneType";
    }

    private static String pythonClass(Object v) {
        return "<class '" + pythonType(v) + "'>";
    }
}
