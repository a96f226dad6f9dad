package dev.towerless.core.settings;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AWX's system settings ({@code /api/v2/settings/}): every setting AWX registers for its API
 * ({@link AwxSettingsCatalogue}), checked as AWX's field checks it, shown with AWX's default
 * until changed. Those with a meaning here are honoured: the default timeout of each job kind
 * (used when the job's own timeout is 0; negative means none), extra environment for ansible,
 * the forks cap, which extra variables may carry Jinja, the ad hoc modules, the bulk limits,
 * the organization-admin rules; docs/settings.md says which do what. Stored as one item; only
 * overrides are stored.
 */
public final class SystemSettings {
    public static final String TYPE = "setting";
    public static final long ID = 1;

    public static final String DEFAULT_JOB_TIMEOUT = "DEFAULT_JOB_TIMEOUT";
    public static final String DEFAULT_PROJECT_UPDATE_TIMEOUT = "DEFAULT_PROJECT_UPDATE_TIMEOUT";
    public static final String DEFAULT_INVENTORY_UPDATE_TIMEOUT = "DEFAULT_INVENTORY_UPDATE_TIMEOUT";
    public static final String AWX_TASK_ENV = "AWX_TASK_ENV";
    public static final String MAX_FORKS = "MAX_FORKS";
    /** Where users reach this installation; notifications link to jobs under it. */
    public static final String TOWER_URL_BASE = "TOWER_URL_BASE";
    /** Which extra variables ansible may evaluate Jinja in ({@link JinjaInExtraVars}). */
    public static final String ALLOW_JINJA_IN_EXTRA_VARS = "ALLOW_JINJA_IN_EXTRA_VARS";

    /** AWX: organization and team admins may manage their users and memberships. */
    public static final String MANAGE_ORGANIZATION_AUTH = "MANAGE_ORGANIZATION_AUTH";
    /** AWX: an organization's admins and auditors see every user and team. */
    public static final String ORG_ADMINS_CAN_SEE_ALL_USERS = "ORG_ADMINS_CAN_SEE_ALL_USERS";

    /** AWX: the modules an ad hoc command may run. */
    public static final String AD_HOC_COMMANDS = "AD_HOC_COMMANDS";
    public static final String BULK_HOST_MAX_CREATE = "BULK_HOST_MAX_CREATE";
    public static final String BULK_JOB_MAX_LAUNCH = "BULK_JOB_MAX_LAUNCH";

    /** Name → (category, default); the default may be null (AWX's None). */
    private static final Map<String, List<Object>> KNOWN = new LinkedHashMap<>();
    /** Name → how AWX registers it, for the settings it registers. */
    private static final Map<String, AwxSettingsCatalogue.Entry> REGISTERED = new LinkedHashMap<>();

    static {
        for (AwxSettingsCatalogue.Entry e : AwxSettingsCatalogue.entries()) {
            REGISTERED.put(e.name(), e);
            if (e.refused() == null) {
                KNOWN.put(e.name(), java.util.Arrays.asList(e.category(), e.defaultValue()));
            }
        }
        KNOWN.put(DEFAULT_JOB_TIMEOUT, List.of("jobs", 0L));
        KNOWN.put(DEFAULT_PROJECT_UPDATE_TIMEOUT, List.of("jobs", 0L));
        KNOWN.put(DEFAULT_INVENTORY_UPDATE_TIMEOUT, List.of("jobs", 0L));
        KNOWN.put(AWX_TASK_ENV, List.of("jobs", Map.of()));
        KNOWN.put(MAX_FORKS, List.of("jobs", 200L));
        KNOWN.put(TOWER_URL_BASE, List.of("system", "https://platformhost"));
        KNOWN.put(MANAGE_ORGANIZATION_AUTH, List.of("system", true));
        KNOWN.put(ORG_ADMINS_CAN_SEE_ALL_USERS, List.of("system", true));
        KNOWN.put(ALLOW_JINJA_IN_EXTRA_VARS, List.of("jobs", JinjaInExtraVars.TEMPLATE.value()));
    }

    private final Map<String, Object> values;

    private SystemSettings(Map<String, Object> values) {
        this.values = values;
    }

    public static SystemSettings load(ResourceStore store) {
        Map<String, Object> values = new LinkedHashMap<>();
        KNOWN.forEach((k, v) -> values.put(k, v.get(1)));
        store.get(TYPE, ID).ifPresent(r -> r.fields().forEach((k, v) -> {
            if (KNOWN.containsKey(k)) {
                values.put(k, v);
            }
        }));
        return new SystemSettings(values);
    }

    /** The setting's type as DRF's metadata names it (OPTIONS). */
    public static String fieldType(String name) {
        AwxSettingsCatalogue.Entry e = REGISTERED.get(name);
        String kind = e != null ? e.kind() : KNOWN.get(name).get(1) instanceof Boolean ? "BooleanField"
                : KNOWN.get(name).get(1) instanceof Number ? "IntegerField" : "CharField";
        return switch (kind) {
            case "BooleanField" -> "boolean";
            case "IntegerField" -> "integer";
            case "ChoiceField", "PendoTrackingStateField" -> "choice";
            case "StringListField", "StringListPathField", "StringListIsolatedPathField" -> "list";
            case "KeyValueField", "DictField", "OAuth2ProviderField" -> "nested object";
            case "PrimaryKeyRelatedField" -> "field";
            case "DateTimeField" -> "datetime";
            default -> "string";
        };
    }

    public static List<String> categories() {
        return KNOWN.values().stream().map(v -> (String) v.get(0)).distinct().toList();
    }

    /** The settings of a category ("all" for every one). */
    public Map<String, Object> category(String slug) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (slug.equals("all") || KNOWN.get(k).get(0).equals(slug)) {
                out.put(k, v);
            }
        });
        return out;
    }

    public String text(String name) {
        return String.valueOf(values.get(name));
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    /** A list setting's strings (AD_HOC_COMMANDS, AWX_ISOLATION_SHOW_PATHS …). */
    public List<String> strings(String name) {
        return values.get(name) instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    public long number(String name) {
        return ((Number) values.get(name)).longValue();
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> taskEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        ((Map<String, Object>) values.get(AWX_TASK_ENV)).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    /** When ansible may evaluate Jinja in extra variables; a stored value it does not know counts as AWX's default. */
    public JinjaInExtraVars jinjaInExtraVars() {
        return JinjaInExtraVars.of(values.get(ALLOW_JINJA_IN_EXTRA_VARS)).orElse(JinjaInExtraVars.TEMPLATE);
    }

    /** A job's effective timeout in seconds (0 = none): its own if positive, else the kind's default. */
    public long timeout(long own, String defaultSetting) {
        if (own != 0) {
            return Math.max(0, own);
        }
        return Math.max(0, number(defaultSetting));
    }

    /** Checks and stores changes; every problem is reported under the setting's name. */
    public static Map<String, Object> change(ResourceStore store, Map<String, Object> changes) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Map<String, Object> clean = new LinkedHashMap<>();
        changes.forEach((k, v) -> {
            AwxSettingsCatalogue.Entry registered = REGISTERED.get(k);
            if (!KNOWN.containsKey(k)) {
                errors.put(k, List.of(registered != null ? registered.refused()
                        : "Unknown setting: AWX 21.14.0 registers no setting of this name (single sign-on settings do not apply here)."));
            } else if (registered != null && registered.readOnly()) {
                errors.put(k, List.of("This setting is read-only."));
            } else if (k.equals(AWX_TASK_ENV)) {
                if (v instanceof Map<?, ?> m) {
                    clean.put(k, new LinkedHashMap<>(m));
                } else {
                    errors.put(k, List.of("Expected a dictionary of items but got type \"" + typeOf(v) + "\"."));
                }
            } else if (k.equals(TOWER_URL_BASE)) {
                if (v instanceof String url && (url.startsWith("http://") || url.startsWith("https://"))) {
                    clean.put(k, url.replaceAll("/+$", ""));
                } else {
                    errors.put(k, List.of("Enter a valid URL."));
                }
            } else if (k.equals(ALLOW_JINJA_IN_EXTRA_VARS)) {
                // AWX's ChoiceField (required): the value itself, never null or another spelling.
                if (v == null) {
                    errors.put(k, List.of("This field may not be null."));
                } else if (JinjaInExtraVars.of(v).isEmpty()) {
                    errors.put(k, List.of("\"" + v + "\" is not a valid choice."));
                } else {
                    clean.put(k, v);
                }
            } else if (registered != null && !registered.kind().equals("IntegerField") && !registered.kind().equals("BooleanField")) {
                java.util.Optional<String> problem = SettingValues.check(registered, v);
                if (problem.isEmpty() && registered.kind().equals("PrimaryKeyRelatedField") && v != null
                        && store.get(dev.towerless.core.resources.ResourceTypes.EXECUTION_ENVIRONMENT, ((Number) v).longValue()).isEmpty()) {
                    problem = java.util.Optional.of("Invalid pk \"" + v + "\" - object does not exist.");
                }
                problem.ifPresentOrElse(p -> errors.put(k, List.of(p)), () -> clean.put(k, SettingValues.clean(registered, v)));
            } else if (v == null && registered != null && registered.allowNull()) {
                clean.put(k, null);
            } else if (KNOWN.get(k).get(1) instanceof Boolean || registered != null && registered.kind().equals("BooleanField")) {
                if (v instanceof Boolean b) {
                    clean.put(k, b);
                } else {
                    errors.put(k, List.of("Must be a valid boolean."));
                }
            } else if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                long min = k.equals(MAX_FORKS) ? 0 : registered != null && registered.min() != null ? registered.min() : Long.MIN_VALUE;
                long max = registered != null && registered.max() != null ? registered.max() : Long.MAX_VALUE;
                if (n.longValue() < min) {
                    errors.put(k, List.of("Ensure this value is greater than or equal to " + min + "."));
                } else if (n.longValue() > max) {
                    errors.put(k, List.of("Ensure this value is less than or equal to " + max + "."));
                } else {
                    clean.put(k, n.longValue());
                }
            } else {
                errors.put(k, List.of("A valid integer is required."));
            }
        });
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        if (store.get(TYPE, ID).isEmpty()) {
            store.insert(new Resource(TYPE, ID, clean));
        } else {
            store.update(TYPE, ID, clean);
        }
        return load(store).category("all");
    }

    /** Back to AWX's defaults. */
    public static void reset(ResourceStore store) {
        store.delete(TYPE, ID);
    }

    private static String typeOf(Object v) {
        return v instanceof String ? "str" : v instanceof List ? "list" : v == null ? "NoneType" : "object";
    }
}
