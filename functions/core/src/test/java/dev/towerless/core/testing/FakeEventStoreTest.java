package dev.towerless.core.testing;

import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.contract.EventStoreContract;

/** The in-memory fake the core's tests use passes the same contract as the DynamoDB adapter. */
class FakeEventStoreTest extends EventStoreContract {
    @Override
    protected EventStore store() {
        return new FakeStores.Events();
    }
}
