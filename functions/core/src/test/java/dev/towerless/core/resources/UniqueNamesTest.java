package dev.towerless.core.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.testing.FakeStores;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UniqueNamesTest {
    private final FakeStores.Resources store = new FakeStores.Resources();

    private static Map<String, Object> of(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aCredentialIsUniqueByOrganizationNameAndTypeButNotWithoutAnOrganization() {
        store.create(ResourceTypes.CREDENTIAL, of("name", "ssh", "organization", 1L, "credential_type", 1L));
        assertThatThrownBy(() -> UniqueNames.check(store, ResourceTypes.CREDENTIAL,
                of("name", "ssh", "organization", 1, "credential_type", 1), null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsEntry("__all__",
                        List.of("Credential with this Organization, Name and Credential type already exists.")));
        assertThatCode(() -> UniqueNames.check(store, ResourceTypes.CREDENTIAL,
                of("name", "ssh", "organization", 1, "credential_type", 2), null)).doesNotThrowAnyException();
        store.create(ResourceTypes.CREDENTIAL, of("name", "personal", "organization", null, "credential_type", 1L, "user", 3L));
        // Django skips unique_together when a member is NULL
        assertThatCode(() -> UniqueNames.check(store, ResourceTypes.CREDENTIAL,
                of("name", "personal", "organization", null, "credential_type", 1), null)).doesNotThrowAnyException();
    }

    @Test
    void aSoftRuleCountsAMissingOrganizationAndAnObjectIsNotItsOwnDuplicate() {
        Resource p = store.create(ResourceTypes.PROJECT, of("name", "site", "organization", null));
        assertThatThrownBy(() -> UniqueNames.check(store, ResourceTypes.PROJECT, of("name", "site", "organization", null), null))
                .hasMessageContaining("Project with this (name, organization) combination already exists.");
        assertThatCode(() -> UniqueNames.check(store, ResourceTypes.PROJECT, of("name", "site", "organization", null), p.id()))
                .doesNotThrowAnyException();
        assertThat(UniqueNames.concerns(ResourceTypes.PROJECT, java.util.Set.of("description"))).isFalse();
        assertThat(UniqueNames.concerns(ResourceTypes.PROJECT, java.util.Set.of("name"))).isTrue();
    }

    @Test
    void aHostMayNotTakeTheNameOfAGroupInItsInventory() {
        store.create(ResourceTypes.GROUP, of("name", "web", "inventory", 5L));
        assertThatThrownBy(() -> UniqueNames.check(store, ResourceTypes.HOST, of("name", "web", "inventory", 5L), null))
                .hasMessageContaining("A Group with that name already exists.");
        assertThatCode(() -> UniqueNames.check(store, ResourceTypes.HOST, of("name", "web", "inventory", 6L), null))
                .doesNotThrowAnyException();
    }
}
