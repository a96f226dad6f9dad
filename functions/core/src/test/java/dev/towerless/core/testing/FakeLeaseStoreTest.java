package dev.towerless.core.testing;

import dev.towerless.core.ports.LeaseStore;
import dev.towerless.core.ports.contract.LeaseStoreContract;

/** The in-memory fake the core's tests use passes the same contract as the DynamoDB adapter. */
class FakeLeaseStoreTest extends LeaseStoreContract {
    @Override
    protected LeaseStore store() {
        return new FakeStores.Leases(clock);
    }
}
