package dev.towerless.infra;

import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.definitions.QueueDefinition;
import dev.towerless.aws.definitions.TableDefinition;
import dev.towerless.aws.definitions.Tables;
import dev.towerless.aws.definitions.TopicDefinition;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.SqsSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The data and messaging layer of Towerless, built from the same definitions the embedded local
 * stack provisions (functions/aws definitions), so both always agree on keys, indexes, queues
 * and subscriptions. Functions, ECS and alarms come with the full stack.
 */
public class TowerlessStack extends Stack {
    private final Map<String, Table> tables = new HashMap<>();
    private final Map<String, Queue> queues = new HashMap<>();

    public TowerlessStack(Construct scope, String id, StackProps props, String prefix) {
        super(scope, id, props);
        for (TableDefinition t : Tables.all()) {
            tables.put(t.logicalName(), table(t, prefix));
        }
        for (QueueDefinition q : Messaging.queues()) {
            queues.put(q.logicalName(), queue(q, prefix));
        }
        for (TopicDefinition t : Messaging.topics()) {
            Topic topic = Topic.Builder.create(this, "Topic-" + t.logicalName()).topicName(t.physicalName(prefix)).build();
            for (QueueDefinition q : t.subscribers()) {
                topic.addSubscription(SqsSubscription.Builder.create(queues.get(q.logicalName()))
                        .rawMessageDelivery(true).build());
            }
            CfnOutput.Builder.create(this, "TopicArn-" + t.logicalName()).value(topic.getTopicArn()).build();
        }
        queues.forEach((name, q) -> CfnOutput.Builder.create(this, "QueueUrl-" + name).value(q.getQueueUrl()).build());
    }

    private Table table(TableDefinition t, String prefix) {
        Table.Builder b = Table.Builder.create(this, "Table-" + t.logicalName())
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
                    .partitionKey(attribute(i.partitionKey())).projectionType(ProjectionType.ALL);
            i.sortKey().ifPresent(k -> gsi.sortKey(attribute(k)));
            table.addGlobalSecondaryIndex(gsi.build());
        }
        return table;
    }

    private Queue queue(QueueDefinition q, String prefix) {
        Queue dlq = Queue.Builder.create(this, "DeadLetters-" + q.logicalName()).queueName(q.deadLetterName(prefix))
                .encryption(QueueEncryption.SQS_MANAGED).retentionPeriod(Duration.days(14)).build();
        return Queue.Builder.create(this, "Queue-" + q.logicalName()).queueName(q.physicalName(prefix))
                .encryption(QueueEncryption.SQS_MANAGED)
                .visibilityTimeout(Duration.seconds(q.visibilityTimeout().toSeconds()))
                .deadLetterQueue(DeadLetterQueue.builder().queue(dlq).maxReceiveCount(q.maxReceiveCount()).build())
                .build();
    }

    private static Attribute attribute(TableDefinition.Key k) {
        return Attribute.builder().name(k.attribute())
                .type(k.type() == TableDefinition.KeyType.NUMBER ? AttributeType.NUMBER : AttributeType.STRING).build();
    }
}
