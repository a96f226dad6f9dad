package dev.towerless.local.docker;

import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.local.Provisioner;
import dev.towerless.local.SharedEmulators;
import dev.towerless.core.ports.contract.JobStoreContract;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The job store contract against LocalStack's DynamoDB (runs only where Docker does). */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackJobStoreTest extends JobStoreContract {
    @Container
    static final LocalStackContainer LOCALSTACK = LocalStackContainers.create();

    @Override
    protected JobStore store() {
        String prefix = SharedEmulators.uniquePrefix();
        // LocalStack accepts any key; the embedded emulators other tests share accept only theirs.
        dev.towerless.local.Emulators.useEmulatorCredentials();
        DynamoDbClient client = AwsClients.dynamoDb(TowerlessConfig.from(n -> Optional.ofNullable(Map.of(
                "AWS_ENDPOINT_URL_DYNAMODB", LOCALSTACK.getEndpoint().toString(),
                "AWS_REGION", LOCALSTACK.getRegion()).get(n))));
        Provisioner.createTables(client, prefix);
        JobStore s = new DynamoJobStore(client, prefix);
        clients.put(s, Map.entry(client, prefix));
        return s;
    }

    private final Map<JobStore, Map.Entry<DynamoDbClient, String>> clients = new java.util.IdentityHashMap<>();

    @Override
    protected void breakCounter(JobStore store, String name, long value) {
        var c = clients.get(store);
        c.getKey().putItem(r -> r.tableName(c.getValue() + "sequences").item(Map.of(
                "name", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(name),
                "value", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(Long.toString(value)))));
    }
}
