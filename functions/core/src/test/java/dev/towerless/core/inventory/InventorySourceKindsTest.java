package dev.towerless.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWX's cloud_credential_validation, validate_source_vars and _can_update. */
class InventorySourceKindsTest {
    @Test
    void aCloudSourceNeedsACredentialOfItsOwnCloudButEc2MayGoWithout() {
        assertThat(InventorySourceKinds.credentialProblem("ec2", "aws", "cloud")).isEmpty();
        assertThat(InventorySourceKinds.credentialProblem("ec2", null, null)).isEmpty();
        assertThat(InventorySourceKinds.credentialProblem("ec2", "gce", "cloud")).contains(
                "Cloud-based inventory sources (such as ec2) require credentials for the matching cloud service.");
        assertThat(InventorySourceKinds.credentialProblem("gce", null, null)).contains("Credential is required for a cloud source.");
        assertThat(InventorySourceKinds.credentialProblem("scm", "", "vault")).contains(
                "Credentials of type insights and vault are disallowed for scm inventory sources.");
        assertThat(InventorySourceKinds.credentialProblem("scm", "aws", "cloud")).isEmpty();
    }

    @Test
    void sourceVariablesNamedLikeBlockedEnvironmentVariablesAreRefused() {
        assertThat(InventorySourceKinds.sourceVarsProblem(Map.of("PATH", "/x"))).contains("`PATH` is a prohibited environment variable");
        assertThat(InventorySourceKinds.sourceVarsProblem(Map.of("regions", "x"))).isEmpty();
    }

    @Test
    void fileSourcesNeverUpdateAndGceOnlyWithItsCredential() {
        assertThat(InventorySourceKinds.canUpdate("file", false, null)).isFalse();
        assertThat(InventorySourceKinds.canUpdate("gce", false, null)).isFalse();
        assertThat(InventorySourceKinds.canUpdate("gce", false, "gce")).isTrue();
        assertThat(InventorySourceKinds.canUpdate("ec2", false, null)).isTrue();
        assertThat(InventorySourceKinds.canUpdate("scm", false, null)).isFalse();
    }
}
