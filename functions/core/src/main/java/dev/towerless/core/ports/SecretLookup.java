package dev.towerless.core.ports;

import java.util.Map;

/**
 * AWX's credential plugins' {@code backend}: reads one secret from an external store (HashiCorp
 * Vault, AWS Secrets Manager) with an external credential's inputs and an input source's
 * metadata. It runs on the control plane only, at launch and for the {@code test/} endpoints; the
 * run plane never sees the external credential.
 */
public interface SecretLookup {

    /**
     * The secret's value.
     *
     * @param namespace the external type's namespace ({@code hashivault_kv}, {@code aws_secretsmanager_credential})
     * @param inputs the external credential's inputs, secrets opened
     * @param metadata the input source's metadata (AWX passes both as the backend's keyword arguments)
     * @throws Failed with a message that is safe to show: it never carries a secret or a response body
     */
    String lookup(String namespace, Map<String, String> inputs, Map<String, String> metadata) throws Failed;

    /** Why a lookup gave no value, in AWX's manner ({@code HTTP 404}, or what failed). */
    class Failed extends Exception {
        public Failed(String message) {
            super(message);
        }
    }

    /** No external store is configured: every lookup fails. */
    SecretLookup NONE = (namespace, inputs, metadata) -> {
        throw new Failed("No credential lookup is configured for " + namespace + ".");
    };
}
