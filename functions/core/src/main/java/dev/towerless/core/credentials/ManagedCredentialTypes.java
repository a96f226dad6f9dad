package dev.towerless.core.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * AWX 21.14.0's managed credential types, as AWX defines them: names, kinds, namespaces, input
 * fields (with their labels, help texts, formats, choices and defaults), {@code required} lists
 * and declared injectors, in AWX's registry order, which gives their ids. The data is AWX's API
 * contract and is generated from AWX's own source ({@code tools/awx-credential-types.py}) into
 * {@code managed-credential-types.json}; the external lookup types come last, as AWX loads its
 * plugins, followed by the AWS Secrets Manager lookup of the later awx-plugins package.
 *
 * <p>What AWX injects with Python functions ({@code injectors.py} and {@code RunJob.build_env})
 * is {@link #inject rendered here} to the same environment and files.
 */
public final class ManagedCredentialTypes {
    /** The ids other parts of Towerless refer to (preload data, tests). */
    public static final long MACHINE = 1;
    public static final long SOURCE_CONTROL = 2;
    public static final long VAULT = 3;
    public static final long NETWORK = 4;
    public static final long AMAZON_WEB_SERVICES = 5;
    public static final long OPENSTACK = 6;
    public static final long VMWARE = 7;
    public static final long SATELLITE6 = 8;
    public static final long GCE = 9;
    public static final long AZURE_RM = 10;
    public static final long GITHUB_TOKEN = 11;
    public static final long GITLAB_TOKEN = 12;
    public static final long INSIGHTS = 13;
    public static final long RHV = 14;
    public static final long CONTROLLER = 15;
    public static final long KUBERNETES_BEARER_TOKEN = 16;
    public static final long CONTAINER_REGISTRY = 17;
    /** "Ansible Galaxy/Automation Hub API Token", kind {@code galaxy}: the type of AWX's preloaded "Ansible Galaxy" credential. */
    public static final long GALAXY_API_TOKEN = 18;
    public static final long GPG_PUBLIC_KEY = 19;
    public static final long HASHIVAULT_KV = 21;
    public static final long HASHIVAULT_SSH = 22;
    public static final long AWS_SECRETS_MANAGER = 28;

    /** AWX's {@code VMWARE_VALIDATE_CERTS} default (a setting AWX injects into VMware runs). */
    private static final boolean VMWARE_VALIDATE_CERTS = false;

    private static final String AWX_VERSION;
    private static final List<Map<String, Object>> TYPES;

    static {
        try (InputStream in = ManagedCredentialTypes.class.getResourceAsStream("managed-credential-types.json")) {
            if (in == null) {
                throw new IllegalStateException("managed-credential-types.json is missing from the core");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) JsonData.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            AWX_VERSION = String.valueOf(data.get("awx_version"));
            List<Map<String, Object>> types = new ArrayList<>();
            for (Object o : (List<?>) data.get("types")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) o;
                Map<String, Object> type = new LinkedHashMap<>();
                type.put("id", t.get("id"));
                type.put("name", t.get("name"));
                type.put("description", "");
                type.put("kind", t.get("kind"));
                type.put("namespace", t.get("namespace"));
                type.put("managed", true);
                type.put("inputs", t.get("inputs"));
                type.put("injectors", t.get("injectors"));
                types.add(java.util.Collections.unmodifiableMap(type));
            }
            TYPES = List.copyOf(types);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ManagedCredentialTypes() {
    }

    /** The AWX version the catalogue was generated from. */
    public static String awxVersion() {
        return AWX_VERSION;
    }

    /** Every managed type, with its id, in id order (read-only maps). */
    public static List<Map<String, Object>> all() {
        return TYPES;
    }

    public static Optional<Map<String, Object>> byId(long id) {
        return TYPES.stream().filter(t -> ((Number) t.get("id")).longValue() == id).findFirst();
    }

    public static Optional<Map<String, Object>> byNamespace(String namespace) {
        return TYPES.stream().filter(t -> t.get("namespace").equals(namespace)).findFirst();
    }

    /** The type's input field definitions. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> fields(Map<String, Object> typeInputs) {
        return typeInputs != null && typeInputs.get("fields") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    /** Whether a managed type of this namespace puts anything into a playbook run or an ad hoc command. */
    public static boolean injects(String namespace) {
        return switch (namespace) {
            case "aws", "gce", "azure_rm", "vmware", "openstack", "kubernetes_bearer_token", "net", "insights", "rhv",
                    "controller" -> true;
            default -> false;
        };
    }

    /**
     * What a managed credential puts into a run, as AWX's injectors do: environment variables,
     * extra vars and files (written through {@code files}, whose paths the variables name).
     * {@code inputs} are the credential's opened inputs (booleans as {@code true}/{@code false});
     * {@code inventoryUpdate} drops what AWX leaves out of inventory updates.
     */
    public static CustomCredentialTypes.Injection inject(String namespace, Map<String, String> inputs,
                                                         CustomCredentialTypes.FileWriter files, boolean inventoryUpdate) {
        Map<String, Object> type = byNamespace(namespace).orElse(Map.of());
        Inputs in = new Inputs(inputs, fields(inputMap(type)));
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> extraVars = new LinkedHashMap<>();
        switch (namespace) {
            case "aws" -> {
                env.put("AWS_ACCESS_KEY_ID", in.get("username"));
                env.put("AWS_SECRET_ACCESS_KEY", in.get("password"));
                if (in.has("security_token")) {
                    env.put("AWS_SECURITY_TOKEN", in.get("security_token"));
                    env.put("AWS_SESSION_TOKEN", in.get("security_token"));
                }
            }
            case "gce" -> {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("type", "service_account");
                json.put("private_key", in.get("ssh_key_data"));
                json.put("client_email", in.get("username"));
                json.put("project_id", in.get("project"));
                if (!inventoryUpdate) {
                    env.put("GCE_EMAIL", in.get("username"));
                    env.put("GCE_PROJECT", in.get("project"));
                }
                json.put("token_uri", "https://oauth2.googleapis.com/token");
                String path = files.write("gce", JsonData.write(json));
                env.put("GCE_CREDENTIALS_FILE_PATH", path);
                env.put("GCP_SERVICE_ACCOUNT_FILE", path);
                env.put("GOOGLE_APPLICATION_CREDENTIALS", path);
                env.put("GCP_AUTH_KIND", "serviceaccount");
                env.put("GCP_PROJECT", in.get("project"));
                env.put("GCP_ENV_TYPE", "tower");
            }
            case "azure_rm" -> {
                env.put("AZURE_SUBSCRIPTION_ID", in.get("subscription"));
                if (!in.get("client").isEmpty() && !in.get("tenant").isEmpty()) {
                    env.put("AZURE_CLIENT_ID", in.get("client"));
                    env.put("AZURE_TENANT", in.get("tenant"));
                    env.put("AZURE_SECRET", in.get("secret"));
                } else {
                    env.put("AZURE_AD_USER", in.get("username"));
                    env.put("AZURE_PASSWORD", in.get("password"));
                }
                if (in.has("cloud_environment")) {
                    env.put("AZURE_CLOUD_ENVIRONMENT", in.get("cloud_environment"));
                }
            }
            case "vmware" -> {
                env.put("VMWARE_USER", in.get("username"));
                env.put("VMWARE_PASSWORD", in.get("password"));
                env.put("VMWARE_HOST", in.get("host"));
                env.put("VMWARE_VALIDATE_CERTS", python(VMWARE_VALIDATE_CERTS));
            }
            case "openstack" -> env.put("OS_CLIENT_CONFIG_FILE", files.write("openstack", openstackConfig(in)));
            case "kubernetes_bearer_token" -> {
                env.put("K8S_AUTH_HOST", in.get("host"));
                env.put("K8S_AUTH_API_KEY", in.get("bearer_token"));
                if (in.bool("verify_ssl") && inputs.containsKey("ssl_ca_cert")) {
                    env.put("K8S_AUTH_VERIFY_SSL", "True");
                    env.put("K8S_AUTH_SSL_CA_CERT", files.write("k8s_ca", in.get("ssl_ca_cert")));
                } else {
                    env.put("K8S_AUTH_VERIFY_SSL", "False");
                }
            }
            case "net" -> { // AWX's RunJob.build_env: network modules take the key as a file, not through ssh-agent
                env.put("ANSIBLE_NET_USERNAME", in.get("username"));
                env.put("ANSIBLE_NET_PASSWORD", in.get("password"));
                if (in.has("ssh_key_data")) {
                    String key = in.get("ssh_key_data");
                    env.put("ANSIBLE_NET_SSH_KEYFILE", files.write("net_key", key.endsWith("\n") ? key : key + "\n"));
                }
                boolean authorize = in.bool("authorize");
                env.put("ANSIBLE_NET_AUTHORIZE", authorize ? "1" : "0");
                if (authorize) {
                    env.put("ANSIBLE_NET_AUTH_PASS", in.get("authorize_password"));
                }
            }
            case "insights" -> {
                if (!inventoryUpdate) { // AWX's inventory updates take no extra vars
                    extraVars.put("scm_username", in.get("username"));
                    extraVars.put("scm_password", in.get("password"));
                }
                env.put("INSIGHTS_USER", in.get("username"));
                env.put("INSIGHTS_PASSWORD", in.get("password"));
            }
            case "rhv" -> {
                // One ini file for the ovirt4 inventory plugin and variables for the modules, as AWX injects both.
                String ini = String.join("\n", "[ovirt]", "ovirt_url=" + in.get("host"), "ovirt_username=" + in.get("username"),
                        "ovirt_password=" + in.get("password"), in.get("ca_file").isEmpty() ? "" : "ovirt_ca_file=" + in.get("ca_file"));
                env.put("OVIRT_INI_PATH", files.write("ovirt", ini));
                env.put("OVIRT_URL", in.get("host"));
                env.put("OVIRT_USERNAME", in.get("username"));
                env.put("OVIRT_PASSWORD", in.get("password"));
            }
            case "controller" -> {
                for (String prefix : List.of("TOWER_", "CONTROLLER_")) {
                    env.put(prefix + "HOST", in.get("host"));
                    env.put(prefix + "USERNAME", in.get("username"));
                    env.put(prefix + "PASSWORD", in.get("password"));
                    env.put(prefix + "VERIFY_SSL", python(in.bool("verify_ssl")));
                    env.put(prefix + "OAUTH_TOKEN", in.get("oauth_token"));
                }
            }
            default -> {
                // Source Control, Vault and Machine are used by the run itself; tokens, registries, Galaxy,
                // GPG keys and lookups inject nothing into playbooks (as in AWX).
            }
        }
        return new CustomCredentialTypes.Injection(env, extraVars, List.of());
    }

    /** The kinds of credential a job template (or a launch) may carry, as in AWX. */
    public static final List<String> TEMPLATE_KINDS = List.of("ssh", "vault", "cloud", "net", "kubernetes");

    /**
     * Why {@code credential} may not join a job template's {@code current} credentials, in AWX's
     * words ({@code JobTemplateCredentialsList.is_valid_relation}), or empty: one credential per
     * type (per vault id for Vault credentials), and only the kinds a job uses.
     */
    public static Optional<String> templateAssignmentProblem(dev.towerless.core.resources.Resource credential, String typeName,
                                                             java.util.Collection<dev.towerless.core.resources.Resource> current) {
        String hash = uniqueHash(credential);
        if (current.stream().anyMatch(c -> c.id() != credential.id() && uniqueHash(c).equals(hash))) {
            String vaultId = vaultId(credential);
            return Optional.of("Cannot assign multiple " + (vaultId.isEmpty() ? typeName : typeName + " (id=" + vaultId + ")")
                    + " credentials.");
        }
        Object kind = credential.get("kind");
        if (!TEMPLATE_KINDS.contains(String.valueOf(kind))) {
            return Optional.of("Cannot assign a Credential of kind `" + kind + "`.");
        }
        return Optional.empty();
    }

    /**
     * AWX's JobLaunchSerializer checks of the credentials given at launch, in its words: one per
     * type (per vault id), only the kinds a job uses, and no template credential dropped without
     * one of its type in its place. {@code typeName} names a credential's type.
     */
    public static List<String> launchCredentialProblems(List<dev.towerless.core.resources.Resource> given,
                                                        java.util.Collection<dev.towerless.core.resources.Resource> template,
                                                        java.util.function.Function<dev.towerless.core.resources.Resource, String> typeName) {
        List<String> problems = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (dev.towerless.core.resources.Resource c : given) {
            if (!seen.add(uniqueHash(c))) {
                problems.add("Cannot assign multiple " + display(c, typeName) + " credentials.");
            }
            if (!TEMPLATE_KINDS.contains(String.valueOf(c.get("kind")))) {
                problems.add("Cannot assign a Credential of kind `" + c.get("kind") + "`");
            }
        }
        java.util.Set<Long> givenIds = new java.util.HashSet<>();
        given.forEach(c -> givenIds.add(c.id()));
        List<dev.towerless.core.resources.Resource> removed = template.stream().filter(c -> !givenIds.contains(c.id())).toList();
        String removedNames = String.join(", ", removed.stream().map(dev.towerless.core.resources.Resource::name).toList());
        for (dev.towerless.core.resources.Resource c : removed) {
            if (!seen.contains(uniqueHash(c))) {
                problems.add("Removing " + display(c, typeName) + " credential at launch time without replacement is not supported. "
                        + "Provided list lacked credential(s): " + removedNames + ".");
            }
        }
        return problems;
    }

    private static String display(dev.towerless.core.resources.Resource c,
                                  java.util.function.Function<dev.towerless.core.resources.Resource, String> typeName) {
        String vaultId = vaultId(c);
        return vaultId.isEmpty() ? typeName.apply(c) : typeName.apply(c) + " (id=" + vaultId + ")";
    }

    /** AWX's {@code Credential.unique_hash}: its type, and for Vault credentials the vault id. */
    private static String uniqueHash(dev.towerless.core.resources.Resource credential) {
        String vaultId = vaultId(credential);
        return credential.get("credential_type") + (vaultId.isEmpty() ? "" : "_" + vaultId);
    }

    private static String vaultId(dev.towerless.core.resources.Resource credential) {
        return "vault".equals(credential.get("kind")) && credential.get("inputs") instanceof Map<?, ?> in
                && in.get("vault_id") instanceof String id ? id : "";
    }

    /**
     * AWX's Galaxy server list for a project update from the organization's Galaxy credentials, in
     * order ({@code RunProjectUpdate.build_env}): {@code ANSIBLE_GALAXY_SERVER_SERVER<i>_URL},
     * {@code _TOKEN}, {@code _AUTH_URL} and {@code ANSIBLE_GALAXY_SERVER_LIST}.
     */
    public static Map<String, String> galaxyServerEnv(List<Map<String, String>> galaxyCredentials) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < galaxyCredentials.size(); i++) {
            Map<String, String> c = galaxyCredentials.get(i);
            env.put("ANSIBLE_GALAXY_SERVER_SERVER" + i + "_URL", c.getOrDefault("url", ""));
            if (!c.getOrDefault("token", "").isEmpty()) {
                env.put("ANSIBLE_GALAXY_SERVER_SERVER" + i + "_TOKEN", c.get("token"));
            }
            if (!c.getOrDefault("auth_url", "").isEmpty()) {
                env.put("ANSIBLE_GALAXY_SERVER_SERVER" + i + "_AUTH_URL", c.get("auth_url"));
            }
            servers.add("server" + i);
        }
        if (!servers.isEmpty()) {
            env.put("ANSIBLE_GALAXY_SERVER_LIST", String.join(",", servers));
        }
        return env;
    }

    /** AWX's {@code _openstack_data}, written as PyYAML's {@code safe_dump} orders it (keys sorted). */
    private static String openstackConfig(Inputs in) {
        Map<String, Object> auth = new TreeMap<>();
        auth.put("auth_url", in.get("host"));
        auth.put("username", in.get("username"));
        auth.put("password", in.get("password"));
        auth.put("project_name", in.get("project"));
        if (in.has("project_domain_name")) {
            auth.put("project_domain_name", in.get("project_domain_name"));
        }
        if (in.has("domain")) {
            auth.put("domain_name", in.get("domain"));
        }
        StringBuilder yaml = new StringBuilder("clouds:\n  devstack:\n    auth:\n");
        auth.forEach((k, v) -> yaml.append("      ").append(k).append(": ").append(JsonData.write(v)).append('\n'));
        if (in.has("region")) {
            yaml.append("    region_name: ").append(JsonData.write(in.get("region"))).append('\n');
        }
        yaml.append("    verify: ").append(in.bool("verify_ssl")).append('\n');
        return yaml.toString();
    }

    private static String python(boolean b) {
        return b ? "True" : "False";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inputMap(Map<String, Object> type) {
        return type.get("inputs") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** AWX's {@code get_input(field, default=...)} and {@code has_input} over opened inputs. */
    private record Inputs(Map<String, String> values, List<Map<String, Object>> fields) {
        String get(String id) {
            String v = values.get(id);
            if (v != null) {
                return v;
            }
            return fields.stream().filter(f -> id.equals(f.get("id")) && f.containsKey("default"))
                    .map(f -> String.valueOf(f.get("default"))).findFirst().orElse("");
        }

        boolean has(String id) {
            String v = values.get(id);
            return v != null && !v.isEmpty();
        }

        /** A boolean input: its value, else the field's default, else false (AWX's default for booleans). */
        boolean bool(String id) {
            String v = values.get(id);
            if (v == null || v.isEmpty()) {
                return fields.stream().filter(f -> id.equals(f.get("id")))
                        .anyMatch(f -> Boolean.TRUE.equals(f.get("default")));
            }
            return Boolean.parseBoolean(v);
        }
    }
}
