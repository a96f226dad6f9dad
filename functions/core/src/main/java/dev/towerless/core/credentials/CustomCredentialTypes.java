package dev.towerless.core.credentials;

import dev.towerless.core.templating.VariableTemplate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWX's custom credential types: an input schema ({@code fields}, {@code required}) and
 * injectors that put the inputs into a run as environment variables, extra vars and files.
 * Templates are {@code {{ field }}} substitutions; {@code {{ tower.filename }}} (or
 * {@code {{ tower.filename.<name> }}}) is the path of an injected file.
 */
public final class CustomCredentialTypes {
    private static final Pattern FIELD_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*}}");
    /** AWX's ENV_BLOCKLIST (awx/main/constants.py): names its task system sets itself. */
    private static final Set<String> AWX_RESERVED = Set.of("VIRTUAL_ENV", "PATH", "PYTHONPATH", "JOB_ID", "INVENTORY_ID",
            "INVENTORY_SOURCE_ID", "INVENTORY_UPDATE_ID", "AD_HOC_COMMAND_ID", "REST_API_URL", "REST_API_TOKEN",
            "MAX_EVENT_RES", "CALLBACK_QUEUE", "CALLBACK_CONNECTION", "CACHE", "JOB_CALLBACK_DEBUG", "INVENTORY_HOSTVARS",
            "AWX_HOST", "PROJECT_REVISION", "SUPERVISOR_WEB_CONFIG_PATH");
    /**
     * Towerless's own: what the run's environment is built from (HOME, the private data dir, the
     * ssh-agent), what changes how programs load (the dynamic linker, Python, shells), and what
     * would point AWS SDKs at other endpoints or at the task's role credentials.
     */
    private static final Set<String> RUN_RESERVED = Set.of("HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "TMP", "TEMP",
            "PROJECT_UPDATE_ID", "AWX_PRIVATE_DATA_DIR", "AWX_ISOLATED_DATA_DIR", "SSH_AUTH_SOCK", "SSH_AGENT_PID",
            "BASH_ENV", "ENV", "PERL5LIB", "PERL5OPT", "RUBYOPT", "NODE_OPTIONS", "JAVA_TOOL_OPTIONS",
            "ECS_CONTAINER_METADATA_URI", "ECS_CONTAINER_METADATA_URI_V4", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
            "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE");
    private static final List<String> RUN_RESERVED_PREFIXES = List.of("TOWERLESS_", "LD_", "PYTHON", "RUNNER_", "GIT_",
            "AWS_ENDPOINT_URL", "AWS_CONTAINER_");

    private CustomCredentialTypes() {
    }

    /**
     * Why a credential may not set {@code name}, in AWX's words, or null if it may. AWX refuses
     * every {@code ANSIBLE_*} name and its ENV_BLOCKLIST; Towerless adds the names above.
     */
    public static String reservedVariableProblem(String name) {
        if (name.startsWith("ANSIBLE_")) {
            return "Environment variable " + name + " may affect Ansible configuration so its use is not allowed in credentials.";
        }
        if (AWX_RESERVED.contains(name) || RUN_RESERVED.contains(name)
                || RUN_RESERVED_PREFIXES.stream().anyMatch(name::startsWith)) {
            return "Environment variable " + name + " is not allowed to be used in credentials.";
        }
        return null;
    }

    /** Problems with a type's {@code inputs} and {@code injectors}, by field, in AWX's manner; empty when valid. */
    @SuppressWarnings("unchecked")
    public static Map<String, List<String>> problems(Map<String, Object> inputs, Map<String, Object> injectors) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        List<String> inputProblems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Object fields = inputs.getOrDefault("fields", List.of());
        if (!(fields instanceof List<?> list)) {
            inputProblems.add("fields must be a list of input definitions.");
        } else {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> f)) {
                    inputProblems.add("Each field must be a dictionary.");
                    continue;
                }
                Object id = f.get("id");
                if (!(id instanceof String s) || !FIELD_ID.matcher(s).matches()) {
                    inputProblems.add("Field id " + id + " must be a name of letters, digits and underscores.");
                    continue;
                }
                if (!ids.add(s)) {
                    inputProblems.add("Field id '" + s + "' is defined twice.");
                }
                if (!(f.get("label") instanceof String)) {
                    inputProblems.add("Field '" + s + "' needs a label.");
                }
                Object type = f.get("type");
                if (type != null && !List.of("string", "boolean").contains(type)) {
                    inputProblems.add("Field '" + s + "': type must be string or boolean, not " + type + ".");
                }
                if (f.containsKey("ask_at_runtime")) {
                    inputProblems.add("ask_at_runtime is not supported for custom credentials.");
                }
            }
        }
        if (inputs.get("required") instanceof List<?> required) {
            for (Object r : required) {
                if (!ids.contains(String.valueOf(r))) {
                    inputProblems.add("Required field '" + r + "' is not one of the fields.");
                }
            }
        }
        if (!inputProblems.isEmpty()) {
            errors.put("inputs", inputProblems);
        }

        List<String> injectorProblems = new ArrayList<>();
        Set<String> files = new HashSet<>();
        for (Map.Entry<String, Object> e : injectors.entrySet()) {
            if (!List.of("env", "extra_vars", "file").contains(e.getKey())) {
                injectorProblems.add("'" + e.getKey() + "' is not an injector: use env, extra_vars or file.");
            } else if (!(e.getValue() instanceof Map<?, ?>)) {
                injectorProblems.add(e.getKey() + " must be a dictionary.");
            }
        }
        if (injectors.get("file") instanceof Map<?, ?> file) {
            for (Map.Entry<?, ?> t : file.entrySet()) {
                String key = String.valueOf(t.getKey());
                if (key.equals("template")) {
                    files.add("");
                } else if (key.startsWith("template.") && FIELD_ID.matcher(key.substring(9)).matches()) {
                    files.add(key.substring(9));
                } else {
                    injectorProblems.add("File injector keys are template or template.<name>, not " + key + ".");
                }
                checkTemplate("file", String.valueOf(t.getValue()), ids, Set.of(), injectorProblems);
            }
            if (files.contains("") && files.size() > 1) {
                injectorProblems.add("Use either one file (template) or named files (template.<name>), not both.");
            }
        }
        if (injectors.get("env") instanceof Map<?, ?> env) {
            for (Map.Entry<?, ?> v : env.entrySet()) {
                String name = String.valueOf(v.getKey());
                if (!ENV_NAME.matcher(name).matches()) {
                    injectorProblems.add("'" + name + "' is not an environment variable name.");
                } else if (reservedVariableProblem(name) != null) {
                    injectorProblems.add(reservedVariableProblem(name));
                }
                checkTemplate("env", String.valueOf(v.getValue()), ids, files, injectorProblems);
            }
        }
        if (injectors.get("extra_vars") instanceof Map<?, ?> vars) {
            for (Map.Entry<?, ?> v : vars.entrySet()) {
                checkTemplate("extra_vars", String.valueOf(v.getValue()), ids, files, injectorProblems);
            }
        }
        if (!injectorProblems.isEmpty()) {
            errors.put("injectors", injectorProblems);
        }
        return errors;
    }

    /** A template may use the type's fields and, outside files, the injected files' paths. */
    private static void checkTemplate(String injector, String template, Set<String> fields, Set<String> files,
                                      List<String> problems) {
        String syntax = VariableTemplate.problem(template);
        if (syntax != null) {
            problems.add(injector + ": " + syntax);
            return;
        }
        Matcher m = REFERENCE.matcher(template);
        while (m.find()) {
            String ref = m.group(1);
            boolean known = fields.contains(ref)
                    || (ref.equals("tower.filename") && files.contains(""))
                    || (ref.startsWith("tower.filename.") && files.contains(ref.substring("tower.filename.".length())));
            if (!known) {
                problems.add("Syntax error rendering template for " + injector + " inside of injectors: '" + ref
                        + "' is undefined");
            }
        }
    }

    /** What a credential puts into a run; {@code refused} names reserved variables it was not allowed to set. */
    public record Injection(Map<String, String> env, Map<String, Object> extraVars, List<String> refused) {
    }

    /** Writes an injected file and returns its path. */
    @FunctionalInterface
    public interface FileWriter {
        String write(String name, String content);
    }

    /**
     * Renders a type's injectors with a credential's (opened) inputs: files first, so env and
     * extra vars can point at them. Booleans read {@code True}/{@code False}, as Jinja prints them.
     */
    @SuppressWarnings("unchecked")
    public static Injection inject(Map<String, Object> injectors, Map<String, String> inputs, Map<String, Object> inputSpec,
                                   FileWriter files) {
        Map<String, Object> context = new LinkedHashMap<>(inputs);
        if (inputSpec.get("fields") instanceof List<?> fields) {
            for (Object o : fields) {
                Map<String, Object> f = (Map<String, Object>) o;
                String id = String.valueOf(f.get("id"));
                if ("boolean".equals(f.get("type")) && context.get(id) != null) {
                    context.put(id, Boolean.parseBoolean(String.valueOf(context.get(id))) ? "True" : "False");
                }
            }
        }
        if (injectors.get("file") instanceof Map<?, ?> file) {
            Map<String, Object> named = new LinkedHashMap<>();
            Object single = null;
            for (Map.Entry<?, ?> t : file.entrySet()) {
                String key = String.valueOf(t.getKey());
                String content = VariableTemplate.render(String.valueOf(t.getValue()), context, String::valueOf);
                if (key.equals("template")) {
                    single = files.write("credential", content);
                } else {
                    named.put(key.substring(9), files.write(key.substring(9), content));
                }
            }
            context.put("tower", Map.of("filename", single != null ? single : named));
        }
        Map<String, String> env = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        if (injectors.get("env") instanceof Map<?, ?> e) {
            // A type saved before a name was reserved still never sets it (AWX ignores them at run time too).
            e.forEach((k, v) -> {
                String name = String.valueOf(k);
                if (reservedVariableProblem(name) != null || !ENV_NAME.matcher(name).matches()) {
                    refused.add(name);
                } else {
                    env.put(name, VariableTemplate.render(String.valueOf(v), context, String::valueOf));
                }
            });
        }
        Map<String, Object> extraVars = new LinkedHashMap<>();
        if (injectors.get("extra_vars") instanceof Map<?, ?> x) {
            x.forEach((k, v) -> extraVars.put(String.valueOf(k), VariableTemplate.render(String.valueOf(v), context, String::valueOf)));
        }
        return new Injection(env, extraVars, List.copyOf(refused));
    }
}
