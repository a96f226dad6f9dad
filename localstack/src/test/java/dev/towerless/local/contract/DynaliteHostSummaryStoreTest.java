package dev.towerless.local.contract;

import dev.towerless.aws.dynamodb.DynamoHostSummaryStore;
import dev.towerless.core.ports.HostSummaryStore;
import dev.towerless.core.ports.contract.HostSummaryStoreContract;
import dev.towerless.local.SharedEmulators;

class DynaliteHostSummaryStoreTest extends HostSummaryStoreContract {
    @Override
    protected HostSummaryStore store() {
        String prefix = SharedEmulators.uniquePrefix();
        return new DynamoHostSummaryStore(SharedEmulators.dynamoWithTables(prefix), prefix);
    }
}
