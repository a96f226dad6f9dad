package dev.towerless.core.organizations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.testing.FakeStores;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostLimitTest {
    private final FakeStores.Resources store = new FakeStores.Resources();
    private final long org = store.create(ResourceTypes.ORGANIZATION, Map.of("name", "o", "max_hosts", 2L)).id();
    private final long inv = store.create(ResourceTypes.INVENTORY, Map.of("name", "i", "organization", org)).id();
    private final long other = store.create(ResourceTypes.INVENTORY, Map.of("name", "j", "organization", org)).id();

    private void host(long inventory, String name, Long source) {
        store.create(ResourceTypes.HOST, source == null ? Map.of("name", name, "inventory", inventory)
                : Map.of("name", name, "inventory", inventory, "inventory_source", source));
    }

    @Test
    void countsDistinctNamesAndLeavesOutHostsFromAControllerSource() {
        long controller = store.create(ResourceTypes.INVENTORY_SOURCE, Map.of("name", "c", "inventory", inv, "source", "controller")).id();
        host(inv, "a", null);
        host(other, "a", null);
        host(inv, "remote", controller);
        assertThat(HostLimit.activeHostNames(store, org)).containsExactly("a");
    }

    @Test
    void atTheLimitANewNameIsRefusedAnExistingOneAndStartsAreNot() {
        host(inv, "a", null);
        assertThat(HostLimit.addRefusal(store, inv, "b")).isEmpty();
        host(inv, "b", null);
        assertThat(HostLimit.addRefusal(store, other, "c")).contains(String.format(HostLimit.REACHED, 2));
        assertThat(HostLimit.addRefusal(store, other, "a")).isEmpty();
        assertThat(HostLimit.startRefusal(store, inv)).isEmpty();
        assertThat(HostLimit.addAllRefusal(store, other, List.of("a", "b"))).isEmpty();
        assertThat(HostLimit.addAllRefusal(store, other, List.of("a", "z"))).isPresent();
        host(other, "c", null); // written past the check (a lowered limit has the same effect)
        assertThat(HostLimit.startRefusal(store, inv)).contains(String.format(HostLimit.REACHED, 2));
        assertThat(HostLimit.startRefusal(store, null)).as("no inventory: refused later for that").isEmpty();
    }

    @Test
    void zeroIsUnlimitedAndAnInventoryWithoutOrganizationIsNeverLimited() {
        store.update(ResourceTypes.ORGANIZATION, org, Map.of("max_hosts", 0L));
        host(inv, "a", null);
        host(inv, "b", null);
        host(inv, "c", null);
        assertThat(HostLimit.addRefusal(store, inv, "d")).isEmpty();
        long loose = store.create(ResourceTypes.INVENTORY, Map.of("name", "k")).id();
        assertThat(HostLimit.startRefusal(store, loose)).isEmpty();
    }

    @Test
    void anImportIsJudgedOnWhatTheInventoryHoldsAfterIt() {
        host(inv, "a", null);
        host(other, "b", null);
        assertThat(HostLimit.importRefusal(store, inv, 2, Set.of("a"), List.of("b"))).as("b already counted").isEmpty();
        assertThat(HostLimit.importRefusal(store, inv, 2, Set.of("a"), List.of("c"))).contains(HostLimit.IMPORT_EXCEEDED);
        assertThat(HostLimit.importRefusal(store, inv, 2, Set.of(), List.of("c"))).as("a removed by overwrite").isEmpty();
        assertThat(HostLimit.importRefusal(store, inv, 0, Set.of("a"), List.of("c", "d", "e"))).isEmpty();
    }
}
