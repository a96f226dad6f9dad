package dev.towerless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.definitions.Tables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Synthesizes the whole stack offline once and checks every resource and security property. */
class TowerlessStackTest {
    private static Template template;
    private static Map<String, Object> resources;

    /**
     * The only actions allowed on resource "*", each because AWS offers no narrower resource:
     * ECR's authorization token (the runner image pull), X-Ray, and CloudWatch metrics.
     */
    private static final Set<String> STAR_RESOURCE_ALLOWED = Set.of("ecr:GetAuthorizationToken", "xray:PutTraceSegments",
            "xray:PutTelemetryRecords", "cloudwatch:PutMetricData");

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synth() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        App app = App.Builder.create().outdir("target/cdk.out").build();
        TowerlessStack stack = new TowerlessStack(app, "Test", StackProps.builder().build(), "towerless-",
                root.resolve("functions/app/target/towerless-functions.jar").toString(), root.resolve("runner-container").toString());
        template = Template.fromStack(stack);
        resources = (Map<String, Object>) template.toJSON().get("Resources");
        app.synth(); // writes target/cdk.out/Test.template.json, as `cdk synth` would
    }

    @Test
    void synthesisWritesTheTemplateAndStagesTheRunnerImageAndTheFunctionsJar() {
        assertThat(Path.of("target/cdk.out/Test.template.json")).isRegularFile();
        assertThat(Path.of("target/cdk.out")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("asset."));
    }

    @Test
    void everySharedTableIsAnEncryptedOnDemandTableWithRecoveryAndEventsExpire() {
        template.resourceCountIs("AWS::DynamoDB::Table", Tables.all().size());
        template.allResourcesProperties("AWS::DynamoDB::Table", Map.of("BillingMode", "PAY_PER_REQUEST",
                "SSESpecification", Map.of("SSEEnabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)));
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", "towerless-jobs",
                "GlobalSecondaryIndexes", Match.arrayWith(List.of(Match.objectLike(Map.of("IndexName", "active"))))));
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", "towerless-events",
                "TimeToLiveSpecification", Map.of("AttributeName", "expires_at", "Enabled", true)));
    }

    @Test
    void everyQueueIsEncryptedAndHasADeadLetterQueue() {
        int queues = Messaging.queues().size();
        template.resourceCountIs("AWS::SQS::Queue", 2 * queues);
        template.allResourcesProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "towerless-wake",
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("TopicName", "towerless-job-lifecycle",
                "KmsMasterKeyId", Match.anyValue()));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "sqs", "RawMessageDelivery", true));
    }

    @Test
    void functionsRunJava21WithSnapStartAndTheTaskManagerIsASingleWriter() {
        assertThat(template.findResources("AWS::Lambda::Function", Map.of("Properties", Map.of("Runtime", "java21"))))
                .as("the API, the task manager, the reaper, the scheduler, notifications and housekeeping").hasSize(6);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Runtime", "java21",
                "Handler", "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction",
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.WakeQueueHandler",
                "ReservedConcurrentExecutions", 1, "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.ReaperTickHandler",
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.SchedulerTickHandler",
                "ReservedConcurrentExecutions", 1, "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.NotificationQueueHandler",
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "towerless-notifications",
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        assertThat(template.findResources("AWS::SNS::Subscription", Map.of("Properties", Map.of("Protocol", "sqs"))))
                .as("the lifecycle topic feeds the wake and notifications queues; housekeeping feeds two").hasSize(4);
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of("BatchSize", 10,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
    }

    @Test
    void eventBridgeTicksTheManagersAndRoutesStoppedRunnersToTheReaper() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "rate(1 minute)",
                "Targets", Match.arrayWith(List.of(Match.objectLike(Map.of("Input", "{\"reason\":\"tick\"}"))))));
        for (String function : List.of("Reaper", "Scheduler")) {
            template.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "rate(1 minute)",
                    "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref",
                            Match.stringLikeRegexp("Functions" + function + "Live.*")))))));
        }
        template.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "cron(0 3 * * ? *)",
                "Targets", Match.arrayWith(List.of(Match.objectLike(Map.of("Input", "{\"reason\":\"nightly\"}"))))));
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of("EventSourceArn",
                Match.anyValue(), "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("TopicName", "towerless-housekeeping"));
        template.hasResourceProperties("AWS::Events::Rule", Map.of("EventPattern", Match.objectLike(Map.of(
                "source", List.of("aws.ecs"), "detail-type", List.of("ECS Task State Change"),
                "detail", Match.objectLike(Map.of("lastStatus", List.of("STOPPED")))))));
    }

    @Test
    void runnersAreFargateTasksOfTheRunnerImageWithTheirSecretFromSecretsManager() {
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("RequiresCompatibilities", List.of("FARGATE"),
                "ContainerDefinitions", Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "runner",
                        "Secrets", Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "TOWERLESS_SECRET_KEY")))),
                        "LogConfiguration", Match.objectLike(Map.of("LogDriver", "awslogs"))))))));
        template.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of("GroupDescription", "Towerless runners: outbound only"));
        assertThat(template.findResources("AWS::EC2::SecurityGroupIngress")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyHandlerTheStackNamesIsInTheJarItDeploys() throws Exception {
        Path jar = Path.of("..").toAbsolutePath().normalize().resolve("functions/app/target/towerless-functions.jar");
        List<String> handlers = new ArrayList<>();
        template.findResources("AWS::Lambda::Function").values().forEach(f ->
                handlers.add((String) ((Map<String, Object>) f.get("Properties")).get("Handler")));
        assertThat(handlers).hasSize(6);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (String handler : handlers) {
                assertThat(zip.getEntry(handler.replace('.', '/') + ".class")).as(handler).isNotNull();
            }
        }
        template.hasOutput("NotificationsQueueUrl", Match.anyValue());
    }

    @Test
    void runnersCanLiveInPrivateSubnetsBehindANatGateway() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        App app = App.Builder.create().context(Map.of("privateSubnets", "true")).build();
        Template privateRunners = Template.fromStack(new TowerlessStack(app, "Private", StackProps.builder().build(), "towerless-",
                root.resolve("functions/app/target/towerless-functions.jar").toString(), root.resolve("runner-container").toString()));
        privateRunners.resourceCountIs("AWS::EC2::NatGateway", 1);
        privateRunners.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.WakeQueueHandler",
                "Environment", Map.of("Variables", Match.objectLike(Map.of("TOWERLESS_RUNNER_PUBLIC_IP", "false")))));
        template.resourceCountIs("AWS::EC2::NatGateway", 0);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.WakeQueueHandler",
                "Environment", Map.of("Variables", Match.objectLike(Map.of("TOWERLESS_RUNNER_PUBLIC_IP", "true")))));
    }

    @Test
    void theApiIsThrottledAndLogsItsAccess() {
        template.hasResourceProperties("AWS::ApiGateway::Stage", Map.of("StageName", "prod",
                "AccessLogSetting", Match.objectLike(Map.of("DestinationArn", Match.anyValue())),
                "MethodSettings", Match.arrayWith(List.of(Match.objectLike(Map.of("ThrottlingRateLimit", 100,
                        "ThrottlingBurstLimit", 200))))));
    }

    @Test
    void operatorsAreAlarmedAndHaveADashboard() {
        Map<String, Map<String, Object>> alarms = template.findResources("AWS::CloudWatch::Alarm");
        assertThat(alarms).hasSize(Messaging.queues().size() + 5);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ApproximateNumberOfMessagesVisible"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "5XXError"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ReapedJobs"));
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        template.hasOutput("ApiUrl", Match.anyValue());
        template.hasOutput("AdminPasswordSecret", Match.anyValue());
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction",
                "Environment", Map.of("Variables", Match.objectLike(Map.of("TOWERLESS_ADMIN_PASSWORD_ARN", Match.anyValue())))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void noIamStatementGrantsEveryActionAndStarResourcesOnlyWhereAwsRequiresThem() throws Exception {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object r : resources.values()) {
            Map<String, Object> res = (Map<String, Object>) r;
            if ("AWS::IAM::Policy".equals(res.get("Type"))) {
                Map<String, Object> doc = (Map<String, Object>) ((Map<String, Object>) res.get("Properties")).get("PolicyDocument");
                statements.addAll((List<Map<String, Object>>) doc.get("Statement"));
            }
        }
        assertThat(statements).isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        for (Map<String, Object> st : statements) {
            List<String> actions = asList(st.get("Action"));
            assertThat(actions).as(json.writeValueAsString(st)).noneMatch(a -> a.equals("*") || a.endsWith(":*"));
            if (asList(st.get("Resource")).contains("*")) {
                assertThat(STAR_RESOURCE_ALLOWED).as("resource * for " + actions).containsAll(actions);
            }
        }
    }

    private static List<String> asList(Object o) {
        if (o instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return o == null ? List.of() : List.of(String.valueOf(o));
    }
}
