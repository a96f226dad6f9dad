package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.ports.HeartbeatStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Heartbeats as items {job_id, at_ms, runner, silenced, expires_at} of the heartbeats table: well
 * under 1 KB, so a heartbeat is one write unit, and the table has no index to write. Items expire
 * a day after their last write (TTL), long after any reaper pass could ask about them.
 */
public final class DynamoHeartbeatStore implements HeartbeatStore {
    /** BatchGetItem's limit. */
    private static final int BATCH = 100;
    private static final Duration KEEP = Duration.ofDays(1);

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;

    public DynamoHeartbeatStore(DynamoDbClient client, String prefix, Clock clock) {
        this.client = client;
        this.table = Tables.HEARTBEATS.physicalName(prefix);
        this.clock = clock;
    }

    @Override
    public boolean beat(long jobId, String runner, Instant at) {
        try {
            client.updateItem(r -> r.tableName(table).key(key(jobId))
                    .updateExpression("SET at_ms = :at, runner = :runner, expires_at = :expires")
                    .conditionExpression("attribute_not_exists(silenced)")
                    .expressionAttributeValues(Map.of(":at", AttributeValues.n(at.toEpochMilli()),
                            ":runner", AttributeValues.s(runner), ":expires", AttributeValues.n(at.plus(KEEP).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException silenced) {
            return false;
        }
    }

    @Override
    public Map<Long, Beat> lastBeats(Collection<Long> jobIds) {
        List<Long> ids = new ArrayList<>(new LinkedHashSet<>(jobIds));
        Map<Long, Beat> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + BATCH)).stream().map(DynamoHeartbeatStore::key).toList();
            // Eventually consistent is enough: a verdict taken on a stale beat fails silence()'s condition.
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys)
                    .projectionExpression("job_id, at_ms, runner, silenced").build());
            BatchReads.readAll(client, request, (t, item) -> {
                if (item.containsKey("at_ms")) { // a silence alone (the runner never beat) is no heartbeat
                    out.put(Long.parseLong(item.get("job_id").n()), new Beat(Instant.ofEpochMilli(Long.parseLong(item.get("at_ms").n())),
                            item.containsKey("runner") ? item.get("runner").s() : null,
                            item.containsKey("silenced") && Boolean.TRUE.equals(item.get("silenced").bool())));
                }
            });
        }
        return out;
    }

    @Override
    public boolean silence(long jobId, Optional<Instant> seen) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":t", AttributeValue.fromBool(true));
        values.put(":expires", AttributeValues.n(clock.instant().plus(KEEP).getEpochSecond()));
        seen.ifPresent(t -> values.put(":seen", AttributeValues.n(t.toEpochMilli())));
        try {
            client.updateItem(r -> r.tableName(table).key(key(jobId))
                    .updateExpression("SET silenced = :t, expires_at = :expires")
                    .conditionExpression(seen.isPresent() ? "at_ms = :seen" : "attribute_not_exists(at_ms)")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException beatSince) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(long jobId) {
        return Map.of("job_id", AttributeValues.n(jobId));
    }
}
