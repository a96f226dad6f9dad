package dev.towerless.local.contract;

import dev.towerless.aws.dynamodb.DynamoEventStore;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.contract.EventStoreContract;
import dev.towerless.local.SharedEmulators;

class DynaliteEventStoreTest extends EventStoreContract {
    @Override
    protected EventStore store() {
        String prefix = SharedEmulators.uniquePrefix();
        return new DynamoEventStore(SharedEmulators.dynamoWithTables(prefix), prefix);
    }
}
