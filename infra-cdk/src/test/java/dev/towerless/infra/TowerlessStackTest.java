package dev.towerless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.definitions.Tables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Synthesizes the stack offline once and checks the template against the shared definitions. */
class TowerlessStackTest {
    private static Template template;

    @BeforeAll
    static void synth() {
        App app = new App();
        template = Template.fromStack(new TowerlessStack(app, "Test", StackProps.builder().build(), "towerless-"));
    }

    @Test
    void everySharedTableDefinitionBecomesAnEncryptedOnDemandTableWithRecovery() {
        template.resourceCountIs("AWS::DynamoDB::Table", Tables.all().size());
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "TableName", "towerless-jobs",
                "BillingMode", "PAY_PER_REQUEST",
                "SSESpecification", Map.of("SSEEnabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "GlobalSecondaryIndexes", Match.arrayWith(List.of(Match.objectLike(Map.of("IndexName", "active",
                        "KeySchema", List.of(Map.of("AttributeName", "active_shard", "KeyType", "HASH"),
                                Map.of("AttributeName", "created", "KeyType", "RANGE"))))))));
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", "towerless-events",
                "TimeToLiveSpecification", Map.of("AttributeName", "expires_at", "Enabled", true)));
    }

    @Test
    void theWakeQueueIsEncryptedAndHasADeadLetterQueue() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "towerless-wake",
                "SqsManagedSseEnabled", true,
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "towerless-wake-dlq"));
    }

    @Test
    void theLifecycleTopicDeliversRawMessagesToTheWakeQueue() {
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "sqs", "RawMessageDelivery", true));
        assertThat(template.findResources("AWS::SNS::Topic")).hasSize(1);
    }
}
