package dev.towerless.app;

import dev.towerless.aws.codec.JsonYamlVariables;
import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.dynamodb.DynamoEventStore;
import dev.towerless.aws.dynamodb.DynamoHeartbeatStore;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoLeaseStore;
import dev.towerless.aws.dynamodb.DynamoPassLog;
import dev.towerless.aws.sns.SnsTopic;
import dev.towerless.aws.notify.NotificationBackends;
import dev.towerless.core.notifications.NotificationService;
import dev.towerless.core.ports.NotificationSender;
import dev.towerless.core.schedules.Scheduler;
import dev.towerless.core.workflows.WorkflowManager;
import dev.towerless.core.control.CancelService;
import dev.towerless.core.liveness.LivenessSettings;
import dev.towerless.core.liveness.Reaper;
import dev.towerless.core.ports.PassLog;
import dev.towerless.core.ports.Topic;
import software.amazon.awssdk.services.sns.SnsClient;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.aws.ecs.EcsRunnerLauncher;
import dev.towerless.aws.sqs.SqsMessageQueue;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.LeaseStore;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.RunnerLauncher;
import dev.towerless.core.ports.SecretLookup;
import dev.towerless.core.ports.RunnerStarter;
import dev.towerless.core.runplane.RunPlaneLauncher;
import dev.towerless.core.resources.ResourceValidator;
import dev.towerless.core.resources.VariablesCodec;
import dev.towerless.core.scheduling.TaskManager;
import dev.towerless.core.scheduling.TaskManagerSettings;
import dev.towerless.core.security.SecretBox;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Wires the core to its AWS adapters. Every setting comes from {@link TowerlessConfig}, read
 * from the environment (Lambda, ECS) or from the same names as properties (the local stack).
 */
@Factory
public class TowerlessFactory {

    @Singleton
    TowerlessConfig config(Environment environment) {
        return TowerlessConfig.from(name -> environment.getProperty(propertyName(name), String.class)
                .or(() -> Optional.ofNullable(System.getenv(name))));
    }

    /** TOWERLESS_WAKE_QUEUE_URL → towerless.wake.queue.url, as Micronaut maps environment variables. */
    public static String propertyName(String environmentName) {
        return environmentName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Bean(preDestroy = "close")
    DynamoDbClient dynamoDb(TowerlessConfig config) {
        return AwsClients.dynamoDb(config);
    }

    @Singleton
    @Bean(preDestroy = "close")
    SqsClient sqs(TowerlessConfig config) {
        return AwsClients.sqs(config);
    }

    @Singleton
    @Bean(preDestroy = "close")
    SnsClient sns(TowerlessConfig config) {
        return AwsClients.sns(config);
    }

    @Singleton
    @Named("lifecycle")
    Topic lifecycleTopic(SnsClient sns, TowerlessConfig config) {
        return new SnsTopic(sns, config.lifecycleTopicArn());
    }

    @Singleton
    LivenessSettings livenessSettings(TowerlessConfig config) {
        return config.liveness();
    }

    @Singleton
    Reaper reaper(JobStore jobs, HeartbeatStore heartbeats, @Named("lifecycle") Topic lifecycle, Clock clock, LivenessSettings settings,
                  jakarta.inject.Provider<RunnerStarter> runners) {
        // The starter is made only if a runner must be stopped (the reaper's function has no use for it otherwise).
        return new Reaper(jobs, heartbeats, lifecycle, clock, settings, new RunnerStarter() {
            @Override
            public String start(long jobId, dev.towerless.core.jobs.JobKind kind, Optional<String> runKey) {
                throw new UnsupportedOperationException("the reaper starts no runner");
            }

            @Override
            public void stop(String task, String reason) {
                runners.get().stop(task, reason);
            }
        });
    }

    @Singleton
    dev.towerless.core.access.Memberships memberships(ResourceStore resources, JobStore jobs) {
        return new dev.towerless.core.access.Memberships(resources, jobs);
    }

    @Singleton
    CancelService cancelService(JobStore jobs, @Named("lifecycle") Topic lifecycle, Clock clock) {
        return new CancelService(jobs, lifecycle, clock);
    }

    @Singleton
    PassLog passLog(DynamoDbClient client, TowerlessConfig config) {
        return new DynamoPassLog(client, config.prefix());
    }

    @Singleton
    JobStore jobStore(DynamoDbClient client, TowerlessConfig config) {
        return new DynamoJobStore(client, config.prefix());
    }

    /** The resources and jobs tables read in one BatchGetItem (a request's token, user and prefetch hint). */
    @Singleton
    dev.towerless.core.ports.JointReads jointReads(DynamoDbClient client, TowerlessConfig config) {
        return new dev.towerless.aws.dynamodb.DynamoJointReads(client, config.prefix());
    }

    @Singleton
    HeartbeatStore heartbeatStore(DynamoDbClient client, TowerlessConfig config, Clock clock) {
        return new DynamoHeartbeatStore(client, config.prefix(), clock);
    }

    /**
     * The control plane's store marks an inventory for a recompute whenever a host, group or source
     * is added to or removed from it (InventoryChangeTracking).
     */
    @Singleton
    ResourceStore resourceStore(DynamoDbClient client, TowerlessConfig config, @Named("inventories") MessageQueue inventories,
                                Clock clock) {
        ResourceStore store = new DynamoResourceStore(client, config.prefix());
        // This function's store calls are profiled while the settings say so (read again every 10 s).
        dev.towerless.core.profiling.StoreProfiling.readSettingsOf(store, clock);
        return new dev.towerless.core.inventory.InventoryChangeTracking(store,
                new dev.towerless.core.inventory.InventoryDirtyMarker(store, inventories, clock));
    }

    /** Where inventories marked dirty queue their recompute (Messaging.INVENTORIES). */
    @Singleton
    @Named("inventories")
    MessageQueue inventoriesQueue(SqsClient sqs, Environment environment) {
        String url = environment.getProperty(propertyName(TowerlessConfig.INVENTORIES_QUEUE_URL), String.class)
                .or(() -> Optional.ofNullable(System.getenv(TowerlessConfig.INVENTORIES_QUEUE_URL))).orElse("");
        if (url.isBlank()) {
            return new UnconfiguredQueue(TowerlessConfig.INVENTORIES_QUEUE_URL);
        }
        return new SqsMessageQueue(sqs, url);
    }

    @Singleton
    dev.towerless.core.inventory.InventoryDirtyMarker inventoryDirtyMarker(ResourceStore resources,
                                                                             @Named("inventories") MessageQueue inventories, Clock clock) {
        return new dev.towerless.core.inventory.InventoryDirtyMarker(resources, inventories, clock);
    }

    @Singleton
    dev.towerless.core.inventory.InventoryComputedFields inventoryComputedFields(ResourceStore resources, JobStore jobs) {
        return new dev.towerless.core.inventory.InventoryComputedFields(resources, jobs);
    }

    @Singleton
    dev.towerless.core.ports.HostSummaryStore hostSummaryStore(DynamoDbClient client, TowerlessConfig config) {
        return new dev.towerless.aws.dynamodb.DynamoHostSummaryStore(client, config.prefix());
    }

    @Singleton
    dev.towerless.core.inventory.JobHostSummaries jobHostSummaries(JobStore jobs, EventStore events, ResourceStore resources,
                                                                     dev.towerless.core.ports.HostSummaryStore summaries,
                                                                     dev.towerless.core.inventory.InventoryDirtyMarker marker,
                                                                     Clock clock) {
        return new dev.towerless.core.inventory.JobHostSummaries(jobs, events, resources, summaries, marker, clock);
    }

    @Singleton
    EventStore eventStore(DynamoDbClient client, TowerlessConfig config) {
        return new DynamoEventStore(client, config.prefix());
    }

    @Singleton
    LeaseStore leaseStore(DynamoDbClient client, TowerlessConfig config, Clock clock) {
        return new DynamoLeaseStore(client, config.prefix(), clock);
    }

    @Singleton
    @Named("wake")
    MessageQueue wakeQueue(SqsClient sqs, TowerlessConfig config) {
        return new SqsMessageQueue(sqs, config.wakeQueueUrl());
    }

    @Singleton
    @Requires(property = "towerless.launcher", value = "ecs", defaultValue = "ecs")
    RunnerStarter ecsStarter(TowerlessConfig config) {
        EcsRunnerLauncher.EcsRunnerSettings ecs = config.ecs().orElseThrow(() ->
                new IllegalStateException("the ECS runner launcher needs " + TowerlessConfig.ECS_CLUSTER));
        // One pacer for the container: a pass's parallel starts share it, and passes here never overlap (the lease).
        return new EcsRunnerLauncher(AwsClients.ecs(config, EcsRunnerLauncher.pacing(
                dev.towerless.core.runplane.RatePacer.perSecond(ecs.runTaskRate()))), ecs);
    }

    /** Seals each job's secrets under its own key before its runner starts (docs/security.md). */
    @Singleton
    RunnerLauncher runnerLauncher(JobStore jobs, ResourceStore resources, SecretBox secrets, VariablesCodec variables,
                                  RunnerStarter starter, SecretLookup lookup) {
        return new RunPlaneLauncher(jobs, resources, secrets, variables, starter, lookup);
    }

    /** Credential input sources' lookups (HashiCorp Vault, AWS Secrets Manager), on the control plane only. */
    @Singleton
    SecretLookup secretLookup() {
        return new dev.towerless.aws.lookup.ExternalSecretLookup();
    }

    @Singleton
    SecretBox secretBox(TowerlessConfig config) {
        // Read on first use, after a SnapStart restore, so that no snapshot holds the key (docs/security.md).
        return SecretBox.lazy(config.sealingKey().orElseThrow(() ->
                new IllegalStateException(TowerlessConfig.SECRET_KEY + " is required to store credentials")));
    }

    @Singleton
    VariablesCodec variablesCodec() {
        return new JsonYamlVariables();
    }

    @Singleton
    ResourceValidator resourceValidator(ResourceStore store, VariablesCodec variables) {
        return new ResourceValidator(store, variables);
    }

    @Singleton
    LaunchService launchService(JobStore jobs, ResourceStore resources, @Named("wake") MessageQueue wake,
                                VariablesCodec variables, Clock clock, SecretBox secrets) {
        return new LaunchService(jobs, resources, wake, variables, clock, secrets);
    }

    @Singleton
    WorkflowManager workflowManager(JobStore jobs, ResourceStore resources, LaunchService launches, VariablesCodec variables,
                                    @Named("lifecycle") Topic lifecycle, Clock clock, CancelService cancels) {
        return new WorkflowManager(jobs, resources, launches, variables, lifecycle, clock, cancels::cancel);
    }

    @Singleton
    Scheduler scheduler(ResourceStore resources, JobStore jobs, LaunchService launches, WorkflowManager workflows,
                        @Named("lifecycle") Topic lifecycle, Clock clock) {
        return new Scheduler(resources, jobs, launches, workflows, lifecycle, clock);
    }

    @Singleton
    NotificationSender notificationSender() {
        return new NotificationBackends();
    }

    @Singleton
    NotificationService notificationService(JobStore jobs, ResourceStore resources, NotificationSender sender, SecretBox secrets,
                                            VariablesCodec variables, Clock clock) {
        return new NotificationService(jobs, resources, sender, secrets, variables, clock);
    }

    @Singleton
    TaskManagerSettings taskManagerSettings() {
        return TaskManagerSettings.defaults();
    }

    @Singleton
    TaskManager taskManager(JobStore jobs, ResourceStore resources, RunnerLauncher launcher, LeaseStore leases,
                            @Named("lifecycle") Topic lifecycle, Clock clock, TaskManagerSettings settings,
                            WorkflowManager workflows) {
        return new TaskManager(jobs, resources, launcher, leases, lifecycle, clock, settings,
                () -> "task-manager-" + UUID.randomUUID(), workflows::process);
    }
}
