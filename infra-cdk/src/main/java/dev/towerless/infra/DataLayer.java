package dev.towerless.infra;

import dev.towerless.aws.definitions.TableDefinition;
import dev.towerless.aws.definitions.Tables;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/** Every table from the shared definitions: on demand, encrypted, point-in-time recovery, TTL on events. */
public final class DataLayer extends Construct {
    private final Map<String, Table> tables = new LinkedHashMap<>();

    public DataLayer(Construct scope, String id, String prefix) {
        super(scope, id);
        for (TableDefinition t : Tables.all()) {
            tables.put(t.logicalName(), table(t, prefix));
        }
    }

    public Table table(TableDefinition definition) {
        return tables.get(definition.logicalName());
    }

    private Table table(TableDefinition t, String prefix) {
        Table.Builder b = Table.Builder.create(this, t.logicalName())
                .tableName(t.physicalName(prefix))
                .partitionKey(attribute(t.partitionKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
                .removalPolicy(RemovalPolicy.RETAIN);
        t.sortKey().ifPresent(k -> b.sortKey(attribute(k)));
        t.ttlAttribute().ifPresent(b::timeToLiveAttribute);
        Table table = b.build();
        for (TableDefinition.Index i : t.indexes()) {
            GlobalSecondaryIndexProps.Builder gsi = GlobalSecondaryIndexProps.builder().indexName(i.name())
                    .partitionKey(attribute(i.partitionKey()))
                    .projectionType(i.projection() == TableDefinition.Projection.KEYS_ONLY ? ProjectionType.KEYS_ONLY : ProjectionType.ALL);
            i.sortKey().ifPresent(k -> gsi.sortKey(attribute(k)));
            table.addGlobalSecondaryIndex(gsi.build());
        }
        return table;
    }

    private static Attribute attribute(TableDefinition.Key k) {
        return Attribute.builder().name(k.attribute())
                .type(k.type() == TableDefinition.KeyType.NUMBER ? AttributeType.NUMBER : AttributeType.STRING).build();
    }
}
