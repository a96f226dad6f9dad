package dev.towerless.core.inventory;

import dev.towerless.core.credentials.CustomCredentialTypes;
import dev.towerless.core.credentials.ManagedCredentialTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * AWX 21.14.0's {@code PluginFileInjector} for each cloud source (awx/main/models/inventory.py):
 * the inventory plugin file an update runs {@code ansible-inventory} on (the source's
 * {@code source_vars} with {@code plugin} set, as {@code inventory_as_dict} builds it) and the
 * environment that carries the source's credential ({@code build_env}: the credential's managed
 * or template injection, the plugin's own variables, {@code ANSIBLE_INVENTORY_ENABLED=auto}).
 * Secrets go into the environment and private files only, never into the plugin file or argv.
 */
public final class InventoryPluginInjector {
    /** How the credential reaches the plugin: AWX's {@code base_injector}. */
    enum Base { MANAGED, TEMPLATE, OWN }

    private final String source;
    private final String pluginName;
    private final String fqcn;
    private final boolean useFqcn;
    private final Base base;

    private InventoryPluginInjector(String source, String pluginName, String namespace, String collection, boolean useFqcn,
                                    Base base) {
        this.source = source;
        this.pluginName = pluginName;
        this.fqcn = namespace + "." + collection + "." + pluginName;
        this.useFqcn = useFqcn;
        this.base = base;
    }

    private static final Map<String, InventoryPluginInjector> INJECTORS = Map.of(
            "azure_rm", new InventoryPluginInjector("azure_rm", "azure_rm", "azure", "azcollection", false, Base.MANAGED),
            "ec2", new InventoryPluginInjector("ec2", "aws_ec2", "amazon", "aws", false, Base.MANAGED),
            "gce", new InventoryPluginInjector("gce", "gcp_compute", "google", "cloud", false, Base.MANAGED),
            "vmware", new InventoryPluginInjector("vmware", "vmware_vm_inventory", "community", "vmware", false, Base.MANAGED),
            "openstack", new InventoryPluginInjector("openstack", "openstack", "openstack", "cloud", false, Base.OWN),
            "rhv", new InventoryPluginInjector("rhv", "ovirt", "ovirt", "ovirt", false, Base.TEMPLATE),
            "satellite6", new InventoryPluginInjector("satellite6", "foreman", "theforeman", "foreman", true, Base.OWN),
            // AWX relies on ansible's routing of "tower" to awx.awx.tower here.
            "controller", new InventoryPluginInjector("controller", "tower", "awx", "awx", false, Base.TEMPLATE),
            "insights", new InventoryPluginInjector("insights", "insights", "redhatinsights", "insights", true, Base.TEMPLATE));

    /** The injector of a cloud source; empty for scm and file sources, which have none. */
    public static Optional<InventoryPluginInjector> forSource(String source) {
        return Optional.ofNullable(INJECTORS.get(source));
    }

    /** The plugin file's name: the {@code auto} plugin accepts exactly {@code <plugin>.yml}. */
    public String filename() {
        return pluginName + ".yml";
    }

    /** AWX's {@code get_proper_name}: the plugin's fully qualified collection name. */
    public String properName() {
        return fqcn;
    }

    /**
     * AWX's {@code inventory_as_dict}: a copy of the source variables with {@code plugin} set
     * (overriding the user's; AWX, not a downstream product, names the short plugin unless the
     * injector uses the FQCN). For gce, the credential's project when no {@code projects} is given.
     *
     * @param credentialInputs the source credential's opened inputs (empty when it has none)
     */
    public Map<String, Object> inventoryAsDict(Map<String, Object> sourceVars, Map<String, String> credentialInputs) {
        Map<String, Object> out = new LinkedHashMap<>(sourceVars);
        out.put("plugin", useFqcn ? fqcn : pluginName);
        if (source.equals("gce") && !out.containsKey("projects")) {
            out.put("projects", List.of(credentialInputs.getOrDefault("project", "")));
        }
        return out;
    }

    /**
     * AWX's {@code build_env} of the injector: what the credential injects (none for an ec2 source
     * without a credential, which uses the runner's own IAM role), the plugin's variables, and what
     * every plugin update sets. {@code files} writes private files (mode 0600) and returns their path.
     *
     * @param namespace the source credential's namespace, or null when the source has none
     */
    public Map<String, String> env(String updateId, String namespace, Map<String, String> credentialInputs,
                                   Map<String, Object> sourceVars, CustomCredentialTypes.FileWriter files) {
        Map<String, String> env = new LinkedHashMap<>();
        if (namespace != null) {
            if (base != Base.OWN) {
                env.put("INVENTORY_UPDATE_ID", updateId); // so the injector knows this is an inventory update
            }
            switch (base) {
                case MANAGED, TEMPLATE -> env.putAll(ManagedCredentialTypes.inject(namespace, credentialInputs, files, true).env());
                case OWN -> {
                    if (source.equals("openstack")) {
                        env.put("OS_CLIENT_CONFIG_FILE", files.write("openstack", openstackClouds(credentialInputs, sourceVars)));
                    } else if (source.equals("satellite6")) {
                        env.put("FOREMAN_SERVER", credentialInputs.getOrDefault("host", ""));
                        env.put("FOREMAN_USER", credentialInputs.getOrDefault("username", ""));
                        env.put("FOREMAN_PASSWORD", credentialInputs.getOrDefault("password", ""));
                    }
                }
                default -> {
                }
            }
        }
        if (source.equals("ec2") || source.equals("gce") || source.equals("azure_rm")) {
            // Native jinja2 types: ec2_state_code stays an integer, tags and addresses may be JSON null.
            env.put("ANSIBLE_JINJA2_NATIVE", "True");
        }
        env.put("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "never");
        env.put("ANSIBLE_INVENTORY_ENABLED", "auto");
        return env;
    }

    /**
     * AWX's openstack {@code _get_clouds_dict}: the credential's clouds.yaml with {@code private}
     * from the source variables (default true), and the {@code ansible} section when the source
     * sets any of its three options, written as PyYAML's {@code safe_dump} does (keys sorted).
     */
    static String openstackClouds(Map<String, String> in, Map<String, Object> sourceVars) {
        Map<String, Object> auth = new TreeMap<>();
        auth.put("auth_url", in.getOrDefault("host", ""));
        auth.put("username", in.getOrDefault("username", ""));
        auth.put("password", in.getOrDefault("password", ""));
        auth.put("project_name", in.getOrDefault("project", ""));
        if (!in.getOrDefault("project_domain_name", "").isEmpty()) {
            auth.put("project_domain_name", in.get("project_domain_name"));
        }
        if (!in.getOrDefault("domain", "").isEmpty()) {
            auth.put("domain_name", in.get("domain"));
        }
        Map<String, Object> devstack = new TreeMap<>();
        devstack.put("auth", auth);
        String verify = in.get("verify_ssl");
        devstack.put("verify", verify == null || verify.isEmpty() || Boolean.parseBoolean(verify));
        if (!in.getOrDefault("region", "").isEmpty()) {
            devstack.put("region_name", in.get("region"));
        }
        devstack.put("private", sourceVars.getOrDefault("private", true));
        Map<String, Object> data = new TreeMap<>();
        data.put("clouds", Map.of("devstack", devstack));
        Map<String, Object> ansible = new TreeMap<>(Map.of("use_hostnames", true, "expand_hostvars", false, "fail_on_errors", true));
        boolean provided = false;
        for (String option : List.copyOf(ansible.keySet())) {
            if (sourceVars.containsKey(option)) {
                ansible.put(option, sourceVars.get(option));
                provided = true;
            }
        }
        if (provided) {
            data.put("ansible", ansible);
        }
        StringBuilder yaml = new StringBuilder();
        SimpleYaml.write(data, 0, yaml);
        return yaml.toString();
    }
}
