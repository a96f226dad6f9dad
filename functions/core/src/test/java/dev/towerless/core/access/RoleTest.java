package dev.towerless.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.resources.ResourceTypes;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void everyRoleOfEveryModelHasItsOwnIdAndComesBackFromIt() {
        Set<Long> seen = new HashSet<>();
        for (String type : RoleCatalogue.TYPES) {
            for (long object : new long[] {1, 2, 97, 123_456_789L}) {
                for (RoleDefinition d : RoleCatalogue.rolesOf(type)) {
                    Role role = Role.of(type, object, d.field());
                    assertThat(seen.add(role.id())).as("%s has a fresh id", role).isTrue();
                    assertThat(Role.ofId(role.id())).contains(role);
                }
            }
        }
        assertThat(Role.ofId(Role.SYSTEM_ADMINISTRATOR.id())).contains(Role.SYSTEM_ADMINISTRATOR);
        assertThat(Role.ofId(Role.SYSTEM_AUDITOR.id())).contains(Role.SYSTEM_AUDITOR);
        assertThat(seen).doesNotContain(Role.SYSTEM_ADMINISTRATOR.id(), Role.SYSTEM_AUDITOR.id());
    }

    @Test
    void idsThatNameNoRoleAreRefused() {
        assertThat(Role.ofId(0)).isEmpty();
        assertThat(Role.ofId(3)).isEmpty();
        assertThat(Role.ofId(-5)).isEmpty();
        // organization 1 has 13 roles: field slot 13 is empty
        assertThat(Role.ofId(Role.of(ResourceTypes.ORGANIZATION, 1, RoleCatalogue.APPROVAL).id() + 1)).isEmpty();
    }

    @Test
    void namesAndDescriptionsAreAwxs() {
        assertThat(Role.of(ResourceTypes.JOB_TEMPLATE, 5, RoleCatalogue.EXECUTE).definition())
                .satisfies(d -> {
                    assertThat(d.name()).isEqualTo("Execute");
                    assertThat(d.description()).isEqualTo("May run the job template");
                });
        assertThat(Role.of(ResourceTypes.ORGANIZATION, 1, RoleCatalogue.EXECUTE).definition().description())
                .isEqualTo("May run any executable resources in the organization");
        assertThat(Role.of(ResourceTypes.INVENTORY, 1, RoleCatalogue.ADHOC).definition().description())
                .isEqualTo("May run ad hoc commands on the inventory");
        assertThat(Role.SYSTEM_AUDITOR.definition().name()).isEqualTo("System Auditor");
        assertThat(RoleCatalogue.rolesOf(ResourceTypes.ORGANIZATION)).hasSize(13);
        assertThat(RoleCatalogue.displayName(ResourceTypes.WORKFLOW_JOB_TEMPLATE)).isEqualTo("Workflow Job Template");
    }
}
