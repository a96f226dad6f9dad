package dev.towerless.core.testing;

import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.contract.JobStoreContract;

/** The in-memory fake the core's tests use passes the same contract as the DynamoDB adapter. */
class FakeJobStoreTest extends JobStoreContract {
    @Override
    protected JobStore store() {
        return new FakeStores.Jobs();
    }

    @Override
    protected void breakCounter(JobStore store, String name, long value) {
        ((FakeStores.Jobs) store).setCounter(name, value);
    }
}
