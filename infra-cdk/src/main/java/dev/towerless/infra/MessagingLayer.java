package dev.towerless.infra;

import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.definitions.QueueDefinition;
import dev.towerless.aws.definitions.TopicDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.SqsSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/** Queues (each with a dead-letter queue) and topics from the shared definitions, encrypted. */
public final class MessagingLayer extends Construct {
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, Queue> deadLetters = new LinkedHashMap<>();
    private final Map<String, Topic> topics = new LinkedHashMap<>();

    public MessagingLayer(Construct scope, String id, String prefix) {
        super(scope, id);
        for (QueueDefinition q : Messaging.queues()) {
            Queue dlq = Queue.Builder.create(this, "DeadLetters-" + q.logicalName()).queueName(q.deadLetterName(prefix))
                    .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true).retentionPeriod(Duration.days(14)).build();
            deadLetters.put(q.logicalName(), dlq);
            queues.put(q.logicalName(), Queue.Builder.create(this, "Queue-" + q.logicalName()).queueName(q.physicalName(prefix))
                    .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                    .visibilityTimeout(Duration.seconds(q.visibilityTimeout().toSeconds()))
                    .deadLetterQueue(DeadLetterQueue.builder().queue(dlq).maxReceiveCount(q.maxReceiveCount()).build())
                    .build());
        }
        for (TopicDefinition t : Messaging.topics()) {
            Topic topic = Topic.Builder.create(this, "Topic-" + t.logicalName()).topicName(t.physicalName(prefix))
                    .masterKey(Alias.fromAliasName(this, "SnsKey-" + t.logicalName(), "alias/aws/sns")).build();
            for (QueueDefinition q : t.subscribers()) {
                topic.addSubscription(SqsSubscription.Builder.create(queues.get(q.logicalName())).rawMessageDelivery(true).build());
            }
            topics.put(t.logicalName(), topic);
        }
    }

    public Queue queue(QueueDefinition q) {
        return queues.get(q.logicalName());
    }

    public Map<String, Queue> deadLetterQueues() {
        return deadLetters;
    }

    public Topic topic(TopicDefinition t) {
        return topics.get(t.logicalName());
    }
}
