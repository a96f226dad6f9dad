package dev.towerless.core.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.organizations.HostLimit;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.testing.FakeStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdministrativeChecksTest {

    @Test
    void alertsFromNinetyPercentOfALimitAndNeverForUnlimitedOrganizations() {
        assertThat(AdministrativeChecks.alerting(new HostLimit.Usage(1, "o", 10, 8))).isFalse();
        assertThat(AdministrativeChecks.alerting(new HostLimit.Usage(1, "o", 10, 9))).isTrue();
        assertThat(AdministrativeChecks.alerting(new HostLimit.Usage(1, "o", 10, 12))).as("above it too").isTrue();
        assertThat(AdministrativeChecks.alerting(new HostLimit.Usage(1, "o", 3, 2))).as("2 of 3 is 67 %").isFalse();
        assertThat(AdministrativeChecks.alerting(new HostLimit.Usage(1, "o", 1, 1))).isTrue();
        assertThat(AdministrativeChecks.alerting(new HostLimit.Usage(1, "o", 0, 5000))).as("0 is unlimited").isFalse();
    }

    @Test
    void everyOrganizationIsRecordedAndOnlyTheFullOnesAlerted() {
        FakeStores.Resources store = new FakeStores.Resources();
        long full = store.create(ResourceTypes.ORGANIZATION, Map.of("name", "full", "max_hosts", 2L)).id();
        store.create(ResourceTypes.ORGANIZATION, Map.of("name", "free", "max_hosts", 0L));
        long inv = store.create(ResourceTypes.INVENTORY, Map.of("name", "i", "organization", full)).id();
        store.create(ResourceTypes.HOST, Map.of("name", "a", "inventory", inv));
        store.create(ResourceTypes.HOST, Map.of("name", "b", "inventory", inv));
        List<String> lines = new ArrayList<>();
        List<AdministrativeChecks.Alert> alerts = new AdministrativeChecks(store).hostLimits(lines::add);
        assertThat(alerts).containsExactly(new AdministrativeChecks.Alert(full, "full", 2, 2));
        assertThat(alerts.get(0).message()).isEqualTo("Organization \"full\" has 2 hosts: 100 % of its max_hosts (2). No host beyond 2"
                + " can be added.");
        assertThat(lines).hasSize(3).anyMatch(l -> l.contains("\"free\"") && l.contains("unlimited"));
        assertThat(AdministrativeChecks.Alert.of(AdministrativeChecks.stored(alerts).get(0))).isEqualTo(alerts.get(0));
    }
}
