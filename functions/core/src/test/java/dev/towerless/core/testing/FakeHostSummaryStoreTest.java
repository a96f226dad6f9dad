package dev.towerless.core.testing;

import dev.towerless.core.ports.HostSummaryStore;
import dev.towerless.core.ports.contract.HostSummaryStoreContract;

/** The in-memory fake the core's tests use passes the same contract as the DynamoDB adapter. */
class FakeHostSummaryStoreTest extends HostSummaryStoreContract {
    @Override
    protected HostSummaryStore store() {
        return new FakeStores.HostSummaries();
    }
}
