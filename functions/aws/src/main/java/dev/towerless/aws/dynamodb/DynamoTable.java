package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.TableDefinition;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A table with its client and physical name. Index key attributes must be absent rather than
 * null (DynamoDB rejects a NULL where an index expects a string or number), so nulls for those
 * are dropped on write.
 */
final class DynamoTable {
    final DynamoDbClient client;
    final String name;
    private final Set<String> indexKeys = new HashSet<>();

    DynamoTable(DynamoDbClient client, TableDefinition definition, String prefix) {
        this.client = client;
        this.name = definition.physicalName(prefix);
        for (TableDefinition.Index index : definition.indexes()) {
            indexKeys.add(index.partitionKey().attribute());
            index.sortKey().ifPresent(k -> indexKeys.add(k.attribute()));
        }
    }

    Map<String, AttributeValue> item(Map<String, Object> fields) {
        Map<String, Object> kept = new LinkedHashMap<>(fields);
        kept.entrySet().removeIf(e -> e.getValue() == null && indexKeys.contains(e.getKey()));
        return AttributeValues.toItem(kept);
    }

    /** SET for values, REMOVE for null index keys. */
    UpdateBuilder update(Map<String, Object> changes) {
        UpdateBuilder u = new UpdateBuilder();
        changes.forEach((k, v) -> {
            if (v == null && indexKeys.contains(k)) {
                u.remove(k);
            } else {
                u.set(k, v);
            }
        });
        return u;
    }
}
