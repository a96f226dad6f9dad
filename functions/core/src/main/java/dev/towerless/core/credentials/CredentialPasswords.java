package dev.towerless.core.credentials;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.security.SecretBox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * AWX's "ASK" passwords: a Machine credential's password, become password or key passphrase, or
 * a Vault credential's password, stored as the word {@code ASK} and typed by whoever launches.
 * Their AWX names ({@code ssh_password}, {@code become_password}, {@code ssh_key_unlock},
 * {@code vault_password} or {@code vault_password.<vault_id>}) make a template's
 * {@code passwords_needed_to_start}; the values given at launch are sealed like any secret and
 * opened only by the job's runner. Also AWX's rules for a credential's private key and passphrase.
 */
public final class CredentialPasswords {
    public static final String ASK = "ASK";
    /** Where a launch request carries them (AWX's JobLaunchSerializer). */
    public static final String REQUEST_FIELD = "credential_passwords";

    private CredentialPasswords() {
    }

    /**
     * Whether {@code input} of a credential of this type may be {@code ASK}: AWX's
     * {@code ask_at_runtime} fields, which only its managed Machine and Vault types have (decided
     * by kind, so a type stored before the flag was shown behaves the same).
     */
    public static boolean askable(Resource type, String input) {
        if (!type.flag("managed")) {
            return false;
        }
        return switch (String.valueOf(type.get("kind"))) {
            case "ssh" -> List.of("password", "ssh_key_unlock", "become_password").contains(input);
            case "vault" -> input.equals("vault_password");
            default -> false;
        };
    }

    /**
     * AWX's {@code Credential.passwords_needed}. A passphrase is needed when it is {@code ASK} (or
     * missing) and the key is encrypted; {@code open} opens the sealed key to tell.
     */
    public static List<String> needed(Resource credential, UnaryOperator<String> open) {
        Map<String, Object> inputs = inputs(credential);
        List<String> out = new ArrayList<>();
        Object kind = credential.get("kind");
        if ("ssh".equals(kind)) {
            if (ASK.equals(inputs.get("password"))) {
                out.add("ssh_password");
            }
            if (ASK.equals(inputs.get("become_password"))) {
                out.add("become_password");
            }
            Object unlock = inputs.getOrDefault("ssh_key_unlock", "");
            if ((ASK.equals(unlock) || "".equals(unlock)) && inputs.get("ssh_key_data") instanceof String key
                    && SshPrivateKeys.encrypted(SecretBox.isSealed(key) ? open.apply(key) : key)) {
                out.add("ssh_key_unlock");
            }
        } else if ("vault".equals(kind) && ASK.equals(inputs.get("vault_password"))) {
            Object id = inputs.get("vault_id");
            out.add(id instanceof String s && !s.isEmpty() ? "vault_password." + s : "vault_password");
        }
        return out;
    }

    /** A launch's {@code passwords_needed_to_start}: every credential's, in order, once each. */
    public static List<String> neededToStart(List<Resource> credentials, UnaryOperator<String> open) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        credentials.forEach(c -> out.addAll(needed(c, open)));
        return List.copyOf(out);
    }

    /** The needed passwords not given, or given empty (AWX starts a job only when each has a value). */
    public static List<String> missing(List<String> needed, Map<String, ?> given) {
        return needed.stream().filter(n -> !(given.get(n) instanceof String s) || s.isEmpty()).toList();
    }

    /** The needed passwords' values, sealed; anything else that was sent is dropped. */
    public static Map<String, Object> seal(List<String> needed, Map<String, ?> given, SecretBox box) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : needed) {
            if (given.get(n) instanceof String s && !s.isEmpty()) {
                out.put(n, SecretBox.isSealed(s) ? s : box.seal(s));
            }
        }
        return out;
    }

    /**
     * The passwords a launch request carries: AWX's {@code credential_passwords}, or (its older
     * form) the request's own top-level fields.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> given(Map<String, Object> request) {
        Object nested = request.get(REQUEST_FIELD);
        return nested instanceof Map<?, ?> m ? (Map<String, Object>) m : request;
    }

    /**
     * AWX's rules for a key and its passphrase ({@code CredentialInputField.validate}), on the
     * inputs as they will be stored ({@code $encrypted$} already replaced by the stored value,
     * opened): the key must parse; an encrypted key needs a passphrase ({@code ASK} counts); a key
     * that is not encrypted takes none.
     */
    public static Map<String, List<String>> keyProblems(Map<String, Object> inputs) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String key = inputs.get("ssh_key_data") instanceof String s ? s : "";
        String unlock = inputs.get("ssh_key_unlock") == null ? "" : String.valueOf(inputs.get("ssh_key_unlock"));
        boolean encrypted = false;
        if (!key.isBlank()) {
            try {
                encrypted = SshPrivateKeys.parse(key).stream().anyMatch(SshPrivateKeys.PrivateKey::encrypted);
            } catch (IllegalArgumentException e) {
                errors.put("ssh_key_data", List.of(e.getMessage()));
            }
        }
        if (encrypted && unlock.isEmpty()) {
            errors.put("ssh_key_unlock", List.of("must be set when SSH key is encrypted."));
        }
        if (!key.isBlank() && !unlock.isEmpty() && !encrypted && !errors.containsKey("ssh_key_data")) {
            errors.put("ssh_key_unlock", List.of("should not be set when SSH key is not encrypted."));
        }
        return errors;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inputs(Resource credential) {
        return credential.get("inputs") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
