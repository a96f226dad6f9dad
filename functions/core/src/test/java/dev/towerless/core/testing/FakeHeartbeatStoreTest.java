package dev.towerless.core.testing;

import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.contract.HeartbeatStoreContract;

/** The in-memory fake the core's tests use passes the same contract as the DynamoDB adapter. */
class FakeHeartbeatStoreTest extends HeartbeatStoreContract {
    @Override
    protected HeartbeatStore store() {
        return new FakeStores.Heartbeats();
    }
}
