package dev.towerless.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.contract.JobStoreContract;
import dev.towerless.local.SharedEmulators;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynaliteJobStoreTest extends JobStoreContract {
    private final Map<JobStore, String> prefixes = new java.util.IdentityHashMap<>();
    private DynamoDbClient dynamo;

    @Override
    protected JobStore store() {
        String prefix = SharedEmulators.uniquePrefix();
        dynamo = SharedEmulators.dynamoWithTables(prefix);
        JobStore s = new DynamoJobStore(dynamo, prefix);
        prefixes.put(s, prefix);
        return s;
    }

    @Override
    protected void breakCounter(JobStore store, String name, long value) {
        dynamo.putItem(r -> r.tableName(prefixes.get(store) + "sequences")
                .item(Map.of("name", AttributeValue.fromS(name), "value", AttributeValue.fromN(Long.toString(value)))));
    }

    @Test
    void runningJobsSpreadOverSixteenPartitionsOfTheActiveIndex() {
        String prefix = SharedEmulators.uniquePrefix();
        DynamoDbClient dynamo = SharedEmulators.dynamoWithTables(prefix);
        JobStore s = new DynamoJobStore(dynamo, prefix);
        for (int i = 1; i <= 64; i++) {
            s.insert(UnifiedJob.newPending(i, JobKind.JOB, "j" + i, LaunchType.MANUAL, Instant.parse("2026-11-28T10:00:00Z"), Map.of()));
        }
        Set<String> keys = new HashSet<>();
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(r -> r.tableName(prefix + "jobs").indexName("active")).items()) {
            keys.add(item.get("active_shard").s());
        }
        assertThat(keys).hasSize(16).allMatch(k -> k.startsWith("active#"));
    }

    @Test
    void jobsAnOlderStoreMarkedActiveAreStillRead() {
        String prefix = SharedEmulators.uniquePrefix();
        DynamoDbClient dynamo = SharedEmulators.dynamoWithTables(prefix);
        JobStore s = new DynamoJobStore(dynamo, prefix);
        s.insert(UnifiedJob.newPending(7, JobKind.JOB, "old", LaunchType.MANUAL, Instant.parse("2026-11-28T10:00:00Z"), Map.of()));
        dynamo.updateItem(r -> r.tableName(prefix + "jobs").key(Map.of("id", AttributeValue.fromN("7")))
                .updateExpression("SET active_shard = :a").expressionAttributeValues(Map.of(":a", AttributeValue.fromS("active"))));
        assertThat(s.active()).extracting(UnifiedJob::id).containsExactly(7L);
    }
}
