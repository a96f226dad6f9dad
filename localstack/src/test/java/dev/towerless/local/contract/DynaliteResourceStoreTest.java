package dev.towerless.local.contract;

import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.contract.ResourceStoreContract;
import dev.towerless.local.SharedEmulators;

class DynaliteResourceStoreTest extends ResourceStoreContract {
    @Override
    protected ResourceStore store() {
        String prefix = SharedEmulators.uniquePrefix();
        return new DynamoResourceStore(SharedEmulators.dynamoWithTables(prefix), prefix);
    }
}
