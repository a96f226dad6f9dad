package dev.towerless.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.contract.ResourceStoreContract;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.SharedEmulators;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynaliteResourceStoreTest extends ResourceStoreContract {
    private final Map<ResourceStore, String> prefixes = new java.util.IdentityHashMap<>();
    private DynamoDbClient client;

    @Override
    protected ResourceStore store() {
        String prefix = SharedEmulators.uniquePrefix();
        client = SharedEmulators.dynamoWithTables(prefix);
        ResourceStore s = new DynamoResourceStore(client, prefix);
        prefixes.put(s, prefix);
        return s;
    }

    @Override
    protected void breakCount(ResourceStore store, String type, long value) {
        client.putItem(r -> r.tableName(Tables.SEQUENCES.physicalName(prefixes.get(store)))
                .item(Map.of("name", AttributeValue.fromS("count#resource#" + type), "value", AttributeValue.fromN(Long.toString(value)))));
    }

    @Test
    void recountGivesItemsAnOlderVersionStoredTheirParentKeySoTheOrganizationListFindsThem() {
        ResourceStore s = store();
        String table = Tables.RESOURCES.physicalName(prefixes.get(s));
        // an inventory as the version before organization parents stored it: no parent_key
        client.putItem(r -> r.tableName(table).item(Map.of("type", AttributeValue.fromS(ResourceTypes.INVENTORY),
                "id", AttributeValue.fromN("5"), "name", AttributeValue.fromS("old"), "natural_key", AttributeValue.fromS("old"),
                "organization", AttributeValue.fromN("3"))));
        assertThat(s.where(ResourceTypes.INVENTORY, "organization", 3L)).isEmpty();
        assertThat(s.recount(ResourceTypes.INVENTORY)).isEqualTo(1);
        assertThat(s.where(ResourceTypes.INVENTORY, "organization", 3L)).extracting(Resource::id).containsExactly(5L);
        assertThat(s.count(ResourceTypes.INVENTORY)).isEqualTo(1);
    }
}
