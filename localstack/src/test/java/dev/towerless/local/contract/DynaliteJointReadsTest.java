package dev.towerless.local.contract;

import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoJointReads;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.core.ports.contract.JointReadsContract;
import dev.towerless.local.SharedEmulators;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class DynaliteJointReadsTest extends JointReadsContract {
    @Override
    protected Backend backend() {
        String prefix = SharedEmulators.uniquePrefix();
        DynamoDbClient dynamo = SharedEmulators.dynamoWithTables(prefix);
        return new Backend(new DynamoResourceStore(dynamo, prefix), new DynamoJobStore(dynamo, prefix),
                new DynamoJointReads(dynamo, prefix));
    }
}
