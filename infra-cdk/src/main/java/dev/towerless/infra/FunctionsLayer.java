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
 * The functions, all from one jar (Java 21, SnapStart on published versions): the AWX API behind
 * API Gateway; the task manager, woken by the wake queue (where EventBridge's one-minute tick
 * also lands) and limited to one concurrent execution; the reaper on its own tick and on ECS
 * task-stopped events; the scheduler launching users' schedules every minute; notifications,
 * fed by the job-lifecycle topic through their own queue. Each gets only the
 * tables, queues and topics it uses.
 */
public final class FunctionsLayer extends Construct {
    final Alias api;
    final Alias taskManager;
    final Alias reaper;
    final Alias scheduler;
    final Alias notifications;
    final Alias housekeeping;
    final LambdaRestApi restApi;
    final LogGroup reaperLogs;

    public FunctionsLayer(Construct scope, String id, String prefix, String functionsJar, DataLayer data, MessagingLayer messaging,
                          RunnerTasks runners, ISecret sealingKey, ISecret adminPassword) {
        super(scope, id);
        Map<String, String> env = new HashMap<>();
        env.put(TowerlessConfig.PREFIX, prefix);
        env.put(TowerlessConfig.WAKE_QUEUE_URL, messaging.queue(Messaging.WAKE).getQueueUrl());
        env.put(TowerlessConfig.LIFECYCLE_TOPIC_ARN, messaging.topic(Messaging.LIFECYCLE).getTopicArn());
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
        taskManager = function("TaskManager", "dev.towerless.handlers.WakeQueueHandler", Duration.seconds(60), 1, functionsJar, env);
        reaper = function("Reaper", "dev.towerless.handlers.ReaperTickHandler", Duration.seconds(60), 1, functionsJar, env);
        // Claims are conditional writes, so two passes could not double-launch; one at a time keeps recovery simple.
        scheduler = function("Scheduler", "dev.towerless.handlers.SchedulerTickHandler", Duration.seconds(60), 1,
                functionsJar, env);
        notifications = function("Notifications", "dev.towerless.handlers.NotificationQueueHandler", Duration.seconds(120),
                null, functionsJar, env);
        housekeeping = function("Housekeeping", "dev.towerless.handlers.HousekeepingHandler", Duration.seconds(60), null,
                functionsJar, env);
        reaperLogs = LogGroup.Builder.create(this, "ReaperLogs")
                .logGroupName("/aws/lambda/" + reaper.getLambda().getFunctionName())
                .retention(RetentionDays.ONE_MONTH).removalPolicy(RemovalPolicy.DESTROY).build();

        // What each function touches, and nothing more.
        for (Alias f : List.of(api, taskManager, reaper, scheduler, notifications, housekeeping)) {
            sealingKey.grantRead(f);
        }
        for (TableDefinition t : List.of(Tables.JOBS, Tables.RESOURCES, Tables.EVENTS, Tables.LEASES, Tables.SEQUENCES)) {
            data.table(t).grantReadWriteData(api);
        }
        messaging.queue(Messaging.WAKE).grantSendMessages(api);
        api.addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("sqs:GetQueueAttributes"))
                .resources(List.of(messaging.queue(Messaging.WAKE).getQueueArn())).build());
        messaging.topic(Messaging.LIFECYCLE).grantPublish(api);
        for (TableDefinition t : List.of(Tables.JOBS, Tables.RESOURCES, Tables.LEASES, Tables.SEQUENCES)) {
            data.table(t).grantReadWriteData(taskManager);
        }
        runners.taskDefinition.grantRun(taskManager);
        runners.systemJobTaskDefinition.grantRun(taskManager);
        data.table(Tables.JOBS).grantReadWriteData(reaper);
        data.table(Tables.LEASES).grantReadWriteData(reaper);
        messaging.topic(Messaging.LIFECYCLE).grantPublish(reaper);
        // The scheduler launches users' schedules: it writes jobs and schedules, wakes the task manager,
        // announces runs it had to refuse, and records its pass in the leases table.
        for (TableDefinition t : List.of(Tables.JOBS, Tables.RESOURCES, Tables.SEQUENCES, Tables.LEASES)) {
            data.table(t).grantReadWriteData(scheduler);
        }
        messaging.queue(Messaging.WAKE).grantSendMessages(scheduler);
        messaging.topic(Messaging.LIFECYCLE).grantPublish(scheduler);
        Rule.Builder.create(this, "SchedulerTick").schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(new LambdaFunction(scheduler))).build();
        // Notifications read jobs and templates, record each notification, and claim the set on the job.
        for (TableDefinition t : List.of(Tables.JOBS, Tables.RESOURCES, Tables.SEQUENCES)) {
            data.table(t).grantReadWriteData(notifications);
        }
        notifications.addEventSource(SqsEventSource.Builder.create(messaging.queue(Messaging.NOTIFICATIONS))
                .batchSize(10).reportBatchItemFailures(true).build());
        // Housekeeping launches system jobs: it writes jobs, reads their templates, wakes the task manager.
        for (TableDefinition t : List.of(Tables.JOBS, Tables.RESOURCES, Tables.SEQUENCES)) {
            data.table(t).grantReadWriteData(housekeeping);
        }
        messaging.queue(Messaging.WAKE).grantSendMessages(housekeeping);
        for (var q : Messaging.housekeepingQueues()) {
            housekeeping.addEventSource(SqsEventSource.Builder.create(messaging.queue(q))
                    .batchSize(10).reportBatchItemFailures(true).build());
        }
        Rule.Builder.create(this, "NightlyHousekeeping").schedule(Schedule.cron(software.amazon.awscdk.services.events.CronOptions
                        .builder().hour("3").minute("0").build()))
                .targets(List.of(software.amazon.awscdk.services.events.targets.SnsTopic.Builder
                        .create(messaging.topic(Messaging.HOUSEKEEPING))
                        .message(RuleTargetInput.fromObject(Map.of("reason", "nightly"))).build())).build();

        taskManager.addEventSource(SqsEventSource.Builder.create(messaging.queue(Messaging.WAKE))
                .batchSize(10).maxBatchingWindow(Duration.seconds(0)).reportBatchItemFailures(true).build());
        // The fail-safe tick is a wake message too, so every pass goes through the one consumer.
        Rule.Builder.create(this, "TaskManagerTick").schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(SqsQueue.Builder.create(messaging.queue(Messaging.WAKE))
                        .message(RuleTargetInput.fromObject(Map.of("reason", "tick"))).build())).build();
        Rule.Builder.create(this, "ReaperTick").schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(new LambdaFunction(reaper))).build();
        Rule.Builder.create(this, "RunnerStopped").eventPattern(EventPattern.builder()
                        .source(List.of("aws.ecs")).detailType(List.of("ECS Task State Change"))
                        .detail(Map.of("clusterArn", List.of(runners.cluster.getClusterArn()), "lastStatus", List.of("STOPPED")))
                        .build())
                .targets(List.of(new LambdaFunction(reaper))).build();

        LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs").retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        restApi = LambdaRestApi.Builder.create(this, "RestApi").restApiName(prefix + "api").handler(api).proxy(true)
                .deployOptions(StageOptions.builder().stageName("prod")
                        .throttlingRateLimit(100).throttlingBurstLimit(200)
                        .loggingLevel(MethodLoggingLevel.ERROR)
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields()).build())
                .build();
    }

    private Alias function(String name, String handler, Duration timeout, Integer reservedConcurrency, String jar,
                           Map<String, String> env) {
        Function f = Function.Builder.create(this, name)
                .runtime(Runtime.JAVA_21).handler(handler).code(Code.fromAsset(jar))
                .memorySize(1536).timeout(timeout).environment(env)
                .reservedConcurrentExecutions(reservedConcurrency)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .description("Towerless " + name + " (" + Stack.of(this).getStackName() + ")")
                .build();
        return Alias.Builder.create(this, name + "Live").aliasName("live").version(f.getCurrentVersion()).build();
    }
}
