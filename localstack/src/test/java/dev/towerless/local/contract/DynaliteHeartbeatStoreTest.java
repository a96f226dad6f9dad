package dev.towerless.local.contract;

import dev.towerless.aws.dynamodb.DynamoHeartbeatStore;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.contract.HeartbeatStoreContract;
import dev.towerless.local.SharedEmulators;
import java.time.Clock;

class DynaliteHeartbeatStoreTest extends HeartbeatStoreContract {
    @Override
    protected HeartbeatStore store() {
        String prefix = SharedEmulators.uniquePrefix();
        return new DynamoHeartbeatStore(SharedEmulators.dynamoWithTables(prefix), prefix, Clock.systemUTC());
    }
}
