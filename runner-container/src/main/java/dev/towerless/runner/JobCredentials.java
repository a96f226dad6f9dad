package dev.towerless.runner;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.security.Redactor;
import dev.towerless.core.security.SecretBox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decrypted inputs of a job's credentials, by kind (ssh, scm, vault), and a redactor that
 * knows every secret among them. Plaintext lives only in this object and the 0600 files.
 */
final class JobCredentials {
    private final Map<String, Map<String, String>> byKind = new HashMap<>();
    /** Every credential of each kind, in the job's order (a job may have several Vault credentials). */
    private final Map<String, List<Map<String, String>>> allByKind = new HashMap<>();
    /** Credentials of custom types: what their injectors put into the run. */
    private final List<Custom> custom = new ArrayList<>();

    /** A credential of a custom type: the type (inputs and injectors) and the credential's opened inputs. */
    record Custom(long credentialId, Resource type, Map<String, String> inputs) {
    }
    private final SecretBox box;
    private final List<String> secrets = new ArrayList<>();

    JobCredentials(ResourceStore resources, SecretBox box, List<Long> credentialIds) {
        this.box = box;
        for (long id : credentialIds) {
            Optional<Resource> cred = resources.get(ResourceTypes.CREDENTIAL, id);
            if (cred.isEmpty()) {
                continue;
            }
            Map<String, String> inputs = new HashMap<>();
            Object raw = cred.get().get("inputs");
            if (raw instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    if (v == null) {
                        return;
                    }
                    String value = v.toString();
                    if (SecretBox.isSealed(value)) {
                        value = box.open(value);
                        secrets.add(value);
                    }
                    inputs.put(k.toString(), value);
                });
            }
            Optional<Resource> type = cred.get().reference("credential_type")
                    .flatMap(t -> resources.get(ResourceTypes.CREDENTIAL_TYPE, t));
            if (type.isPresent() && !type.get().flag("managed")) {
                custom.add(new Custom(id, type.get(), inputs));
            } else {
                byKind.putIfAbsent(String.valueOf(cred.get().get("kind")), inputs);
                allByKind.computeIfAbsent(String.valueOf(cred.get().get("kind")), k -> new ArrayList<>()).add(inputs);
            }
        }
    }

    /** The passwords typed at launch for "ASK" inputs, by AWX's names, opened. */
    private final Map<String, String> runtime = new java.util.LinkedHashMap<>();

    /** Opens the launch's sealed passwords ({@code start_args}); they are secrets to redact like the rest. */
    void openRuntimePasswords(Object sealed) {
        if (sealed instanceof Map<?, ?> m) {
            m.forEach((k, v) -> runtime.put(String.valueOf(k), open(String.valueOf(v))));
        }
    }

    Map<String, String> runtimePasswords() {
        return Map.copyOf(runtime);
    }

    /** Other values to treat as secrets (survey password answers). */
    void addSecrets(List<String> values) {
        secrets.addAll(values);
    }

    /** Opens a sealed value, which then counts as a secret to redact. */
    String open(String sealed) {
        String value = box.open(sealed);
        secrets.add(value);
        return value;
    }

    Map<String, String> kind(String kind) {
        return byKind.getOrDefault(kind, Map.of());
    }

    List<Map<String, String>> all(String kind) {
        return allByKind.getOrDefault(kind, List.of());
    }

    List<Custom> custom() {
        return List.copyOf(custom);
    }

    Redactor redactor() {
        return new Redactor(secrets);
    }
}
