package dev.towerless.runner;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.runplane.RunSecrets;
import dev.towerless.core.security.Redactor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decrypted inputs of a job's credentials, by kind (ssh, scm, vault, or a managed type's namespace), and a redactor that
 * knows every secret among them. They come from the job's sealed bundle (opened with the run key
 * this runner was given), never from the store: the runner holds no key that opens a stored
 * credential. Plaintext lives only in this object and the private data dir's files.
 */
final class JobCredentials {
    private final Map<String, Map<String, String>> byKind = new HashMap<>();
    /** Every credential of each kind, in the job's order (a job may have several Vault credentials). */
    private final Map<String, List<Map<String, String>>> allByKind = new HashMap<>();
    /** Credentials of custom types: what their injectors put into the run. */
    private final List<Custom> custom = new ArrayList<>();

    /** Credentials of managed types, in the job's order: their namespace (ssh, aws, gce…) and opened inputs. */
    private final List<Managed> managed = new ArrayList<>();

    /** A credential of a managed type. */
    record Managed(long credentialId, String namespace, Map<String, String> inputs) {
    }

    /** A credential of a custom type: the type (inputs and injectors) and the credential's opened inputs. */
    record Custom(long credentialId, Resource type, Map<String, String> inputs) {
    }
    private final RunSecrets bundle;
    private final List<String> secrets = new ArrayList<>();

    JobCredentials(RunSecrets bundle) {
        this.bundle = bundle;
        bundle.secrets().forEach(this::addSecret);
        for (RunSecrets.Credential c : bundle.credentials()) {
            if (c.managed()) {
                byKind.putIfAbsent(c.kind(), c.inputs());
                allByKind.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c.inputs());
                managed.add(new Managed(c.id(), c.kind(), c.inputs()));
            } else {
                Map<String, Object> type = new LinkedHashMap<>();
                type.put("inputs", c.inputSpec());
                type.put("injectors", c.injectors());
                custom.add(new Custom(c.id(), new Resource(ResourceTypes.CREDENTIAL_TYPE, 0, type), c.inputs()));
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

    /**
     * A secret and the forms it takes in output: JSON-escaped (ansible's debug and event data show a
     * multi-line value, a private key or an injected JSON key file, with {@code \\n}), and each long
     * line of a multi-line secret on its own (a task may print part of a key).
     */
    private void addSecret(String secret) {
        if (secret == null) {
            return;
        }
        secrets.add(secret);
        String escaped = secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t");
        if (!escaped.equals(secret)) {
            secrets.add(escaped);
        }
        if (secret.contains("\n")) {
            for (String line : secret.split("\\R")) {
                if (line.strip().length() >= 16 && !line.startsWith("-----")) {
                    secrets.add(line.strip());
                }
            }
        }
    }

    /** Other values to treat as secrets (survey password answers). */
    void addSecrets(List<String> values) {
        secrets.addAll(values);
    }

    /**
     * The plaintext of a sealed value on the job (survey passwords), as the control plane opened
     * it for this run; it then counts as a secret to redact.
     */
    String open(String sealed) {
        String value = bundle.opened(sealed).orElseThrow(() -> new IllegalStateException(
                "the job carries a sealed value its run secrets do not open"));
        secrets.add(value);
        return value;
    }

    Map<String, String> kind(String kind) {
        return byKind.getOrDefault(kind, Map.of());
    }

    List<Map<String, String>> all(String kind) {
        return allByKind.getOrDefault(kind, List.of());
    }

    List<Managed> managed() {
        return List.copyOf(managed);
    }

    List<Custom> custom() {
        return List.copyOf(custom);
    }

    /** Every secret value of the run (credential secrets, opened values). */
    List<String> secrets() {
        return List.copyOf(secrets);
    }

    Redactor redactor() {
        return new Redactor(secrets);
    }
}
