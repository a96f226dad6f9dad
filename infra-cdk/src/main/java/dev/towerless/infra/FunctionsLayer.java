package dev.towerless.infra;

import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.definitions.TableDefinition;
import dev.towerless.aws.definitions.Tables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.LambdaRestApi;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The functions, all from one jar (Java 21, SnapStart on published versions, arm64 unless
 * {@code -c architecture=x86_64}): the AWX API behind a regional API Gateway endpoint; the task
 * manager, woken by the wake queue (where EventBridge's one-minute tick also lands); the reaper on
 * its own tick and on ECS task-stopped events; the scheduler launching users' schedules every
 * minute; notifications, fed by the job-lifecycle topic through their own queue. Each gets only
 * the tables, queues and topics it uses, a log group of its own with a retention, and JSON logs.
 *
 * <p>Every asynchronous edge can fail loudly: each EventBridge target has a retry policy and the
 * events dead-letter queue; each SQS consumer's queue hides a message for at least
 * {@link #VISIBILITY_FACTOR}× the consumer's timeout (AWS's guidance for Lambda event sources), so
 * a batch still being worked on is not handed out again; the wake queue's event source caps the
 * task manager at {@link #TASK_MANAGER_MAX_CONCURRENCY} concurrent batches rather than reserved
 * concurrency 1, which would throttle batches into the dead-letter queue (the lease serialises
 * passes anyway: a second invocation asks the holder to run again and returns).
 */
public final class FunctionsLayer extends Construct {
    final Alias api;
    final Alias taskManager;
    final Alias reaper;
    final Alias scheduler;
    final Alias notifications;
    final Alias housekeeping;
    final Alias inventories;
    final LambdaRestApi restApi;
    final LogGroup reaperLogs;
    final LogGroup taskManagerLogs;
    /** Every function, by name, with its log group. */
    final Map<String, Alias> all = new java.util.LinkedHashMap<>();
    /** Where EventBridge puts what it could not deliver to a target after its retries. */
    final Queue eventDeadLetters;
    /** The schedule rules whose silence means the control plane has stopped (alarmed as breaching). */
    final Map<String, Rule> ticks = new java.util.LinkedHashMap<>();
    /** Every rule, for the FailedInvocations alarms. */
    final Map<String, Rule> rules = new java.util.LinkedHashMap<>();

    /** AWS: an SQS event source's visibility timeout should be at least six times the function's timeout. */
    static final int VISIBILITY_FACTOR = 6;
    /** The least an SQS event source's maximum concurrency may be. */
    static final int TASK_MANAGER_MAX_CONCURRENCY = 2;
    static final Duration TASK_MANAGER_TIMEOUT = Duration.seconds(60);
    static final Duration NOTIFICATIONS_TIMEOUT = Duration.seconds(120);
    static final Duration HOUSEKEEPING_TIMEOUT = Duration.seconds(60);
    static final Duration INVENTORIES_TIMEOUT = Duration.seconds(60);

    /** The visibility timeout a queue needs for the function that consumes it (MessagingLayer). */
    static Duration visibilityFor(dev.towerless.aws.definitions.QueueDefinition q) {
        Duration consumer = q == Messaging.WAKE ? TASK_MANAGER_TIMEOUT
                : q == Messaging.NOTIFICATIONS ? NOTIFICATIONS_TIMEOUT
                : q == Messaging.INVENTORIES ? INVENTORIES_TIMEOUT : HOUSEKEEPING_TIMEOUT;
        return Duration.seconds(Math.max(q.visibilityTimeout().toSeconds(), VISIBILITY_FACTOR * consumer.toSeconds().longValue()));
    }

    public FunctionsLayer(Construct scope, String id, String prefix, String functionsJar, DataLayer data, MessagingLayer messaging,
                          RunnerTasks runners, ISecret sealingKey, ISecret adminPassword, Architecture architecture) {
        super(scope, id);
        this.architecture = architecture;
        eventDeadLetters = Queue.Builder.create(this, "EventDeadLetters").queueName(prefix + "events-dlq")
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true).retentionPeriod(Duration.days(14)).build();
        Nag.explain(eventDeadLetters, "Serverless-SQSRedrivePolicy", "It is the dead-letter queue: events end here, alarmed.");
        Map<String, String> env = new HashMap<>();
        env.put(TowerlessConfig.PREFIX, prefix);
        env.put(TowerlessConfig.WAKE_QUEUE_URL, messaging.queue(Messaging.WAKE).getQueueUrl());
        env.put(TowerlessConfig.LIFECYCLE_TOPIC_ARN, messaging.topic(Messaging.LIFECYCLE).getTopicArn());
        env.put(TowerlessConfig.INVENTORIES_QUEUE_URL, messaging.queue(Messaging.INVENTORIES).getQueueUrl());
        env.put(TowerlessConfig.RESOURCE_TASKS_QUEUE_URL, messaging.queue(Messaging.RESOURCE_TASKS).getQueueUrl());
        env.put(TowerlessConfig.SECRET_KEY_ARN, sealingKey.getSecretArn());
        env.put(TowerlessConfig.ECS_CLUSTER, runners.cluster.getClusterArn());
        env.put(TowerlessConfig.RUNNER_TASK_DEFINITION, runners.taskDefinition.getTaskDefinitionArn());
        env.put(TowerlessConfig.RUNNER_CONTAINER, RunnerTasks.CONTAINER);
        env.put(TowerlessConfig.SYSTEM_JOB_TASK_DEFINITION, runners.systemJobTaskDefinition.getTaskDefinitionArn());
        env.put(TowerlessConfig.RUNNER_SUBNETS, String.join(",", runners.subnetIds));
        env.put(TowerlessConfig.RUNNER_SECURITY_GROUPS, runners.securityGroup.getSecurityGroupId());
        env.put(TowerlessConfig.RUNNER_PUBLIC_IP, Boolean.toString(runners.publicIp));
        env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");

        Map<String, String> apiEnv = new HashMap<>(env);
        apiEnv.put(TowerlessConfig.ADMIN_PASSWORD_ARN, adminPassword.getSecretArn());
        api = function("Api", "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction",
                Duration.seconds(29), null, functionsJar, apiEnv);
        adminPassword.grantRead(api);
        taskManager = function("TaskManager", "dev.towerless.handlers.WakeQueueHandler", TASK_MANAGER_TIMEOUT, null, functionsJar, env);
        // Reaping is one conditional write per job (ReaperRaceTest), so overlapping invocations are harmless, and a
        // burst of stopped tasks must not be throttled.
        reaper = function("Reaper", "dev.towerless.handlers.ReaperTickHandler", Duration.seconds(60), null, functionsJar, env);
        // Claims are conditional writes, so two passes could not double-launch; one at a time keeps recovery simple.
        scheduler = function("Scheduler", "dev.towerless.handlers.SchedulerTickHandler", Duration.seconds(60), 1,
                functionsJar, env);
        notifications = function("Notifications", "dev.towerless.handlers.NotificationQueueHandler", NOTIFICATIONS_TIMEOUT,
                null, functionsJar, env);
        housekeeping = function("Housekeeping", "dev.towerless.handlers.HousekeepingHandler", HOUSEKEEPING_TIMEOUT, null,
                functionsJar, env);
        inventories = function("Inventories", "dev.towerless.handlers.InventoryQueueHandler", INVENTORIES_TIMEOUT, null,
                functionsJar, env);
        reaperLogs = logGroups.get("Reaper");
        taskManagerLogs = logGroups.get("TaskManager");

        // What each function touches, and nothing more.
        for (Alias f : List.of(api, taskManager, reaper, scheduler, notifications, housekeeping, inventories)) {
            sealingKey.grantRead(f);
        }
        for (TableDefinition t : List.of(Tables.JOBS, Tables.JOB_FILTERS, Tables.RESOURCES, Tables.EVENTS, Tables.LEASES,
                Tables.SEQUENCES)) {
            data.table(t).grantReadWriteData(api);
        }
        // The API reads host summaries, and marks inventories dirty when their hosts, groups or sources change.
        data.table(Tables.HOST_SUMMARIES).grantReadData(api);
        // The instances view shows each runner's last heartbeat: batch reads by job id, nothing else.
        api.addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("dynamodb:BatchGetItem"))
                .resources(List.of(data.table(Tables.HEARTBEATS).getTableArn())).build());
        messaging.queue(Messaging.INVENTORIES).grantSendMessages(api);
        messaging.queue(Messaging.WAKE).grantSendMessages(api);
        api.addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("sqs:GetQueueAttributes"))
                .resources(List.of(messaging.queue(Messaging.WAKE).getQueueArn())).build());
        messaging.topic(Messaging.LIFECYCLE).grantPublish(api);
        // (job_filters: every job it creates, a dependency or a workflow's node, is listed there)
        for (TableDefinition t : List.of(Tables.JOBS, Tables.JOB_FILTERS, Tables.RESOURCES, Tables.LEASES, Tables.SEQUENCES)) {
            data.table(t).grantReadWriteData(taskManager);
        }
        runners.taskDefinition.grantRun(taskManager);
        runners.systemJobTaskDefinition.grantRun(taskManager);
        data.table(Tables.JOBS).grantReadWriteData(reaper);
        data.table(Tables.LEASES).grantReadWriteData(reaper);
        // It reads the running jobs' heartbeats and silences a lost runner's before ending its job: no more.
        reaper.addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("dynamodb:BatchGetItem", "dynamodb:UpdateItem"))
                .resources(List.of(data.table(Tables.HEARTBEATS).getTableArn())).build());
        // A runner gone silent is stopped once its job is reaped (its processes and files go with the task): its own cluster's tasks only.
        reaper.addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("ecs:StopTask"))
                .resources(List.of(software.amazon.awscdk.Fn.join("", List.of("arn:", software.amazon.awscdk.Aws.PARTITION, ":ecs:",
                        software.amazon.awscdk.Aws.REGION, ":", software.amazon.awscdk.Aws.ACCOUNT_ID, ":task/",
                        runners.cluster.getClusterName(), "/*")))).build());
        Nag.explain(reaper.getVersion().getLambda(), "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/<RunnersClusterAEDEEE6D>/*]",
                "ecs:StopTask of the runner cluster's own tasks: which task a reaped job ran in is known only at run time.");
        messaging.topic(Messaging.LIFECYCLE).grantPublish(reaper);
        // The scheduler launches users' schedules: it writes jobs and schedules, wakes the task manager,
        // announces runs it had to refuse, and records its pass in the leases table.
        for (TableDefinition t : List.of(Tables.JOBS, Tables.JOB_FILTERS, Tables.RESOURCES, Tables.SEQUENCES, Tables.LEASES)) {
            data.table(t).grantReadWriteData(scheduler);
        }
        messaging.queue(Messaging.WAKE).grantSendMessages(scheduler);
        messaging.topic(Messaging.LIFECYCLE).grantPublish(scheduler);
        tick("SchedulerTick", Rule.Builder.create(this, "SchedulerTick").schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(LambdaFunction.Builder.create(scheduler).deadLetterQueue(eventDeadLetters)
                        .retryAttempts(2).maxEventAge(Duration.minutes(5)).build())).build());
        // Notifications read jobs and templates, record each notification, and claim the set on the job.
        for (TableDefinition t : List.of(Tables.JOBS, Tables.RESOURCES, Tables.SEQUENCES)) {
            data.table(t).grantReadWriteData(notifications);
        }
        notifications.addEventSource(SqsEventSource.Builder.create(messaging.queue(Messaging.NOTIFICATIONS))
                .batchSize(10).reportBatchItemFailures(true).build());
        // Inventories: a finished job's host summaries (its events read, the summaries and its hosts written), and the
        // inventories' computed fields (hosts, groups, sources and the sources' updates read; the inventory written).
        data.table(Tables.JOBS).grantReadData(inventories);
        data.table(Tables.EVENTS).grantReadData(inventories);
        data.table(Tables.RESOURCES).grantReadWriteData(inventories);
        data.table(Tables.HOST_SUMMARIES).grantReadWriteData(inventories);
        messaging.queue(Messaging.INVENTORIES).grantSendMessages(inventories);
        inventories.addEventSource(SqsEventSource.Builder.create(messaging.queue(Messaging.INVENTORIES))
                .batchSize(10).reportBatchItemFailures(true).build());
        // Housekeeping launches system jobs: it writes jobs, reads their templates, wakes the task manager.
        for (TableDefinition t : List.of(Tables.JOBS, Tables.JOB_FILTERS, Tables.RESOURCES, Tables.SEQUENCES)) {
            data.table(t).grantReadWriteData(housekeeping);
        }
        messaging.queue(Messaging.WAKE).grantSendMessages(housekeeping);
        for (var q : Messaging.housekeepingQueues()) {
            housekeeping.addEventSource(SqsEventSource.Builder.create(messaging.queue(q))
                    .batchSize(10).reportBatchItemFailures(true).build());
        }
        // It also runs the resource tasks the API hands it (a deleted inventory's contents, a deep copy's sub-objects,
        // deleted objects' job history): the whole store but tokens' secrets, events of deleted updates, the copy lease.
        data.table(Tables.EVENTS).grantReadWriteData(housekeeping);
        data.table(Tables.LEASES).grantReadWriteData(housekeeping);
        housekeeping.addEventSource(SqsEventSource.Builder.create(messaging.queue(Messaging.RESOURCE_TASKS))
                .batchSize(1).reportBatchItemFailures(true).build());
        messaging.queue(Messaging.RESOURCE_TASKS).grantSendMessages(api);
        // The housekeeping topic's key is a customer-managed one that grants EventBridge (MessagingLayer):
        // EventBridge cannot publish to a topic under alias/aws/sns.
        rule("NightlyHousekeeping", Rule.Builder.create(this, "NightlyHousekeeping")
                .schedule(Schedule.cron(software.amazon.awscdk.services.events.CronOptions.builder().hour("3").minute("0").build()))
                .targets(List.of(software.amazon.awscdk.services.events.targets.SnsTopic.Builder
                        .create(messaging.topic(Messaging.HOUSEKEEPING))
                        .message(RuleTargetInput.fromObject(Map.of("reason", "nightly")))
                        .deadLetterQueue(eventDeadLetters).retryAttempts(8).maxEventAge(Duration.hours(2)).build())).build());

        // At most two batches at once: the second finds the lease held, asks for a rerun and returns, so nothing waits
        // out a visibility timeout for want of concurrency (reserved concurrency 1 would throttle it instead).
        taskManager.addEventSource(SqsEventSource.Builder.create(messaging.queue(Messaging.WAKE))
                .batchSize(10).maxBatchingWindow(Duration.seconds(0)).reportBatchItemFailures(true)
                .maxConcurrency(TASK_MANAGER_MAX_CONCURRENCY).build());
        // The fail-safe tick is a wake message too, so every pass goes through the one consumer.
        tick("TaskManagerTick", Rule.Builder.create(this, "TaskManagerTick").schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(SqsQueue.Builder.create(messaging.queue(Messaging.WAKE))
                        .message(RuleTargetInput.fromObject(Map.of("reason", "tick")))
                        .deadLetterQueue(eventDeadLetters).retryAttempts(2).maxEventAge(Duration.minutes(5)).build())).build());
        tick("ReaperTick", Rule.Builder.create(this, "ReaperTick").schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(LambdaFunction.Builder.create(reaper).deadLetterQueue(eventDeadLetters)
                        .retryAttempts(2).maxEventAge(Duration.minutes(5)).build())).build());
        rule("RunnerStopped", Rule.Builder.create(this, "RunnerStopped").eventPattern(EventPattern.builder()
                        .source(List.of("aws.ecs")).detailType(List.of("ECS Task State Change"))
                        .detail(Map.of("clusterArn", List.of(runners.cluster.getClusterArn()), "lastStatus", List.of("STOPPED")))
                        .build())
                .targets(List.of(LambdaFunction.Builder.create(reaper).deadLetterQueue(eventDeadLetters)
                        .retryAttempts(8).maxEventAge(Duration.hours(1)).build())).build());

        LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs").retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        // REGIONAL: clients reach the Region directly; an edge-optimised endpoint adds a CloudFront hop
        // (and CloudFront's price) that an operator API does not need.
        // The account-wide API Gateway logging role is the account's, not this stack's (the feature flag
        // disableCloudWatchRole): -c apiGatewayCloudWatchRole=true creates and keeps it for an account that has none,
        // which stage logging needs (docs/cost.md, deploying).
        boolean accountRole = "true".equals(String.valueOf(getNode().tryGetContext("apiGatewayCloudWatchRole")));
        restApi = LambdaRestApi.Builder.create(this, "RestApi").restApiName(prefix + "api").handler(api).proxy(true)
                .endpointTypes(List.of(EndpointType.REGIONAL))
                .cloudWatchRole(accountRole).cloudWatchRoleRemovalPolicy(accountRole ? RemovalPolicy.RETAIN : null)
                .deployOptions(StageOptions.builder().stageName("prod")
                        .throttlingRateLimit(100).throttlingBurstLimit(200).tracingEnabled(true)
                        .loggingLevel(MethodLoggingLevel.ERROR)
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields()).build())
                .build();
        Nag.explain(restApi, "AwsSolutions-APIG2", "A proxy to one function that validates every request itself, as AWX "
                + "does: a 400 naming the field; API Gateway's models would duplicate AWX's serializers.");
        Nag.explain(restApi, "AwsSolutions-APIG3", "No WAF by default (about $5 a month plus per rule and request); the stage "
                + "throttles at 100 requests a second and the API authenticates every call but ping/.");
        Nag.explain(restApi, "AwsSolutions-APIG4", "The API authenticates each call itself, with AWX's tokens and basic auth "
                + "(functions/app auth/), as AWX clients expect; an authorizer would reject those.");
        Nag.explain(restApi, "AwsSolutions-COG4", "AWX's clients authenticate with AWX tokens or basic auth, not Cognito.");
        Nag.explain(this, "Serverless-LambdaEventSourceMappingDestination", "SQS event sources take no on-failure destination "
                + "(only stream and Kafka sources do); each queue's redrive policy sends what fails to its dead-letter queue.");
    }

    /** The functions EventBridge invokes directly (asynchronously); the others are behind SQS or API Gateway. */
    private static final java.util.Set<String> INVOKED_ASYNCHRONOUSLY = java.util.Set.of("Reaper", "Scheduler");
    private final Architecture architecture;
    private final Map<String, LogGroup> logGroups = new java.util.HashMap<>();

    private Alias function(String name, String handler, Duration timeout, Integer reservedConcurrency, String jar,
                           Map<String, String> env) {
        // A log group of its own, so that it has a retention (Lambda's implicit one keeps logs for ever).
        LogGroup logs = LogGroup.Builder.create(this, name + "Logs").retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        logGroups.put(name, logs);
        Function.Builder b = Function.Builder.create(this, name);
        if (INVOKED_ASYNCHRONOUSLY.contains(name)) {
            // EventBridge invokes it asynchronously: what Lambda's own retries could not handle is kept, not dropped.
            b.deadLetterQueue(eventDeadLetters);
        }
        Function f = b
                .runtime(Runtime.JAVA_21).architecture(architecture).handler(handler).code(Code.fromAsset(jar))
                .memorySize(1536).timeout(timeout).environment(env)
                .reservedConcurrentExecutions(reservedConcurrency)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(logs).loggingFormat(LoggingFormat.JSON).tracing(Tracing.ACTIVE)
                .applicationLogLevelV2(ApplicationLogLevel.INFO).systemLogLevelV2(SystemLogLevel.WARN)
                .description("Towerless " + name + " (" + Stack.of(this).getStackName() + ")")
                .build();
        Alias alias = Alias.Builder.create(this, name + "Live").aliasName("live").version(f.getCurrentVersion()).build();
        all.put(name, alias);
        explainFunction(f, name);
        return alias;
    }

    /** cdk-nag's findings on every function, and why each stands. */
    private static void explainFunction(Function f, String name) {
        String runtime = "Java 21 is the newest Java runtime this jar (Java 17 bytecode) and its SnapStart priming are "
                + "tested on; a runtime change is a deliberate, tested step (TOOLCHAIN.md).";
        Nag.explain(f, "AwsSolutions-L1", runtime);
        Nag.explain(f, "Serverless-LambdaLatestVersion", runtime);
        Nag.explain(f, "AwsSolutions-IAM5[Resource::*]", "xray:PutTraceSegments and PutTelemetryRecords (active tracing), "
                + "which have no narrower resource.");
        Nag.explain(f, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                "AWS's managed policy for writing the function's own logs (logs:CreateLogStream, PutLogEvents); nothing else.");
        for (String table : List.of("DatajobsAE5E632A", "DataresourcesD472BD79", "DatahostsummariesD79CBC61")) {
            // grantReadWriteData covers the table's own indexes (the list reads query them), never another table.
            Nag.explain(f, "AwsSolutions-IAM5[Resource::<" + table + ".Arn>/index/*]",
                    "The table's own global secondary indexes, which the function's list reads query.");
        }
        if (!INVOKED_ASYNCHRONOUSLY.contains(name)) {
            Nag.explain(f, "Serverless-LambdaDLQ", "Not invoked asynchronously: API Gateway calls it synchronously, or an SQS "
                    + "event source does, whose queue has the dead-letter queue.");
        }
        // A version is published (getCurrentVersion) and the `live` alias points at it, so SnapStart applies.
        software.amazon.awscdk.Annotations.of(f).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "Invoked only through the live alias of its current published version.");
        RunnerTasks.explainSnsManagedKey(f);
    }

    LogGroup logGroup(String function) {
        return logGroups.get(function);
    }

    private void tick(String name, Rule rule) {
        ticks.put(name, rule);
        rule(name, rule);
    }

    private void rule(String name, Rule rule) {
        rules.put(name, rule);
    }
}
