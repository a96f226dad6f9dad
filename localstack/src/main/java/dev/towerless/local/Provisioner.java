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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
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
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Provisioner.class.getName());

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
    static void awaitActive(DynamoDbClient dynamo, String table) {
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

    /** The name a table is copied to while it is rebuilt with today's indexes. */
    static String migrationName(TableDefinition t, String prefix) {
        return t.physicalName(prefix) + "-migrating";
    }

    /**
     * Creates the table, or, if a table made by an older Towerless (./towerless up keeps them) has
     * other indexes, rebuilds it with today's keeping every item: dynalite ignores UpdateTable's
     * index changes, so the items go to a temporary table with today's schema, the old table is
     * deleted and created again, and they come back. A temporary table left by an interrupted
     * rebuild is finished first (each step can be run again: a copy overwrites an item with
     * itself, and the old table is deleted only after the copy out is whole).
     */
    static void createTable(DynamoDbClient dynamo, TableDefinition t, String prefix) {
        String name = t.physicalName(prefix);
        String temp = migrationName(t, prefix);
        if (exists(dynamo, temp)) {
            LOG.info(() -> "Finishing the interrupted rebuild of " + name + " (" + temp + " exists)");
            if (exists(dynamo, name) && !hasTodaysIndexes(dynamo, t, name)) {
                migrate(dynamo, t, name, temp, false); // the copy out may be partial: from the start
            } else {
                migrate(dynamo, t, name, temp, true);
            }
            return;
        }
        try {
            create(dynamo, t, name);
        } catch (ResourceInUseException exists) {
            // Provisioning twice is fine; a table with other indexes is rebuilt.
            if (!hasTodaysIndexes(dynamo, t, name)) {
                create(dynamo, t, temp);
                migrate(dynamo, t, name, temp, false);
            }
        }
    }

    /**
     * From a temporary table with today's schema: copy the old table into it (unless
     * {@code copiedOut}: the old one is gone or already rebuilt), delete the old one, create it
     * with today's schema (if missing), copy back, delete the temporary one.
     */
    private static void migrate(DynamoDbClient dynamo, TableDefinition t, String name, String temp, boolean copiedOut) {
        awaitActive(dynamo, temp);
        if (!copiedOut) {
            var had = indexes(dynamo, name);
            long out = copy(dynamo, name, temp);
            LOG.info(() -> "Table " + name + " has the indexes " + had + " but this Towerless needs " + wanted(t)
                    + ": rebuilding it; copied its " + out + " items to " + temp);
            dynamo.deleteTable(r -> r.tableName(name));
            awaitGone(dynamo, name);
        }
        if (!exists(dynamo, name)) {
            create(dynamo, t, name);
        }
        awaitActive(dynamo, name);
        long back = copy(dynamo, temp, name);
        dynamo.deleteTable(r -> r.tableName(temp));
        awaitGone(dynamo, temp);
        LOG.info(() -> "Rebuilt " + name + " with the indexes " + wanted(t) + ": copied back " + back
                + " items; removed " + temp);
    }

    /** Every item of {@code from} into {@code to}: scan pages, batch writes of 25, unprocessed items retried. */
    private static long copy(DynamoDbClient dynamo, String from, String to) {
        long n = 0;
        for (var page : dynamo.scanPaginator(r -> r.tableName(from).consistentRead(true))) {
            List<Map<String, AttributeValue>> items = page.items();
            for (int i = 0; i < items.size(); i += 25) {
                List<WriteRequest> batch = items.subList(i, Math.min(items.size(), i + 25)).stream()
                        .map(item -> WriteRequest.builder().putRequest(p -> p.item(item)).build()).toList();
                Map<String, List<WriteRequest>> request = Map.of(to, batch);
                for (int attempt = 0; !request.isEmpty(); attempt++) {
                    if (attempt > 0) {
                        sleep(Math.min(1000, 20L << Math.min(attempt, 6)));
                    }
                    var toWrite = request;
                    var resp = dynamo.batchWriteItem(r -> r.requestItems(toWrite));
                    request = resp.hasUnprocessedItems() ? resp.unprocessedItems() : Map.of();
                }
            }
            n += items.size();
        }
        return n;
    }

    /** Whether the emulator holds this table (the rebuild's steps, and its test, ask). */
    static boolean exists(DynamoDbClient dynamo, String table) {
        try {
            dynamo.describeTable(r -> r.tableName(table));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    private static void awaitGone(DynamoDbClient dynamo, String table) {
        for (int i = 0; i < 600 && exists(dynamo, table); i++) {
            sleep(50);
        }
        if (exists(dynamo, table)) {
            throw new IllegalStateException("table " + table + " was not deleted");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasTodaysIndexes(DynamoDbClient dynamo, TableDefinition t, String table) {
        return indexes(dynamo, table).equals(wanted(t));
    }

    private static Map<String, ProjectionType> indexes(DynamoDbClient dynamo, String table) {
        var described = dynamo.describeTable(r -> r.tableName(table)).table();
        Map<String, ProjectionType> have = new java.util.TreeMap<>();
        described.globalSecondaryIndexes().forEach(g -> have.put(g.indexName(), g.projection().projectionType()));
        return have;
    }

    private static Map<String, ProjectionType> wanted(TableDefinition t) {
        Map<String, ProjectionType> want = new java.util.TreeMap<>();
        t.indexes().forEach(i -> want.put(i.name(), projection(i)));
        return want;
    }

    private static void create(DynamoDbClient dynamo, TableDefinition t, String name) {
        Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
        List<KeySchemaElement> keys = keySchema(t.partitionKey(), t.sortKey().orElse(null), attributes);
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (TableDefinition.Index i : t.indexes()) {
            indexes.add(GlobalSecondaryIndex.builder().indexName(i.name())
                    .keySchema(keySchema(i.partitionKey(), i.sortKey().orElse(null), attributes))
                    .projection(p -> p.projectionType(projection(i))).build());
        }
        dynamo.createTable(r -> {
            r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes.values()).keySchema(keys);
            if (!indexes.isEmpty()) {
                r.globalSecondaryIndexes(indexes);
            }
        });
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
