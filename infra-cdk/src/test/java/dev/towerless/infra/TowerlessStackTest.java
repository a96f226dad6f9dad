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
        App app = App.Builder.create().outdir("target/cdk.out").context(cdkJsonContext(Map.of())).build();
        TowerlessStack stack = new TowerlessStack(app, "Test", StackProps.builder().build(), "towerless-",
                root.resolve("functions/app/target/towerless-functions.jar").toString(), root.resolve("runner-container").toString());
        template = Template.fromStack(stack);
        resources = (Map<String, Object>) template.toJSON().get("Resources");
        app.synth(); // writes target/cdk.out/Test.template.json, as `cdk synth` would
    }

    /** The context `cdk synth` gives the app: cdk.json's (the feature flags), plus {@code extra}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> cdkJsonContext(Map<String, Object> extra) {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(), Map.class);
            Map<String, Object> context = new java.util.HashMap<>((Map<String, Object>) cdkJson.get("context"));
            context.putAll(extra);
            return context;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * cdk-nag's AwsSolutions and Serverless packs over the whole stack: synthesis fails on any
     * finding that is neither fixed nor acknowledged in the stack's code with its reason
     * ({@code Validations.of(construct).acknowledge(...)} beside the construct).
     */
    @Test
    void cdkNagsAwsSolutionsAndServerlessPacksFindNothingUnexplained() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path out = Path.of("target/cdk-nag.out");
        App app = App.Builder.create().outdir(out.toString()).context(cdkJsonContext(Map.of())).build();
        software.amazon.awscdk.Validations.of(app).addPlugins(new io.github.cdklabs.cdknag.AwsSolutionsChecks(app),
                new io.github.cdklabs.cdknag.ServerlessChecks(app));
        new TowerlessStack(app, "Nagged", StackProps.builder().build(), "towerless-",
                root.resolve("functions/app/target/towerless-functions.jar").toString(), root.resolve("runner-container").toString());
        try {
            app.synth();
        } catch (RuntimeException e) {
            Path report = out.resolve("validation-report.json");
            throw new AssertionError("cdk-nag found what the stack neither fixes nor explains:\n"
                    + (java.nio.file.Files.exists(report) ? java.nio.file.Files.readString(report) : e.getMessage()), e);
        }
        // The same packs do fail a synthesis on a finding nobody explained: a queue with no dead-letter queue.
        App probe = App.Builder.create().outdir("target/cdk-nag-probe.out").build();
        software.amazon.awscdk.Validations.of(probe).addPlugins(new io.github.cdklabs.cdknag.AwsSolutionsChecks(probe),
                new io.github.cdklabs.cdknag.ServerlessChecks(probe));
        software.amazon.awscdk.Stack bare = new software.amazon.awscdk.Stack(probe, "Probe");
        software.amazon.awscdk.services.sqs.Queue.Builder.create(bare, "Unexplained").build();
        org.assertj.core.api.Assertions.assertThatThrownBy(probe::synth).as("an unexplained finding fails synthesis")
                .isInstanceOf(RuntimeException.class);
        assertThat(java.nio.file.Files.readString(Path.of("target/cdk-nag-probe.out/validation-report.json")))
                .contains("AwsSolutions-SQS3");
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
        template.resourceCountIs("AWS::SQS::Queue", 2 * queues + 1); // and EventBridge's dead-letter queue
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
                .as("the API, the task manager, the reaper, the scheduler, notifications, housekeeping and inventories").hasSize(7);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Runtime", "java21",
                "Handler", "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction",
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.WakeQueueHandler",
                "ReservedConcurrentExecutions", Match.absent(), "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.ReaperTickHandler",
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.SchedulerTickHandler",
                "ReservedConcurrentExecutions", 1, "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.NotificationQueueHandler",
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "towerless-notifications",
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        assertThat(template.findResources("AWS::SNS::Subscription", Map.of("Properties", Map.of("Protocol", "sqs"))))
                .as("the lifecycle topic feeds the wake, notifications and inventories queues; housekeeping feeds its four and resource-tasks")
                .hasSize(8);
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of("BatchSize", 10,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
    }

    /**
     * Inventories' computed fields are kept off the request path: the inventories function consumes
     * its queue (fed by the lifecycle topic and by whoever marks an inventory dirty), the API may
     * only send to it and read host summaries, and the summaries' table expires with the events.
     */
    @Test
    void theInventoriesFunctionStoresHostSummariesAndRecomputesInventoriesFromItsQueue() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "towerless-inventories",
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", "towerless-host_summaries",
                "TimeToLiveSpecification", Map.of("AttributeName", "expires_at", "Enabled", true)));
        assertThat(template.findResources("AWS::SNS::Subscription").values()).filteredOn(sub ->
                json(sub).contains("MessagingQueueinventories") && json(sub).contains("MessagingTopicjoblifecycle")).hasSize(1);
        Map<String, Map<String, Object>> mappings = template.findResources("AWS::Lambda::EventSourceMapping");
        assertThat(mappings.values()).filteredOn(m -> json(m).contains("FunctionsInventoriesLive")).singleElement()
                .satisfies(m -> assertThat(json(m)).contains("inventories").contains("ReportBatchItemFailures"));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.InventoryQueueHandler",
                "Timeout", 60, "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "TOWERLESS_INVENTORIES_QUEUE_URL", Match.anyValue())))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction",
                "Environment", Map.of("Variables", Match.objectLike(Map.of("TOWERLESS_INVENTORIES_QUEUE_URL", Match.anyValue())))));
        // The API reads summaries but never writes them; the inventories function writes them.
        assertThat(actionsOn("FunctionsApiServiceRoleDefaultPolicy", "host_summaries"))
                .contains("dynamodb:Query", "dynamodb:GetItem").doesNotContain("dynamodb:PutItem", "dynamodb:BatchWriteItem");
        assertThat(actionsOn("FunctionsInventoriesServiceRoleDefaultPolicy", "host_summaries"))
                .contains("dynamodb:BatchWriteItem", "dynamodb:Query");
        assertThat(actionsOn("FunctionsApiServiceRoleDefaultPolicy", "inventories")).contains("sqs:SendMessage");
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
    void runnersAreFargateTasksOfTheRunnerImageThatReachNothingInbound() {
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("RequiresCompatibilities", List.of("FARGATE"),
                "Family", "towerless-runner", "ContainerDefinitions", Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "runner",
                        "LogConfiguration", Match.objectLike(Map.of("LogDriver", "awslogs"))))))));
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("Family", "towerless-system-job"));
        template.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of("GroupDescription", "Towerless runners: outbound only"));
        assertThat(template.findResources("AWS::EC2::SecurityGroupIngress")).isEmpty();
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.towerless.handlers.WakeQueueHandler",
                "Environment", Map.of("Variables", Match.objectLike(Map.of("TOWERLESS_SYSTEM_JOB_TASK_DEFINITION", Match.anyValue())))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void noRunnerTaskGetsTheSealingKeyOrAnyVariableNamingASecret() throws Exception {
        String sealingKey = logicalIdOf("AWS::SecretsManager::Secret", "towerless-sealing-key");
        Map<String, Map<String, Object>> tasks = template.findResources("AWS::ECS::TaskDefinition");
        assertThat(tasks).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        for (Map.Entry<String, Map<String, Object>> task : tasks.entrySet()) {
            String text = json.writeValueAsString(task.getValue());
            assertThat(text).as(task.getKey() + " mentions the sealing key").doesNotContain(sealingKey)
                    .doesNotContain("TOWERLESS_SECRET_KEY");
            for (Object c : (List<Object>) ((Map<String, Object>) task.getValue().get("Properties")).get("ContainerDefinitions")) {
                Map<String, Object> container = (Map<String, Object>) c;
                assertThat(container).as("ECS secrets of " + task.getKey()).doesNotContainKey("Secrets");
                for (Object e : (List<Object>) container.getOrDefault("Environment", List.of())) {
                    String name = String.valueOf(((Map<String, Object>) e).get("Name"));
                    assertThat(name).as("a runner variable").doesNotContainPattern("(?i)SECRET|KEY|PASS|TOKEN|CREDENTIAL");
                }
            }
        }
        for (String role : taskRoles()) {
            // kms:Decrypt only of SNS's AWS-managed key (publishing to the lifecycle topic), which opens no secret.
            assertThat(statementsOf(role)).as("policies of " + role)
                    .noneMatch(st -> asList(st.get("Action")).stream().anyMatch(a -> a.startsWith("secretsmanager:")
                            || a.startsWith("kms:Decrypt") && !json(st.get("Condition")).contains(
                                    "{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/aws/sns\"}}")));
        }
    }

    @Test
    void theRunnersRoleCannotReadCredentialsUsersOrTokensNorScanAnything() {
        String runner = taskRole("towerless-runner");
        String systemJob = taskRole("towerless-system-job");
        List<Map<String, Object>> run = statementsOf(runner);
        for (String type : List.of("credential", "credential_type", "user", "o_auth2_access_token", "team", "organization",
                "notification_template")) {
            assertThat(canRead(run, type)).as("the runner reads " + type + " items").isFalse();
        }
        // The same evaluation finds what a run does need, so it is not blind.
        for (String type : List.of("project", "inventory", "host", "group", "setting", "inventory_source")) {
            assertThat(canRead(run, type)).as("the runner reads " + type + " items").isTrue();
        }
        List<Map<String, Object>> housekeeping = statementsOf(systemJob);
        assertThat(canRead(housekeeping, "o_auth2_access_token")).as("cleanup_tokens reads tokens").isTrue();
        for (String type : List.of("credential", "user", "credential_type", "team", "notification_template")) {
            assertThat(canRead(housekeeping, type)).as("a system job reads " + type + " items").isFalse();
        }
        for (String type : List.of("organization", "inventory", "host", "inventory_source", "project", "instance_group")) {
            assertThat(canRead(housekeeping, type)).as("gather_analytics and the administrative checks read " + type).isTrue();
        }
        assertThat(housekeeping).as("gather_analytics counts every type, reading none").anyMatch(st ->
                String.valueOf(st.get("Condition")).equals("{StringEquals={dynamodb:Select=COUNT}}")
                        && asList(st.get("Action")).equals(List.of("dynamodb:Query")));
        assertThat(housekeeping).as("bundles are put under analytics/, never read back").anyMatch(st ->
                asList(st.get("Action")).equals(List.of("s3:PutObject")) && String.valueOf(st.get("Resource")).contains("/analytics/*"));
        assertThat(housekeeping).noneMatch(st -> asList(st.get("Action")).stream().anyMatch(a -> a.startsWith("s3:Get")
                || a.startsWith("s3:List") || a.startsWith("s3:Delete")));
        for (Map<String, Object> st : run) {
            assertThat(asList(st.get("Action"))).as("the runner's role").noneMatch(a -> a.equals("dynamodb:Scan")
                    || a.equals("dynamodb:PartiQLSelect") || a.equals("dynamodb:ExportTableToPointInTime"));
        }
        String jobs = logicalIdOf("AWS::DynamoDB::Table", "towerless-jobs");
        String events = logicalIdOf("AWS::DynamoDB::Table", "towerless-events");
        assertThat(run).as("a run lists no jobs and reads no events").noneMatch(st -> references(st, jobs)
                && asList(st.get("Action")).contains("dynamodb:Query"));
        assertThat(run).noneMatch(st -> references(st, events) && asList(st.get("Action")).stream()
                .anyMatch(a -> a.equals("dynamodb:Query") || a.equals("dynamodb:GetItem")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void heartbeatsHaveATableWithoutIndexesThatARunnerCanOnlyWriteTo() {
        String heartbeats = logicalIdOf("AWS::DynamoDB::Table", "towerless-heartbeats");
        Map<String, Object> props = (Map<String, Object>) template.findResources("AWS::DynamoDB::Table").get(heartbeats).get("Properties");
        assertThat(props).as("a heartbeat writes no index").doesNotContainKey("GlobalSecondaryIndexes");
        assertThat(props).containsEntry("TimeToLiveSpecification", Map.of("AttributeName", "expires_at", "Enabled", true));
        assertThat(props.get("PointInTimeRecoverySpecification")).isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
        List<String> runnerActions = statementsOf(taskRole("towerless-runner")).stream().filter(st -> references(st, heartbeats))
                .flatMap(st -> asList(st.get("Action")).stream()).toList();
        assertThat(runnerActions).as("a run beats for its job and reads no other job's heartbeat").containsExactly("dynamodb:UpdateItem");
        assertThat(statementsOf(taskRole("towerless-system-job"))).noneMatch(st -> references(st, heartbeats));
    }

    @Test
    void systemJobsMayRepairTheCountersAndIndexKeysTheirDeletesMoveButWriteNoIdSequence() {
        List<Map<String, Object>> system = statementsOf(taskRole("towerless-system-job"));
        String jobs = logicalIdOf("AWS::DynamoDB::Table", "towerless-jobs");
        String sequences = logicalIdOf("AWS::DynamoDB::Table", "towerless-sequences");
        assertThat(system).as("cleanup_jobs' repairs scan the jobs").anyMatch(st -> references(st, jobs)
                && asList(st.get("Action")).contains("dynamodb:Scan"));
        assertThat(system).as("and the counters").anyMatch(st -> references(st, sequences)
                && asList(st.get("Action")).contains("dynamodb:Scan"));
        assertThat(system).as("a delete moves its list counter").anyMatch(st -> references(st, sequences)
                && asList(st.get("Action")).contains("dynamodb:UpdateItem") && json(st.get("Condition")).contains("\"count#*\""));
        assertThat(system).as("no id sequence is written").noneMatch(st -> references(st, sequences)
                && asList(st.get("Action")).stream().anyMatch(a -> a.equals("dynamodb:UpdateItem") || a.equals("dynamodb:PutItem"))
                && !json(st.get("Condition")).contains("\"count#*\""));
    }

    /**
     * A job is listed in job_filters by whoever stores it, and unlisted by whoever deletes it: a
     * function that may put a job but not its entries would fail every launch on AWS (locally every
     * process may write every table).
     */
    @Test
    @SuppressWarnings("unchecked")
    void whoeverStoresOrDeletesAJobMayWriteItsFilterEntries() {
        String filters = logicalIdOf("AWS::DynamoDB::Table", "towerless-job_filters");
        // launches, dependencies and workflow nodes, schedules, system jobs; deletes and cleanup_jobs
        Set<String> storeOrDelete = Set.of("io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction",
                "dev.towerless.handlers.WakeQueueHandler", "dev.towerless.handlers.SchedulerTickHandler",
                "dev.towerless.handlers.HousekeepingHandler");
        Map<String, Boolean> writes = new java.util.TreeMap<>();
        writes.put(taskRole("towerless-system-job"), true);
        writes.put(taskRole("towerless-runner"), false);
        for (Map<String, Object> f : towerlessFunctions().values()) {
            Map<String, Object> props = (Map<String, Object>) f.get("Properties");
            writes.put((String) ((List<Object>) ((Map<String, Object>) props.get("Role")).get("Fn::GetAtt")).get(0),
                    storeOrDelete.contains(props.get("Handler")));
        }
        assertThat(writes).hasSize(9);
        List<Map<String, Object>> system = statementsOf(taskRole("towerless-system-job"));
        assertThat(system).as("cleanup_jobs' repair scans the entries").anyMatch(st -> references(st, filters)
                && asList(st.get("Action")).contains("dynamodb:Scan"));
        String sequences = logicalIdOf("AWS::DynamoDB::Table", "towerless-sequences");
        assertThat(system).as("and marks every job listed").anyMatch(st -> references(st, sequences)
                && asList(st.get("Action")).contains("dynamodb:PutItem") && json(st.get("Condition")).contains("\"listed#*\""));
        writes.forEach((role, should) -> assertThat(statementsOf(role).stream().anyMatch(st -> references(st, filters)
                && asList(st.get("Action")).contains("dynamodb:BatchWriteItem"))).as(role + " writes job filter entries").isEqualTo(should));
    }

    @Test
    @SuppressWarnings("unchecked")
    void analyticsBundlesGoToAnEncryptedPrivateBucketKeptAYearThatOnlySystemJobsWrite() {
        template.resourceCountIs("AWS::S3::Bucket", 2); // and the stdout downloads' (below)
        template.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain", "Properties", Match.objectLike(Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of("ExpirationInDays", 365,
                        "Status", "Enabled"))))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Match.objectLike(Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny", "Condition",
                        Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
        for (Map<String, Object> task : template.findResources("AWS::ECS::TaskDefinition").values()) {
            Map<String, Object> props = (Map<String, Object>) task.get("Properties");
            String env = String.valueOf(((List<Object>) props.get("ContainerDefinitions")).get(0));
            assertThat(env.contains("TOWERLESS_ANALYTICS_BUCKET")).as(props.get("Family") + " knows the bucket")
                    .isEqualTo("towerless-system-job".equals(props.get("Family")));
        }
        String runner = taskRole("towerless-runner");
        assertThat(statementsOf(runner)).as("a playbook run touches no bucket")
                .noneMatch(st -> asList(st.get("Action")).stream().anyMatch(a -> a.startsWith("s3:")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void largeStdoutDownloadsGoToAPrivateBucketEmptiedDailyThatOnlyTheApiUsesUnderStdout() {
        String bucket = null;
        for (Map.Entry<String, Map<String, Object>> b : template.findResources("AWS::S3::Bucket").entrySet()) {
            if (json(b.getValue()).contains("\"Prefix\":\"stdout/\"")) {
                bucket = b.getKey();
            }
        }
        assertThat(bucket).as("the stdout downloads' bucket").isNotNull();
        template.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain", "Properties", Match.objectLike(Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "OwnershipControls", Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of("Prefix", "stdout/",
                        "ExpirationInDays", 1, "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1),
                        "Status", "Enabled"))))))));
        String finalBucket = bucket;
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("Bucket", Map.of("Ref", finalBucket),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));

        String apiHandler = "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction";
        List<String> roles = new ArrayList<>(taskRoles());
        String apiRole = null;
        for (Map<String, Object> f : towerlessFunctions().values()) {
            Map<String, Object> props = (Map<String, Object>) f.get("Properties");
            String role = (String) ((List<Object>) ((Map<String, Object>) props.get("Role")).get("Fn::GetAtt")).get(0);
            Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) props.get("Environment")).get("Variables");
            boolean api = apiHandler.equals(props.get("Handler"));
            assertThat(env.containsKey("TOWERLESS_STDOUT_BUCKET")).as(props.get("Handler") + " knows the bucket").isEqualTo(api);
            if (api) {
                apiRole = role;
                assertThat(env.get("TOWERLESS_STDOUT_BUCKET")).isEqualTo(Map.of("Ref", finalBucket));
                assertThat(env.get("TOWERLESS_STDOUT_REDIRECT_BYTES")).as("under Lambda's 6 MB response").isEqualTo("5000000");
            } else {
                roles.add(role);
            }
        }
        for (String role : roles) {
            assertThat(statementsOf(role)).as(role + " touches no download").noneMatch(st -> references(st, finalBucket));
        }
        List<Map<String, Object>> onBucket = statementsOf(apiRole).stream().filter(st -> references(st, finalBucket)).toList();
        assertThat(onBucket).hasSize(2).allMatch(st -> "Allow".equals(st.get("Effect")));
        for (Map<String, Object> st : onBucket) {
            if (json(st.get("Resource")).contains("/stdout/*")) {
                assertThat(asList(st.get("Action"))).containsExactlyInAnyOrder("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload");
            } else {
                assertThat(asList(st.get("Action"))).containsExactly("s3:ListBucket");
                assertThat(st.get("Resource")).isEqualTo(Map.of("Fn::GetAtt", List.of(finalBucket, "Arn")));
            }
        }
    }

    /**
     * Whether some statement lets the role read an item of {@code type} from the resources table
     * (or a by_parent key {@code type|…}): the action, the resource and the LeadingKeys condition
     * as IAM evaluates them.
     */
    @SuppressWarnings("unchecked")
    private static boolean canRead(List<Map<String, Object>> statements, String type) {
        String table = logicalIdOf("AWS::DynamoDB::Table", "towerless-resources");
        for (Map<String, Object> st : statements) {
            if (!"Allow".equals(st.get("Effect")) || !references(st, table)) {
                continue;
            }
            if (asList(st.get("Action")).stream().noneMatch(a -> List.of("dynamodb:GetItem", "dynamodb:Query",
                    "dynamodb:BatchGetItem", "dynamodb:Scan", "dynamodb:*").contains(a))) {
                continue;
            }
            Object condition = st.get("Condition");
            if (condition == null) {
                return true;
            }
            Map<String, Object> c = (Map<String, Object>) condition;
            if (c.get("StringEquals") instanceof Map<?, ?> se && "COUNT".equals(se.get("dynamodb:Select"))) {
                continue; // a count returns no attribute of any item
            }
            boolean allowed = true;
            if (c.get("ForAllValues:StringEquals") instanceof Map<?, ?> eq) {
                allowed = asList(eq.get("dynamodb:LeadingKeys")).contains(type);
            } else if (c.get("ForAllValues:StringLike") instanceof Map<?, ?> like) {
                allowed = asList(like.get("dynamodb:LeadingKeys")).stream()
                        .anyMatch(p -> (type + "|inventory#1").matches(p.replace("|", "\\|").replace("*", ".*")));
            }
            if (allowed) {
                return true;
            }
        }
        return false;
    }

    private static boolean references(Map<String, Object> statement, String logicalId) {
        try {
            return new ObjectMapper().writeValueAsString(statement.get("Resource")).contains(logicalId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static String logicalIdOf(String type, String name) {
        for (Map.Entry<String, Object> r : resources.entrySet()) {
            Map<String, Object> res = (Map<String, Object>) r.getValue();
            Map<String, Object> props = (Map<String, Object>) res.getOrDefault("Properties", Map.of());
            if (type.equals(res.get("Type")) && (name.equals(props.get("TableName")) || name.equals(props.get("Name")))) {
                return r.getKey();
            }
        }
        throw new AssertionError("no " + type + " named " + name);
    }

    @SuppressWarnings("unchecked")
    private static String taskRole(String family) {
        for (Map<String, Object> task : template.findResources("AWS::ECS::TaskDefinition").values()) {
            Map<String, Object> props = (Map<String, Object>) task.get("Properties");
            if (family.equals(props.get("Family"))) {
                return (String) ((List<Object>) ((Map<String, Object>) props.get("TaskRoleArn")).get("Fn::GetAtt")).get(0);
            }
        }
        throw new AssertionError("no task definition " + family);
    }

    private static List<String> taskRoles() {
        return List.of(taskRole("towerless-runner"), taskRole("towerless-system-job"));
    }

    /** Every statement of the policies attached to a role. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statementsOf(String roleLogicalId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : resources.values()) {
            Map<String, Object> res = (Map<String, Object>) r;
            if (!"AWS::IAM::Policy".equals(res.get("Type"))) {
                continue;
            }
            Map<String, Object> props = (Map<String, Object>) res.get("Properties");
            boolean attached = ((List<Object>) props.getOrDefault("Roles", List.of())).stream()
                    .anyMatch(x -> x instanceof Map<?, ?> ref && roleLogicalId.equals(ref.get("Ref")));
            if (attached) {
                out.addAll((List<Map<String, Object>>) ((Map<String, Object>) props.get("PolicyDocument")).get("Statement"));
            }
        }
        assertThat(out).as("policies of " + roleLogicalId).isNotEmpty();
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyHandlerTheStackNamesIsInTheJarItDeploys() throws Exception {
        Path jar = Path.of("..").toAbsolutePath().normalize().resolve("functions/app/target/towerless-functions.jar");
        List<String> handlers = new ArrayList<>();
        towerlessFunctions().values().forEach(f ->
                handlers.add((String) ((Map<String, Object>) f.get("Properties")).get("Handler")));
        assertThat(handlers).hasSize(7);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (String handler : handlers) {
                assertThat(zip.getEntry(handler.replace('.', '/') + ".class")).as(handler).isNotNull();
            }
        }
        template.hasOutput("NotificationsQueueUrl", Match.anyValue());
    }

    @Test
    void theJarItDeploysCarriesNoHttpServerNorTheSdkHttpClientsTheFunctionsNeverLoad() throws Exception {
        // Each would only weigh on every cold start (docs/benchmarks.md, "Cold start": the unslimmed jar is
        // measured there); AwsClients uses the URL-connection client and API Gateway is the HTTP server.
        Path jar = Path.of("..").toAbsolutePath().normalize().resolve("functions/app/target/towerless-functions.jar");
        List<String> banned = List.of("io/netty/", "io/micronaut/http/server/netty/", "software/amazon/awssdk/http/apache/",
                "software/amazon/awssdk/http/apache5/", "software/amazon/awssdk/http/nio/netty/", "org/apache/http/",
                "org/apache/hc/");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            List<String> found = zip.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(n -> banned.stream().anyMatch(n::startsWith)).limit(10).toList();
            assertThat(found).as("classes of the HTTP stacks the slimming removed").isEmpty();
            assertThat(zip.getEntry("software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class"))
                    .as("the one SDK HTTP client the functions use").isNotNull();
        }
    }

    @Test
    void runnersCanLiveInPrivateSubnetsBehindANatGateway() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        App app = App.Builder.create().context(cdkJsonContext(Map.of("privateSubnets", "true", "architecture", "x86_64"))).build();
        Template privateRunners = Template.fromStack(new TowerlessStack(app, "Private", StackProps.builder().build(), "towerless-",
                root.resolve("functions/app/target/towerless-functions.jar").toString(), root.resolve("runner-container").toString()));
        privateRunners.resourceCountIs("AWS::EC2::NatGateway", 1);
        // Image layers (S3) and DynamoDB calls bypass the NAT gateway's per-GB charge.
        privateRunners.resourceCountIs("AWS::EC2::VPCEndpoint", 2);
        privateRunners.allResourcesProperties("AWS::EC2::VPCEndpoint", Map.of("VpcEndpointType", "Gateway"));
        assertThat(new ObjectMapper().valueToTree(privateRunners.findResources("AWS::EC2::VPCEndpoint")).toString())
                .contains(".s3").contains(".dynamodb");
        template.resourceCountIs("AWS::EC2::VPCEndpoint", 0);
        // x86 by context: both the functions and the runners' task definitions.
        assertThat(privateRunners.findResources("AWS::Lambda::Function", Map.of("Properties", Map.of("Architectures", List.of("x86_64")))))
                .hasSize(7);
        privateRunners.allResourcesProperties("AWS::ECS::TaskDefinition", Map.of("RuntimePlatform",
                Map.of("CpuArchitecture", "X86_64", "OperatingSystemFamily", "LINUX")));
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
    void alarmsFireOnWhatActuallyGoesWrongAndSilenceOfTheTicksIsBreaching() {
        Map<String, Map<String, Object>> alarms = template.findResources("AWS::CloudWatch::Alarm");
        List<Map<String, Object>> props = alarms.values().stream().map(a -> (Map<String, Object>) a.get("Properties")).toList();
        int functions = 7;
        // Every function's errors and throttles, each on its own alarm.
        assertThat(props.stream().filter(p -> "Errors".equals(p.get("MetricName")))).hasSize(functions);
        assertThat(props.stream().filter(p -> "Throttles".equals(p.get("MetricName")))).hasSize(functions);
        // Every dead-letter queue, EventBridge's included.
        assertThat(props.stream().filter(p -> "ApproximateNumberOfMessagesVisible".equals(p.get("MetricName"))))
                .hasSize(Messaging.queues().size() + 1);
        // Every rule's FailedInvocations; the three one-minute ticks' Invocations, missing data breaching.
        List<Map<String, Object>> failed = props.stream().filter(p -> "FailedInvocations".equals(p.get("MetricName"))).toList();
        assertThat(failed).hasSize(template.findResources("AWS::Events::Rule").size());
        assertThat(failed).allSatisfy(p -> assertThat(p).containsEntry("Namespace", "AWS/Events"));
        List<Map<String, Object>> stopped = props.stream().filter(p -> "Invocations".equals(p.get("MetricName"))
                && "AWS/Events".equals(p.get("Namespace"))).toList();
        assertThat(stopped).hasSize(3).allSatisfy(p -> assertThat(p).containsEntry("TreatMissingData", "breaching")
                .containsEntry("ComparisonOperator", "LessThanThreshold"));
        // Runners ECS would not start, counted from the task manager's log by the phrase it writes.
        for (String metric : List.of("LaunchFailures", "LaunchesUnconfirmed")) {
            assertThat(props).as(metric).anyMatch(p -> metric.equals(p.get("MetricName")) && "Towerless".equals(p.get("Namespace")));
        }
        template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of("FilterPattern",
                "\"" + dev.towerless.core.scheduling.TaskManager.LAUNCH_FAILED + "\"",
                "MetricTransformations", List.of(Match.objectLike(Map.of("MetricName", "LaunchFailures")))));
        // Everything that is not a tick's silence: no data is no failure.
        assertThat(props.stream().filter(p -> "breaching".equals(p.get("TreatMissingData")))).hasSize(3);
        assertThat(props).allSatisfy(p -> assertThat(p.get("AlarmActions")).isNotNull());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyEventBridgeTargetRetriesAndKeepsWhatItCouldNotDeliver() {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::Events::Rule");
        assertThat(rules).hasSize(5);
        for (Map.Entry<String, Map<String, Object>> rule : rules.entrySet()) {
            List<Map<String, Object>> targets = (List<Map<String, Object>>) ((Map<String, Object>) rule.getValue().get("Properties"))
                    .get("Targets");
            assertThat(targets).as(rule.getKey()).isNotEmpty().allSatisfy(t -> {
                assertThat(t).as(rule.getKey()).containsKeys("RetryPolicy", "DeadLetterConfig");
                assertThat(((Map<String, Object>) t.get("RetryPolicy"))).containsKeys("MaximumRetryAttempts", "MaximumEventAgeInSeconds");
                assertThat(new ObjectMapper().valueToTree(t.get("DeadLetterConfig")).toString()).contains("EventDeadLetters");
            });
        }
        // EventBridge may send to that queue (its resource policy), and functions it invokes keep their failures too.
        template.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of("PolicyDocument", Match.objectLike(Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Principal", Map.of("Service", "events.amazonaws.com")))))))));
        for (String handler : List.of("dev.towerless.handlers.ReaperTickHandler", "dev.towerless.handlers.SchedulerTickHandler")) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", handler,
                    "DeadLetterConfig", Map.of("TargetArn", Match.anyValue())));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTopicsAwsServicesPublishToUseACustomerManagedKeyThatGrantsThem() {
        String key = template.findResources("AWS::KMS::Key").keySet().stream().filter(k -> k.contains("ServiceTopicsKey")).findFirst()
                .orElseThrow();
        Map<String, Object> keyProps = (Map<String, Object>) template.findResources("AWS::KMS::Key").get(key).get("Properties");
        assertThat(keyProps).containsEntry("EnableKeyRotation", true);
        List<Map<String, Object>> statements = (List<Map<String, Object>>) ((Map<String, Object>) keyProps.get("KeyPolicy"))
                .get("Statement");
        assertThat(statements).anySatisfy(st -> {
            assertThat(asList(((Map<String, Object>) st.get("Principal")).get("Service")))
                    .contains("events.amazonaws.com", "cloudwatch.amazonaws.com");
            assertThat(asList(st.get("Action"))).contains("kms:Decrypt", "kms:GenerateDataKey*");
        });
        Map<String, Object> keyRef = Map.of("Fn::GetAtt", List.of(key, "Arn"));
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("TopicName", "towerless-housekeeping", "KmsMasterKeyId", keyRef));
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("TopicName", "towerless-alarms", "KmsMasterKeyId", keyRef));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyQueueHidesAMessageSixTimesItsConsumersTimeoutAndNoConsumerIsThrottledIntoItsDeadLetters() {
        Map<String, Map<String, Object>> mappings = template.findResources("AWS::Lambda::EventSourceMapping");
        assertThat(mappings).hasSize(Messaging.queues().size());
        for (Map.Entry<String, Map<String, Object>> m : mappings.entrySet()) {
            Map<String, Object> p = (Map<String, Object>) m.getValue().get("Properties");
            String queue = (String) ((List<Object>) ((Map<String, Object>) p.get("EventSourceArn")).get("Fn::GetAtt")).get(0);
            java.util.regex.Matcher ref = java.util.regex.Pattern.compile("\"Ref\":\"(Functions\\w+Live\\w+)\"")
                    .matcher(json(p.get("FunctionName")));
            assertThat(ref.find()).as("the alias behind " + m.getKey()).isTrue();
            String alias = ref.group(1);
            Map<String, Object> aliasProps = (Map<String, Object>) ((Map<String, Object>) resources.get(alias)).get("Properties");
            String function = (String) ((Map<String, Object>) aliasProps.get("FunctionName")).get("Ref");
            Map<String, Object> fn = (Map<String, Object>) ((Map<String, Object>) resources.get(function)).get("Properties");
            Map<String, Object> q = (Map<String, Object>) ((Map<String, Object>) resources.get(queue)).get("Properties");
            int timeout = ((Number) fn.get("Timeout")).intValue();
            int window = ((Number) p.getOrDefault("MaximumBatchingWindowInSeconds", 0)).intValue();
            assertThat(((Number) q.get("VisibilityTimeout")).intValue()).as(q.get("QueueName") + " for " + function)
                    .isGreaterThanOrEqualTo(6 * timeout + window);
            assertThat(fn.get("ReservedConcurrentExecutions")).as(function + " behind an SQS mapping").isNotEqualTo(1);
        }
        assertThat(mappings.entrySet()).filteredOn(m -> json(m.getValue()).contains("FunctionsTaskManagerLive")).singleElement()
                .satisfies(m -> assertThat(json(m.getValue())).contains("\"ScalingConfig\":{\"MaximumConcurrency\":2}"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFunctionLogsJsonToAGroupWithARetentionAndRunsOnArm64() {
        Map<String, Map<String, Object>> functions = towerlessFunctions();
        assertThat(functions).hasSize(7);
        for (Map.Entry<String, Map<String, Object>> f : functions.entrySet()) {
            Map<String, Object> p = (Map<String, Object>) f.getValue().get("Properties");
            Map<String, Object> logging = (Map<String, Object>) p.get("LoggingConfig");
            assertThat(logging).as(f.getKey()).containsEntry("LogFormat", "JSON").containsKeys("ApplicationLogLevel", "SystemLogLevel");
            String group = (String) ((Map<String, Object>) logging.get("LogGroup")).get("Ref");
            Map<String, Object> groupProps = (Map<String, Object>) ((Map<String, Object>) resources.get(group)).get("Properties");
            assertThat(groupProps).as("log group of " + f.getKey()).containsKey("RetentionInDays");
            assertThat(p.get("Architectures")).as(f.getKey()).isEqualTo(List.of("arm64"));
        }
        assertThat(template.findResources("AWS::Logs::LogGroup").values()).allSatisfy(g ->
                assertThat((Map<String, Object>) g.get("Properties")).containsKey("RetentionInDays"));
        template.allResourcesProperties("AWS::ECS::TaskDefinition", Map.of("RuntimePlatform",
                Map.of("CpuArchitecture", "ARM64", "OperatingSystemFamily", "LINUX")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void resourceTasksAreSentByTheApiRunOneAtATimeByTheHousekeepingFunctionAndHearTheNightlySweep() {
        String queue = logicalIdOfQueue("towerless-resource-tasks");
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "towerless-resource-tasks",
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        Map<String, Map<String, Object>> mappings = template.findResources("AWS::Lambda::EventSourceMapping");
        assertThat(mappings.values()).filteredOn(m -> json(m).contains(queue)).singleElement().satisfies(m -> {
            assertThat(json(m)).contains("FunctionsHousekeepingLive").contains("\"BatchSize\":1")
                    .contains("ReportBatchItemFailures");
        });
        assertThat(template.findResources("AWS::SNS::Subscription").values()).as("the housekeeping topic reaches it")
                .anySatisfy(sub -> assertThat(json(sub).toLowerCase()).contains(queue.toLowerCase()).contains("housekeeping"));
        Map<String, Object> api = template.findResources("AWS::Lambda::Function", Map.of("Properties", Map.of("Handler",
                "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction"))).values().iterator().next();
        assertThat(json(api)).as("the API knows where to send them").contains("TOWERLESS_RESOURCE_TASKS_QUEUE_URL");
        List<Map<String, Object>> apiStatements = new ArrayList<>();
        for (Object r : resources.values()) {
            Map<String, Object> res = (Map<String, Object>) r;
            if ("AWS::IAM::Policy".equals(res.get("Type")) && json(res).contains("FunctionsApiServiceRole")) {
                apiStatements.addAll((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) res.get("Properties"))
                        .get("PolicyDocument")).get("Statement"));
            }
        }
        assertThat(apiStatements).as("the API may send to the queue").anyMatch(st -> references(st, queue)
                && asList(st.get("Action")).contains("sqs:SendMessage"));
    }

    @SuppressWarnings("unchecked")
    private static String logicalIdOfQueue(String name) {
        for (Map.Entry<String, Object> r : resources.entrySet()) {
            Map<String, Object> res = (Map<String, Object>) r.getValue();
            Map<String, Object> props = (Map<String, Object>) res.getOrDefault("Properties", Map.of());
            if ("AWS::SQS::Queue".equals(res.get("Type")) && name.equals(props.get("QueueName"))) {
                return r.getKey();
            }
        }
        throw new AssertionError("no queue named " + name);
    }

    @Test
    void theApiIsRegionalAndTheStackLeavesTheAccountWideApiGatewaySettingAlone() {
        template.hasResourceProperties("AWS::ApiGateway::RestApi", Map.of("EndpointConfiguration", Map.of("Types", List.of("REGIONAL"))));
        template.resourceCountIs("AWS::ApiGateway::Account", 0);
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

    /** The actions a function's policy allows on resources whose reference mentions {@code resource}. */
    @SuppressWarnings("unchecked")
    private static java.util.Set<String> actionsOn(String policyPrefix, String resource) {
        java.util.Set<String> actions = new java.util.TreeSet<>();
        template.findResources("AWS::IAM::Policy").forEach((id, p) -> {
            if (!id.startsWith(policyPrefix)) {
                return;
            }
            Map<String, Object> doc = (Map<String, Object>) ((Map<String, Object>) p.get("Properties")).get("PolicyDocument");
            for (Map<String, Object> st : (List<Map<String, Object>>) doc.get("Statement")) {
                if (json(st.get("Resource")).toLowerCase(java.util.Locale.ROOT).replace("_", "").contains(resource.replace("_", ""))) {
                    Object a = st.get("Action");
                    if (a instanceof List<?> l) {
                        l.forEach(x -> actions.add(String.valueOf(x)));
                    } else {
                        actions.add(String.valueOf(a));
                    }
                }
            }
        });
        return actions;
    }

    private static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Towerless's own functions (the stack also has CDK's custom-resource handlers, in Node). */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> towerlessFunctions() {
        return template.findResources("AWS::Lambda::Function", Map.of("Properties", Map.of("Runtime", "java21")));
    }

    private static List<String> asList(Object o) {
        if (o instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return o == null ? List.of() : List.of(String.valueOf(o));
    }
}
