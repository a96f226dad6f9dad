package dev.towerless.core.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds of inventory source AWX 21.14.0 offers ({@code InventorySourceOptions.SOURCE_CHOICES}),
 * which of them are cloud providers ({@code awx.main.constants.CLOUD_PROVIDERS}), the rules its
 * serializer applies to a source's credential and variables, and the import options its settings
 * give each kind ({@code <SOURCE>_ENABLED_VAR}, {@code _ENABLED_VALUE}, {@code _INSTANCE_ID_VAR},
 * {@code _EXCLUDE_EMPTY_GROUPS} in awx/settings/defaults.py). AWX 21.14.0 has no
 * {@code constructed} source (it came in 22.0), so neither has Towerless.
 */
public final class InventorySourceKinds {
    /** AWX's choices, in its order. {@code file} exists but cannot be updated through the task system. */
    public static final List<String> SOURCE_CHOICES = List.of("file", "scm", "ec2", "gce", "azure_rm", "vmware", "satellite6",
            "openstack", "rhv", "controller", "insights");
    public static final Set<String> CLOUD_PROVIDERS = Set.of("azure_rm", "ec2", "gce", "vmware", "openstack", "rhv", "satellite6",
            "controller", "insights");
    /** AWX's {@code INV_ENV_VARIABLE_BLOCKED}: source variables that would become these environment variables are refused. */
    public static final List<String> ENV_VARIABLE_BLOCKED = List.of("HOME", "USER", "_", "TERM", "PATH");

    /** What AWX's settings give an import of each kind when the source sets no {@code enabled_var}. */
    public record ImportDefaults(String enabledVar, String enabledValue, String instanceIdVar, boolean excludeEmptyGroups) {
    }

    private static final ImportDefaults NONE = new ImportDefaults(null, null, null, false);
    private static final Map<String, ImportDefaults> DEFAULTS = Map.of(
            "ec2", new ImportDefaults("ec2_state", "running", "instance_id", true),
            "vmware", new ImportDefaults("guest.gueststate", "running", "config.instanceUuid, config.instanceuuid", true),
            "gce", new ImportDefaults("status", "running", "gce_id", true),
            "azure_rm", new ImportDefaults("powerstate", "running", "id", true),
            "openstack", new ImportDefaults("status", "ACTIVE", "openstack.id", true),
            "rhv", new ImportDefaults("status", "up", "id", true),
            "controller", new ImportDefaults("remote_tower_enabled", "true", "remote_tower_id", true),
            "satellite6", new ImportDefaults("foreman_enabled", "True", "foreman_id", true),
            "insights", new ImportDefaults(null, null, "insights_id", false));

    private InventorySourceKinds() {
    }

    public static ImportDefaults importDefaults(String source) {
        return DEFAULTS.getOrDefault(source, NONE);
    }

    /** The credential namespace a cloud source needs: its own name, but {@code aws} for {@code ec2}. */
    public static String credentialNamespace(String source) {
        return "ec2".equals(source) ? "aws" : source;
    }

    /**
     * AWX's {@code cloud_credential_validation}, checked when a request sets {@code credential}:
     * a cloud source's credential must be of its cloud; every cloud source but ec2 (which may use
     * the runner's IAM role) needs one; an scm source takes no Insights or Vault credential.
     *
     * @param namespace the credential's type namespace ({@code aws}, {@code gce}…), null for none
     * @param typeKind  the credential type's kind ({@code cloud}, {@code vault}…), null for none
     */
    public static Optional<String> credentialProblem(String source, String namespace, String typeKind) {
        if (source == null || source.isEmpty()) {
            return Optional.empty();
        }
        boolean given = namespace != null || typeKind != null;
        if (given && !source.equals("scm")) {
            if (!credentialNamespace(source).equals(namespace)) {
                return Optional.of("Cloud-based inventory sources (such as " + source + ") require credentials for the matching cloud service.");
            }
        } else if (!given && CLOUD_PROVIDERS.contains(source) && !source.equals("ec2")) {
            return Optional.of("Credential is required for a cloud source.");
        } else if (source.equals("scm") && given && ("insights".equals(typeKind) || "vault".equals(typeKind))) {
            return Optional.of("Credentials of type insights and vault are disallowed for scm inventory sources.");
        }
        return Optional.empty();
    }

    /** AWX's {@code validate_source_vars}: a variable named like a blocked environment variable is refused. */
    public static Optional<String> sourceVarsProblem(Map<String, Object> sourceVars) {
        for (String key : sourceVars.keySet()) {
            if (ENV_VARIABLE_BLOCKED.contains(key)) {
                return Optional.of("`" + key + "` is a prohibited environment variable");
            }
        }
        return Optional.empty();
    }

    /** AWX's {@code InventorySource._can_update}: file sources never, gce only with a gce credential, the rest always. */
    public static boolean canUpdate(String source, boolean hasProject, String credentialNamespace) {
        return switch (source == null ? "" : source) {
            case "file" -> false;
            case "scm" -> hasProject;
            case "gce" -> "gce".equals(credentialNamespace);
            default -> true;
        };
    }
}
