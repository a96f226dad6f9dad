package dev.towerless.infra;

import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.definitions.QueueDefinition;
import dev.towerless.aws.definitions.TopicDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.SqsSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Queues (each with a dead-letter queue) and topics from the shared definitions, encrypted. A
 * queue's visibility timeout is six times its consumer's timeout ({@link FunctionsLayer#visibilityFor}).
 * Topics EventBridge (and CloudWatch alarms, Monitoring) publish to are encrypted with a
 * customer-managed key whose policy lets those services use it: under {@code alias/aws/sns} their
 * deliveries would fail (the AWS-managed key's policy cannot grant a service principal). The others keep the AWS-managed key: only IAM
 * principals of this account publish to them.
 */
public final class MessagingLayer extends Construct {
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, Queue> deadLetters = new LinkedHashMap<>();
    private final Map<String, Topic> topics = new LinkedHashMap<>();
    /** The topics an EventBridge rule targets (FunctionsLayer's nightly housekeeping). */
    static final List<TopicDefinition> EVENTBRIDGE_PUBLISHES = List.of(Messaging.HOUSEKEEPING);
    final Key serviceTopicsKey;

    public MessagingLayer(Construct scope, String id, String prefix) {
        super(scope, id);
        for (QueueDefinition q : Messaging.queues()) {
            Queue dlq = Queue.Builder.create(this, "DeadLetters-" + q.logicalName()).queueName(q.deadLetterName(prefix))
                    .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true).retentionPeriod(Duration.days(14)).build();
            deadLetters.put(q.logicalName(), dlq);
            Nag.explain(dlq, "Serverless-SQSRedrivePolicy", "It is the dead-letter queue: messages end here, alarmed (Monitoring).");
            queues.put(q.logicalName(), Queue.Builder.create(this, "Queue-" + q.logicalName()).queueName(q.physicalName(prefix))
                    .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                    .visibilityTimeout(FunctionsLayer.visibilityFor(q))
                    .deadLetterQueue(DeadLetterQueue.builder().queue(dlq).maxReceiveCount(q.maxReceiveCount()).build())
                    .build());
        }
        serviceTopicsKey = Key.Builder.create(this, "ServiceTopicsKey").alias(prefix + "service-topics")
                .description("Towerless: topics AWS services publish to (EventBridge rules, CloudWatch alarms)")
                .enableKeyRotation(true).removalPolicy(RemovalPolicy.DESTROY).build();
        serviceTopicsKey.addToResourcePolicy(PolicyStatement.Builder.create().sid("ServicesPublish")
                .principals(List.of(new ServicePrincipal("events.amazonaws.com"), new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*")).resources(List.of("*")).build());
        for (TopicDefinition t : Messaging.topics()) {
            IKey key = EVENTBRIDGE_PUBLISHES.contains(t) ? serviceTopicsKey
                    : Alias.fromAliasName(this, "SnsKey-" + t.logicalName(), "alias/aws/sns");
            Topic topic = Topic.Builder.create(this, "Topic-" + t.logicalName()).topicName(t.physicalName(prefix))
                    .masterKey(key).enforceSsl(true).build();
            for (QueueDefinition q : t.subscribers()) {
                // What SNS cannot deliver to the queue (its policy, its key) waits in the queue's own dead-letter queue.
                topic.addSubscription(SqsSubscription.Builder.create(queues.get(q.logicalName())).rawMessageDelivery(true)
                        .deadLetterQueue(deadLetters.get(q.logicalName())).build());
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
