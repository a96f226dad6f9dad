package dev.towerless.aws.lookup;

import dev.towerless.core.ports.SecretLookup;
import java.util.Map;

/**
 * The control plane's credential plugins: HashiCorp Vault's KV secrets engine (v1 and v2) and AWS
 * Secrets Manager. AWX's other lookups (CyberArk, Centrify, Azure Key Vault, Thycotic, Vault SSH
 * signing) are listed as types but refuse to look up, saying so.
 */
public final class ExternalSecretLookup implements SecretLookup {
    private final HashiCorpVaultKv vault;
    private final AwsSecretsManagerLookup secretsManager;

    public ExternalSecretLookup(HashiCorpVaultKv vault, AwsSecretsManagerLookup secretsManager) {
        this.vault = vault;
        this.secretsManager = secretsManager;
    }

    public ExternalSecretLookup() {
        this(new HashiCorpVaultKv(), new AwsSecretsManagerLookup());
    }

    @Override
    public String lookup(String namespace, Map<String, String> inputs, Map<String, String> metadata) throws Failed {
        return switch (namespace) {
            case "hashivault_kv" -> vault.lookup(inputs, metadata);
            case "aws_secretsmanager_credential" -> secretsManager.lookup(inputs, metadata);
            default -> throw new Failed("Towerless cannot look secrets up with " + namespace
                    + " credentials yet; use HashiCorp Vault Secret Lookup or AWS Secrets Manager lookup.");
        };
    }
}
