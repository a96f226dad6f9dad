package dev.towerless.local;

import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.definitions.QueueDefinition;
import dev.towerless.aws.definitions.TableDefinition;
import dev.towerless.aws.definitions.Tables;
import dev.towerless.aws.definitions.TopicDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the tables, queues and topics from the same definitions the CDK stack deploys, so
 * the local stack and AWS have the same keys, indexes, dead-letter queues and subscriptions.
 */
public final class Provisioner {

    /** Queue URLs and topic ARNs by logical name. */
    public record Provisioned(Map<String, String> queueUrls, Map<String, String> deadLetterUrls,
                              Map<String, String> topicArns) {
        public String queueUrl(QueueDefinition q) {
            return queueUrls.get(q.logicalName());
        }

        public String topicArn(TopicDefinition t) {
            return topicArns.get(t.logicalName());
        }
    }

    private Provisioner() {
    }

    public static void createTables(DynamoDbClient dynamo, String prefix) {
        for (TableDefinition t : Tables.all()) {
            createTable(dynamo, t, prefix);
        }
        for (TableDefinition t : Tables.all()) {
            awaitActive(dynamo, t.physicalName(prefix));
        }
    }

    /** Polls briefly: the SDK's waiter sleeps 20 s between attempts, far longer than an emulator needs. */
    private static void awaitActive(DynamoDbClient dynamo, String table) {
        for (int i = 0; i < 600; i++) {
            if (dynamo.describeTable(r -> r.tableName(table)).table().tableStatus() == TableStatus.ACTIVE) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("table " + table + " did not become active");
    }

    static void createTable(DynamoDbClient dynamo, TableDefinition t, String prefix) {
        Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
        List<KeySchemaElement> keys = keySchema(t.partitionKey(), t.sortKey().orElse(null), attributes);
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (TableDefinition.Index i : t.indexes()) {
            indexes.add(GlobalSecondaryIndex.builder().indexName(i.name())
                    .keySchema(keySchema(i.partitionKey(), i.sortKey().orElse(null), attributes))
                    .projection(p -> p.projectionType(projection(i))).build());
        }
        try {
            dynamo.createTable(r -> {
                r.tableName(t.physicalName(prefix)).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attributes.values()).keySchema(keys);
                if (!indexes.isEmpty()) {
                    r.globalSecondaryIndexes(indexes);
                }
            });
        } catch (ResourceInUseException exists) {
            // Provisioning twice is fine, but a table kept from an older Towerless (./towerless up
            // keeps them) must have today's indexes: dynalite cannot add an index to a table.
            var described = dynamo.describeTable(r -> r.tableName(t.physicalName(prefix))).table();
            Map<String, ProjectionType> have = new LinkedHashMap<>();
            described.globalSecondaryIndexes().forEach(g -> have.put(g.indexName(), g.projection().projectionType()));
            Map<String, ProjectionType> want = new LinkedHashMap<>();
            t.indexes().forEach(i -> want.put(i.name(), projection(i)));
            if (!have.equals(want)) {
                throw new IllegalStateException("table " + t.physicalName(prefix) + " has the indexes " + have
                        + " but this Towerless needs " + want + "; the local data was made by an older version."
                        + " Run ./towerless reset to start clean.");
            }
        }
    }

    private static ProjectionType projection(TableDefinition.Index i) {
        return i.projection() == TableDefinition.Projection.KEYS_ONLY ? ProjectionType.KEYS_ONLY : ProjectionType.ALL;
    }

    private static List<KeySchemaElement> keySchema(TableDefinition.Key pk, TableDefinition.Key sk,
                                                    Map<String, AttributeDefinition> attributes) {
        List<KeySchemaElement> keys = new ArrayList<>();
        for (TableDefinition.Key k : sk == null ? List.of(pk) : List.of(pk, sk)) {
            attributes.put(k.attribute(), AttributeDefinition.builder().attributeName(k.attribute())
                    .attributeType(k.type() == TableDefinition.KeyType.NUMBER ? ScalarAttributeType.N : ScalarAttributeType.S).build());
            keys.add(KeySchemaElement.builder().attributeName(k.attribute()).keyType(k == pk ? KeyType.HASH : KeyType.RANGE).build());
        }
        return keys;
    }

    public static Provisioned createMessaging(SqsClient sqs, SnsClient sns, String prefix) {
        Map<String, String> urls = new HashMap<>();
        Map<String, String> dlqs = new HashMap<>();
        for (QueueDefinition q : Messaging.queues()) {
            String dlqUrl = sqs.createQueue(r -> r.queueName(q.deadLetterName(prefix))).queueUrl();
            String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + q.maxReceiveCount() + "\"}";
            String url = sqs.createQueue(r -> r.queueName(q.physicalName(prefix)).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(q.visibilityTimeout().toSeconds()),
                    QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
            urls.put(q.logicalName(), url);
            dlqs.put(q.logicalName(), dlqUrl);
        }
        Map<String, String> arns = new HashMap<>();
        for (TopicDefinition t : Messaging.topics()) {
            String arn = sns.createTopic(r -> r.name(t.physicalName(prefix))).topicArn();
            arns.put(t.logicalName(), arn);
            for (QueueDefinition q : t.subscribers()) {
                String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(urls.get(q.logicalName()))
                        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
                sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint(queueArn)
                        .attributes(Map.of("RawMessageDelivery", "true")));
            }
        }
        return new Provisioned(urls, dlqs, arns);
    }
}
