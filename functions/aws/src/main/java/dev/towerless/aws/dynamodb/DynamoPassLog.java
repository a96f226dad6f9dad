package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.ports.PassLog;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One item per manager in the leases table ({@code pass#<manager>}), overwritten by each pass. */
public final class DynamoPassLog implements PassLog {
    private final DynamoTable table;

    public DynamoPassLog(DynamoDbClient client, String prefix) {
        this.table = new DynamoTable(client, Tables.LEASES, prefix);
    }

    @Override
    public void record(String manager, Instant finishedAt, Duration took, Map<String, Object> summary) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", "pass#" + manager);
        item.put("finished_at", Timestamps.format(finishedAt));
        item.put("duration_ms", took.toMillis());
        item.put("summary", summary);
        table.client.putItem(r -> r.tableName(table.name).item(table.item(item)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> last(String manager) {
        Map<String, AttributeValue> item = table.client.getItem(r -> r.tableName(table.name)
                .key(Map.of("name", AttributeValues.s("pass#" + manager)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> fields = AttributeValues.fromItem(item);
        fields.remove("name");
        return Optional.of(fields);
    }
}
