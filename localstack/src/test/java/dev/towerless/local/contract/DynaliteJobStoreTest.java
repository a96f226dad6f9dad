package dev.towerless.local.contract;

import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.contract.JobStoreContract;
import dev.towerless.local.SharedEmulators;

class DynaliteJobStoreTest extends JobStoreContract {
    @Override
    protected JobStore store() {
        String prefix = SharedEmulators.uniquePrefix();
        return new DynamoJobStore(SharedEmulators.dynamoWithTables(prefix), prefix);
    }
}
