package dev.towerless.local.contract;

import dev.towerless.aws.dynamodb.DynamoLeaseStore;
import dev.towerless.core.ports.LeaseStore;
import dev.towerless.core.ports.contract.LeaseStoreContract;
import dev.towerless.local.SharedEmulators;

class DynaliteLeaseStoreTest extends LeaseStoreContract {
    @Override
    protected LeaseStore store() {
        String prefix = SharedEmulators.uniquePrefix();
        return new DynamoLeaseStore(SharedEmulators.dynamoWithTables(prefix), prefix, clock);
    }
}
