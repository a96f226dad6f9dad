package dev.towerless.core.copying;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.access.Memberships;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.testing.FakeStores;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeepCopyTest {
    private final FakeStores.Resources store = new FakeStores.Resources();
    private final FakeStores.Queue queue = new FakeStores.Queue();
    private final FakeStores.Leases leases = new FakeStores.Leases(Clock.systemUTC());
    private final DeepCopy copies = new DeepCopy(store, new Memberships(store, new FakeStores.Jobs()), leases, queue,
            new FakeStores.FlatVariables(), Clock.systemUTC());

    private final Resource original = store.create(ResourceTypes.INVENTORY, Map.of("name", "a"));
    private final long h1 = store.create(ResourceTypes.HOST, Map.of("name", "h1", "inventory", original.id(), "variables", "x: 1")).id();
    private final long h2 = store.create(ResourceTypes.HOST, Map.of("name", "h2", "inventory", original.id())).id();
    private final long child = store.create(ResourceTypes.GROUP, Map.of("name", "child", "inventory", original.id(),
            "hosts", List.of(h2))).id();
    private final long parent = store.create(ResourceTypes.GROUP, Map.of("name", "parent", "inventory", original.id(),
            "hosts", List.of(h1), "children", List.of(child))).id();
    private final Resource copy = store.create(ResourceTypes.INVENTORY, Map.of("name", "b"));

    @Test
    void theSubObjectsAreCopiedOnceHoweverOftenTheTaskIsDelivered() {
        copies.schedule(original, copy, 1);
        assertThat(queue.sent).hasSize(1);
        assertThat(store.get(ResourceTypes.INVENTORY, copy.id()).orElseThrow().flag(DeepCopy.PENDING)).isTrue();

        assertThat(copies.copySubObjects(ResourceTypes.INVENTORY, original.id(), copy.id(), 1)).isTrue();
        assertThat(copies.copySubObjects(ResourceTypes.INVENTORY, original.id(), copy.id(), 1)).isTrue();
        store.update(ResourceTypes.INVENTORY, copy.id(), Map.of(DeepCopy.PENDING, true)); // a delivery that died before clearing it
        copies.copySubObjects(ResourceTypes.INVENTORY, original.id(), copy.id(), 1);

        List<Resource> hosts = store.where(ResourceTypes.HOST, "inventory", copy.id());
        assertThat(hosts).extracting(Resource::name).containsExactlyInAnyOrder("h1", "h2");
        Map<String, Resource> groups = new java.util.HashMap<>();
        store.where(ResourceTypes.GROUP, "inventory", copy.id()).forEach(g -> groups.put(g.name(), g));
        assertThat(groups).hasSize(2);
        long h1Copy = hosts.stream().filter(h -> h.name().equals("h1")).findFirst().orElseThrow().id();
        assertThat(groups.get("parent").references("hosts")).containsExactly(h1Copy);
        assertThat(groups.get("parent").references("children")).containsExactly(groups.get("child").id());
        assertThat(store.get(ResourceTypes.HOST, h1Copy).orElseThrow().get("variables")).isEqualTo("x: 1");
        assertThat(store.get(ResourceTypes.INVENTORY, copy.id()).orElseThrow().flag(DeepCopy.PENDING)).isFalse();
        assertThat(store.where(ResourceTypes.HOST, "inventory", original.id())).hasSize(2);
    }

    @Test
    void aCopyHeldByAnotherDeliveryIsRetriedLater() {
        copies.schedule(original, copy, 1);
        leases.tryAcquire("deep-copy-inventory-" + copy.id(), "someone else", java.time.Duration.ofMinutes(1));
        assertThat(copies.copySubObjects(ResourceTypes.INVENTORY, original.id(), copy.id(), 1)).isFalse();
        assertThat(store.where(ResourceTypes.HOST, "inventory", copy.id())).isEmpty();
    }

    @Test
    void theNightlySweepFinishesACopyWhoseMessageWasLost() {
        copies.schedule(original, copy, 1);
        assertThat(copies.resumePending()).isEqualTo(1);
        assertThat(store.where(ResourceTypes.GROUP, "inventory", copy.id())).hasSize(2);
        assertThat(copies.resumePending()).isZero();
    }
    /** A big copy is split over deliveries: each creates at most its share, then sends the rest on. */
    @Test
    void aCopyLargerThanOneDeliveryContinuesInFollowUpMessagesUntilComplete() {
        DeepCopy small = new DeepCopy(store, new Memberships(store, new FakeStores.Jobs()), leases, queue,
                new FakeStores.FlatVariables(), Clock.systemUTC(), 3);
        for (int i = 3; i <= 8; i++) {
            store.create(ResourceTypes.HOST, Map.of("name", "h" + i, "inventory", original.id()));
        }
        small.schedule(original, copy, 1);
        assertThat(small.copySubObjects(ResourceTypes.INVENTORY, original.id(), copy.id(), 1)).isTrue();
        assertThat(store.where(ResourceTypes.HOST, "inventory", copy.id())).as("one delivery's share").hasSize(3);
        assertThat(store.get(ResourceTypes.INVENTORY, copy.id()).orElseThrow().flag(DeepCopy.PENDING)).as("still pending").isTrue();
        assertThat(queue.sent).as("the schedule's message and one follow-up").hasSize(2);

        int deliveries = 1;
        while (store.get(ResourceTypes.INVENTORY, copy.id()).orElseThrow().flag(DeepCopy.PENDING)) {
            assertThat(small.copySubObjects(ResourceTypes.INVENTORY, original.id(), copy.id(), 1)).isTrue();
            deliveries++;
            assertThat(deliveries).as("deliveries").isLessThan(10);
        }
        // 8 hosts and 2 groups at 3 a delivery: 4 deliveries, each but the last sending one follow-up
        assertThat(deliveries).isEqualTo(4);
        assertThat(queue.sent).hasSize(1 + 3);
        assertThat(store.where(ResourceTypes.HOST, "inventory", copy.id())).extracting(Resource::name)
                .containsExactlyInAnyOrder("h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8");
        Map<String, Resource> groups = new java.util.HashMap<>();
        store.where(ResourceTypes.GROUP, "inventory", copy.id()).forEach(g -> groups.put(g.name(), g));
        assertThat(groups.get("parent").references("children")).containsExactly(groups.get("child").id());
        assertThat(groups.get("child").references("hosts")).hasSize(1);
    }
}
