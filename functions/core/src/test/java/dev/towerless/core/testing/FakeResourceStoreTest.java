package dev.towerless.core.testing;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.contract.ResourceStoreContract;

/** The in-memory fake the core's tests use passes the same contract as the DynamoDB adapter. */
class FakeResourceStoreTest extends ResourceStoreContract {
    @Override
    protected ResourceStore store() {
        return new FakeStores.Resources();
    }

    @Override
    protected void breakCount(ResourceStore store, String type, long value) {
        ((FakeStores.Resources) store).breakCount(type, value);
    }
}
