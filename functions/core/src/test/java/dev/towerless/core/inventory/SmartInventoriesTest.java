package dev.towerless.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.settings.SystemSettings;
import dev.towerless.core.testing.FakeStores;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SmartInventoriesTest {
    private final FakeStores.Resources store = new FakeStores.Resources();
    private final SmartInventories smart = new SmartInventories(store);
    private long org;
    private long otherOrg;
    private Resource prod;
    private Resource lab;

    @BeforeEach
    void setUp() {
        org = store.create(ResourceTypes.ORGANIZATION, Map.of("name", "Default")).id();
        otherOrg = store.create(ResourceTypes.ORGANIZATION, Map.of("name", "Other")).id();
        prod = store.create(ResourceTypes.INVENTORY, Map.of("name", "prod", "organization", org, "kind", ""));
        lab = store.create(ResourceTypes.INVENTORY, Map.of("name", "lab", "organization", otherOrg, "kind", ""));
    }

    private Resource host(Resource inventory, String name) {
        return store.create(ResourceTypes.HOST, new HashMap<>(Map.of("name", name, "inventory", inventory.id())));
    }

    private Resource smartInventory(String filter) {
        return store.create(ResourceTypes.INVENTORY, Map.of("name", "smart " + filter, "organization", org, "kind", "smart",
                "host_filter", filter));
    }

    private Resource reread(Resource r) {
        return store.get(r.type(), r.id()).orElseThrow();
    }

    private List<String> names(Resource smartInventory) {
        return smart.hosts(reread(smartInventory)).stream().map(Resource::name).toList();
    }

    @Test
    void aRebuildKeepsTheMatchingHostsOfTheOrganizationOnePerNameInNameOrder() {
        Resource web9 = host(prod, "web9");
        Resource web1 = host(prod, "web1");
        host(prod, "db1");
        host(lab, "web5"); // another organization's host never joins
        Resource stage = store.create(ResourceTypes.INVENTORY, Map.of("name", "stage", "organization", org, "kind", ""));
        host(stage, "web1"); // a second web1: AWX keeps the one with the lowest id
        Resource s = smartInventory("name__icontains=web");

        assertThat(smart.rebuild(s)).isTrue();
        assertThat(SmartInventories.members(reread(s))).containsExactly(web1.id(), web9.id());
        assertThat(smart.rebuild(reread(s))).as("nothing changed, nothing written").isFalse();
        assertThat(smart.smartInventoriesOf(web1)).extracting(Resource::id).containsExactly(s.id());
    }

    @Test
    void groupsNameFiltersSeeTheGroupsThatListTheHost() {
        Resource web1 = host(prod, "web1");
        host(prod, "web9");
        store.create(ResourceTypes.GROUP, Map.of("name", "frontend", "inventory", prod.id(), "hosts", List.of(web1.id())));
        Resource s = smartInventory("groups__name=frontend");
        smart.rebuild(s);
        assertThat(names(s)).containsExactly("web1");
    }

    @Test
    void hostChangesRebuildOnlyWhenTheSettingIsOn() {
        Resource s = smartInventory("name__startswith=web");
        smart.rebuild(s);
        Resource web1 = host(prod, "web1");
        assertThat(smart.hostChanged(null, web1)).as("AWX's default: AWX_REBUILD_SMART_MEMBERSHIP is off").isZero();
        assertThat(names(s)).isEmpty();

        SystemSettings.change(store, Map.of(SystemSettings.AWX_REBUILD_SMART_MEMBERSHIP, true));
        assertThat(smart.hostChanged(null, web1)).isEqualTo(1);
        assertThat(names(s)).containsExactly("web1");

        Resource renamedVars = store.update(ResourceTypes.HOST, web1.id(), Map.of("variables", "a: 1")).orElseThrow();
        assertThat(smart.hostChanged(web1, renamedVars)).as("an edit that changes no membership rebuilds nothing").isZero();

        Resource renamed = store.update(ResourceTypes.HOST, web1.id(), Map.of("name", "db1")).orElseThrow();
        assertThat(smart.hostChanged(renamedVars, renamed)).isEqualTo(1);
        assertThat(names(s)).isEmpty();
    }

    @Test
    void aDeletedHostLeavesTheListingAtOnceAndTheMembershipWhenRebuilt() {
        Resource web1 = host(prod, "web1");
        Resource s = smartInventory("name=web1");
        smart.rebuild(s);
        store.delete(ResourceTypes.HOST, web1.id());
        assertThat(names(s)).isEmpty();
        SystemSettings.change(store, Map.of(SystemSettings.AWX_REBUILD_SMART_MEMBERSHIP, true));
        smart.hostChanged(web1, null);
        assertThat(SmartInventories.members(reread(s))).isEmpty();
    }

    @Test
    void aFilterChangedDuringARebuildIsNotOverwrittenWithTheOldAnswer() {
        host(prod, "web1");
        Resource db1 = host(prod, "db1");
        Resource s = smartInventory("name=web1");
        store.update(ResourceTypes.INVENTORY, s.id(), Map.of("host_filter", "name=db1"));
        assertThat(smart.rebuild(s)).as("s is the stale copy, read before the change").isTrue();
        assertThat(SmartInventories.members(reread(s))).containsExactly(db1.id());
    }
}
