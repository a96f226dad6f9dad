package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.ports.LeaseStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Leases as items {name, holder, expires_at, ttl_ms, rerun}, changed only by conditional writes. */
public final class DynamoLeaseStore implements LeaseStore {
    private final DynamoTable table;
    private final Clock clock;

    public DynamoLeaseStore(DynamoDbClient client, String prefix, Clock clock) {
        this.table = new DynamoTable(client, Tables.LEASES, prefix);
        this.clock = clock;
    }

    @Override
    public boolean tryAcquire(String name, String holder, Duration ttl) {
        long now = clock.millis();
        try {
            table.client.putItem(r -> r.tableName(table.name)
                    .item(Map.of("name", AttributeValues.s(name), "holder", AttributeValues.s(holder),
                            "expires_at", AttributeValues.n(now + ttl.toMillis()), "ttl_ms", AttributeValues.n(ttl.toMillis()),
                            "rerun", AttributeValue.fromBool(false)))
                    .conditionExpression("attribute_not_exists(#n) OR expires_at < :now OR holder = :me")
                    .expressionAttributeNames(Map.of("#n", "name"))
                    .expressionAttributeValues(Map.of(":now", AttributeValues.n(now), ":me", AttributeValues.s(holder))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean requestRerun(String name) {
        try {
            table.client.updateItem(r -> r.tableName(table.name).key(key(name))
                    .updateExpression("SET rerun = :t")
                    .conditionExpression("attribute_exists(#n) AND expires_at >= :now")
                    .expressionAttributeNames(Map.of("#n", "name"))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":now", AttributeValues.n(clock.millis()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean releaseUnlessRerunRequested(String name, String holder) {
        try {
            table.client.deleteItem(r -> r.tableName(table.name).key(key(name))
                    .conditionExpression("holder = :me AND rerun = :f")
                    .expressionAttributeValues(Map.of(":me", AttributeValues.s(holder), ":f", AttributeValue.fromBool(false))));
            return true;
        } catch (ConditionalCheckFailedException rerunRequested) {
            try {
                table.client.updateItem(r -> r.tableName(table.name).key(key(name))
                        .updateExpression("SET rerun = :f, expires_at = :now + ttl_ms")
                        .conditionExpression("holder = :me")
                        .expressionAttributeValues(Map.of(":me", AttributeValues.s(holder), ":f", AttributeValue.fromBool(false),
                                ":now", AttributeValues.n(clock.millis()))));
                return false;
            } catch (ConditionalCheckFailedException lost) {
                return true; // the lease expired and someone else holds it: they run the next pass
            }
        }
    }

    @Override
    public void release(String name, String holder) {
        try {
            table.client.deleteItem(r -> r.tableName(table.name).key(key(name))
                    .conditionExpression("holder = :me")
                    .expressionAttributeValues(Map.of(":me", AttributeValues.s(holder))));
        } catch (ConditionalCheckFailedException ignored) {
            // not ours any more
        }
    }

    private static Map<String, AttributeValue> key(String name) {
        return Map.of("name", AttributeValues.s(name));
    }
}
