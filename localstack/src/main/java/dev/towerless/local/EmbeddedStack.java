package dev.towerless.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.towerless.api.auth.Authenticator;
import dev.towerless.app.Bootstrap;
import dev.towerless.app.TowerlessFactory;
import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.sqs.SqsMessageQueue;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.security.SecretBox;
import dev.towerless.aws.definitions.QueueDefinition;
import dev.towerless.aws.sns.SnsTopic;
import dev.towerless.handlers.EcsTaskEvents;
import dev.towerless.handlers.HousekeepingConsumer;
import dev.towerless.handlers.NotificationConsumer;
import dev.towerless.handlers.ResourceTaskConsumer;
import dev.towerless.handlers.ReaperTick;
import dev.towerless.handlers.SchedulerTick;
import dev.towerless.handlers.TaskManagerTick;
import dev.towerless.handlers.WakeConsumer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole system on one machine: emulators as child processes, resources created from the
 * shared definitions, the API on Micronaut's HTTP server, a poller per queue invoking the same
 * handler beans Lambda would, a timer for the scheduled handlers, and runner processes in place
 * of Fargate tasks. Everything it starts, {@link #close()} stops.
 */
public final class EmbeddedStack implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedStack.class.getName());
    public static final String ADMIN = "admin";

    private final AwsBackends emulators;
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final ProcessRunnerLauncher launcher;
    private final List<SqsPoller> pollers;
    private final ScheduledExecutorService timers;
    private final String adminToken;
    private final Provisioner.Provisioned provisioned;
    /** The store-profile source this process had before this stack took it over (see close). */
    private dev.towerless.core.profiling.StoreProfiling.Source profileSourceBefore;

    /**
     * Port 0 picks a free port. {@code tick} is how often the scheduled task-manager pass runs,
     * {@code reaperTick} the reaper's and {@code schedulerTick} the users' schedules' (every
     * minute on AWS, an EventBridge rule's finest rate; AWX checks every 30 s); {@code environment}
     * adds settings of the environment contract (e.g. a shorter heartbeat for fault tests).
     */
    public record Settings(int apiPort, Path stateDir, String adminPassword, Duration tick, Duration reaperTick,
                           Duration schedulerTick, Map<String, String> environment) {
        public static Settings forTests(Path stateDir) {
            // A prompt nothing answers is given up after 10 s instead of 20, so the tests that try one stay short.
            return new Settings(0, stateDir, "password", Duration.ofSeconds(60), Duration.ofSeconds(15),
                    Duration.ofSeconds(2), Map.of("TOWERLESS_PROMPT_STALL_SECONDS", "10"));
        }

        public static Settings local(int port, Path stateDir, String adminPassword) {
            return new Settings(port, stateDir, adminPassword, Duration.ofSeconds(60), Duration.ofSeconds(15),
                    Duration.ofSeconds(30), Map.of());
        }

        public Settings withEnvironment(Map<String, String> env, Duration reaperTick) {
            return new Settings(apiPort, stateDir, adminPassword, tick, reaperTick, schedulerTick, env);
        }
    }

    private EmbeddedStack(AwsBackends emulators, ApplicationContext context, EmbeddedServer server,
                          ProcessRunnerLauncher launcher, List<SqsPoller> pollers, ScheduledExecutorService timers,
                          String adminToken, Provisioner.Provisioned provisioned) {
        this.emulators = emulators;
        this.context = context;
        this.server = server;
        this.launcher = launcher;
        this.pollers = pollers;
        this.timers = timers;
        this.adminToken = adminToken;
        this.provisioned = provisioned;
    }

    /** Starts on the embedded emulators (dynalite, fauxqs) in memory, their logs in the state directory. */
    public static EmbeddedStack start(Settings settings) throws IOException {
        return start(settings, Emulators.start(settings.stateDir().resolve("logs"), java.util.Optional.empty()));
    }

    /**
     * Starts on emulators that keep their data in the state directory ({@code dynamodb/}, dynalite's
     * LevelDB store): every object, job, event and token is there again after a restart
     * ({@code ./towerless up}; {@code ./towerless reset} removes it).
     */
    public static EmbeddedStack startPersistent(Settings settings) throws IOException {
        return start(settings, Emulators.start(settings.stateDir().resolve("logs"),
                java.util.Optional.of(settings.stateDir().resolve("dynamodb"))));
    }

    /**
     * Sizes the default instance group for this machine ({@link LocalCapacity}) unless an operator
     * has sized it: what {@code ./towerless up} and {@code demo} run, so a burst queues.
     */
    public LocalCapacity sizeForThisMachine() {
        LocalCapacity c = LocalCapacity.measured(n -> java.util.Optional.ofNullable(System.getenv(n)));
        c.applyTo(context.getBean(dev.towerless.core.ports.ResourceStore.class),
                dev.towerless.core.scheduling.TaskManager.DEFAULT_INSTANCE_GROUP);
        return c;
    }

    /** Where the stack says how its emulators are ({@code ./towerless status} prints it). */
    public static Path emulatorStatusFile(Path stateDir) {
        return stateDir.resolve("emulators.status");
    }

    /**
     * Calls {@code listener} when an emulator exits on its own: everything after that would fail
     * with "Connection refused", so the caller stops, saying why.
     */
    public void onEmulatorDeath(java.util.function.Consumer<EmulatorProcess.Death> listener) {
        deathListeners.add(listener);
    }

    private final List<java.util.function.Consumer<EmulatorProcess.Death>> deathListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private void watch(Emulators e, Path stateDir) {
        writeStatus(stateDir, String.join("\n", e.describe()) + "\n");
        e.onDeath(death -> {
            LOG.log(Level.SEVERE, "emulator died: " + death);
            writeStatus(stateDir, String.join("\n", e.describe()) + "\n" + java.time.Instant.now() + " " + death + "\n");
            deathListeners.forEach(l -> l.accept(death));
        });
    }

    private static void writeStatus(Path stateDir, String text) {
        try {
            Files.writeString(emulatorStatusFile(stateDir), text);
        } catch (IOException ex) {
            LOG.log(Level.WARNING, "could not write " + emulatorStatusFile(stateDir), ex);
        }
    }

    /** Starts on the given backends; the stack owns them from here and closes them. */
    public static EmbeddedStack start(Settings settings, AwsBackends emulators) throws IOException {
        dev.towerless.core.profiling.StoreProfiling.Source profileSourceBefore = dev.towerless.core.profiling.StoreProfiling.currentSource();
        dev.towerless.local.Emulators.useEmulatorCredentials();
        Files.createDirectories(settings.stateDir());
        try {
            String prefix = "towerless-";
            Map<String, String> env = new HashMap<>();
            env.put(TowerlessConfig.PREFIX, prefix);
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ENDPOINT_URL_DYNAMODB", emulators.dynamoDbEndpoint());
            env.put("AWS_ENDPOINT_URL_SQS", emulators.sqsEndpoint());
            env.put("AWS_ENDPOINT_URL_SNS", emulators.snsEndpoint());
            env.put(TowerlessConfig.SECRET_KEY, secretKey(settings.stateDir()));
            env.putAll(settings.environment());
            TowerlessConfig bootConfig = TowerlessConfig.from(n -> java.util.Optional.ofNullable(env.get(n)));
            Provisioner.Provisioned provisioned;
            try (DynamoDbClient dynamo = AwsClients.dynamoDb(bootConfig); SqsClient sqs = AwsClients.sqs(bootConfig);
                 SnsClient sns = AwsClients.sns(bootConfig)) {
                Provisioner.createTables(dynamo, prefix);
                provisioned = Provisioner.createMessaging(sqs, sns, prefix);
            }
            env.put(TowerlessConfig.WAKE_QUEUE_URL, provisioned.queueUrl(Messaging.WAKE));
            env.put(TowerlessConfig.LIFECYCLE_TOPIC_ARN, provisioned.topicArn(Messaging.LIFECYCLE));
            env.put(TowerlessConfig.INVENTORIES_QUEUE_URL, provisioned.queueUrl(Messaging.INVENTORIES));
            env.put(TowerlessConfig.RESOURCE_TASKS_QUEUE_URL, provisioned.queueUrl(Messaging.RESOURCE_TASKS));

            // The run plane never holds the sealing key: the control plane seals each job's secrets for it.
            Map<String, String> runnerEnv = new HashMap<>(env);
            runnerEnv.remove(TowerlessConfig.SECRET_KEY);
            runnerEnv.remove(TowerlessConfig.INVENTORIES_QUEUE_URL); // the control plane's queue, not the run's
            runnerEnv.put("AWS_ACCESS_KEY_ID", Emulators.accessKeyId());
            runnerEnv.put("AWS_SECRET_ACCESS_KEY", "local");
            // gather_analytics writes its bundles here (on AWS: the analytics bucket).
            runnerEnv.put("TOWERLESS_ANALYTICS_DIR", settings.stateDir().resolve("analytics").toAbsolutePath().toString());
            ProcessRunnerLauncher launcher = new ProcessRunnerLauncher(runnerEnv, settings.stateDir().resolve("logs"));

            Map<String, Object> properties = new HashMap<>();
            env.forEach((k, v) -> properties.put(TowerlessFactory.propertyName(k), v));
            properties.put("towerless.launcher", "process");
            properties.put("micronaut.server.port", settings.apiPort() == 0 ? -1 : settings.apiPort());
            properties.put("micronaut.server.host", "127.0.0.1");
            ApplicationContext context = ApplicationContext.builder().properties(properties).singletons(launcher)
                    .environments("local").start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();

            Bootstrap bootstrap = context.getBean(Bootstrap.class);
            // A kept state directory may hold objects an older version stored: count them and give them
            // the index keys they lack before the first list (the nightly sweep does the same on AWS).
            context.getBean(dev.towerless.core.housekeeping.ResourceCounts.class).repairAll();
            // Jobs an older version stored have no by_status_keys or by_finished_keys keys (?status= and
            // order_by=-finished pages miss them): set them, and the counters that version did not keep.
            dev.towerless.core.ports.JobStore jobStore = context.getBean(dev.towerless.core.ports.JobStore.class);
            long keyed = jobStore.repairIndexKeys();
            if (keyed > 0) {
                Map<String, Long> recounted = jobStore.repairCounts();
                LOG.info(() -> "Set the index keys of " + keyed + " jobs stored by an older version; counters set: " + recounted.size());
            }
            bootstrap.ensureBuiltIns();
            Resource admin = bootstrap.ensureAdmin(ADMIN, settings.adminPassword());
            bootstrap.preload(admin);
            String token = context.getBean(Authenticator.class).issue(admin, "local stack admin token", "write").token();

            WakeConsumer consumer = context.getBean(WakeConsumer.class);
            SqsMessageQueue wakeQueue = new SqsMessageQueue(context.getBean(SqsClient.class), provisioned.queueUrl(Messaging.WAKE));
            SqsPoller poller = new SqsPoller("wake", wakeQueue, "arn:aws:sqs:us-east-1:000000000000:" + prefix + "wake", 10,
                    consumer::handle).start();
            List<SqsPoller> pollers = new java.util.ArrayList<>(List.of(poller));
            NotificationConsumer notifications = context.getBean(NotificationConsumer.class);
            pollers.add(new SqsPoller("notifications", new SqsMessageQueue(context.getBean(SqsClient.class),
                    provisioned.queueUrl(Messaging.NOTIFICATIONS)), "arn:aws:sqs:us-east-1:000000000000:"
                    + Messaging.NOTIFICATIONS.physicalName(prefix), 10, notifications::handle).start());
            dev.towerless.handlers.InventoryConsumer inventories = context.getBean(dev.towerless.handlers.InventoryConsumer.class);
            // Four at once, as Lambda runs several batches of a busy queue in parallel (the consumer is race-safe).
            for (int i = 0; i < 4; i++) {
                pollers.add(new SqsPoller("inventories-" + i, new SqsMessageQueue(context.getBean(SqsClient.class),
                        provisioned.queueUrl(Messaging.INVENTORIES)), "arn:aws:sqs:us-east-1:000000000000:"
                        + Messaging.INVENTORIES.physicalName(prefix), 10, inventories::handle).start());
            }
            HousekeepingConsumer housekeeping = context.getBean(HousekeepingConsumer.class);
            for (QueueDefinition q : Messaging.housekeepingQueues()) {
                pollers.add(new SqsPoller(q.logicalName(), new SqsMessageQueue(context.getBean(SqsClient.class),
                        provisioned.queueUrl(q)), "arn:aws:sqs:us-east-1:000000000000:" + q.physicalName(prefix), 10,
                        housekeeping::handle).start());
            }
            ResourceTaskConsumer resourceTasks = context.getBean(ResourceTaskConsumer.class);
            pollers.add(new SqsPoller(Messaging.RESOURCE_TASKS.logicalName(), new SqsMessageQueue(context.getBean(SqsClient.class),
                    provisioned.queueUrl(Messaging.RESOURCE_TASKS)), "arn:aws:sqs:us-east-1:000000000000:"
                    + Messaging.RESOURCE_TASKS.physicalName(prefix), 10, resourceTasks::handle).start());
            ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "eventbridge-timer");
                t.setDaemon(true);
                return t;
            });
            TaskManagerTick tick = context.getBean(TaskManagerTick.class);
            timers.scheduleWithFixedDelay(() -> {
                try {
                    tick.handle(scheduledEvent("task-manager-tick"));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "scheduled task-manager pass failed", e);
                }
            }, settings.tick().toMillis(), settings.tick().toMillis(), TimeUnit.MILLISECONDS);
            ReaperTick reaper = context.getBean(ReaperTick.class);
            timers.scheduleWithFixedDelay(() -> {
                try {
                    reaper.handle(scheduledEvent("reaper-tick"));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "scheduled reaper pass failed", e);
                }
            }, settings.reaperTick().toMillis(), settings.reaperTick().toMillis(), TimeUnit.MILLISECONDS);
            SchedulerTick scheduler = context.getBean(SchedulerTick.class);
            timers.scheduleWithFixedDelay(() -> {
                try {
                    scheduler.handle(scheduledEvent("scheduler-tick"));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "scheduled scheduler pass failed", e);
                }
            }, settings.schedulerTick().toMillis(), settings.schedulerTick().toMillis(), TimeUnit.MILLISECONDS);
            EcsTaskEvents ecsEvents = context.getBean(EcsTaskEvents.class);
            launcher.onStopped(stopped -> {
                try {
                    ecsEvents.handle(taskStoppedEvent(stopped));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "task-stopped event for job " + stopped.jobId() + " failed", e);
                }
            });
            // The nightly EventBridge rule: publish to the housekeeping topic once a day.
            SnsTopic housekeepingTopic = new SnsTopic(context.getBean(software.amazon.awssdk.services.sns.SnsClient.class),
                    provisioned.topicArn(Messaging.HOUSEKEEPING));
            timers.scheduleAtFixedRate(() -> {
                try {
                    housekeepingTopic.publish("{\"reason\":\"nightly\"}");
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "nightly housekeeping not published", e);
                }
            }, 1, 24, TimeUnit.HOURS);
            EmbeddedStack stack = new EmbeddedStack(emulators, context, server, launcher, pollers, timers, token, provisioned);
            stack.profileSourceBefore = profileSourceBefore;
            if (emulators instanceof Emulators e) {
                stack.watch(e, settings.stateDir());
            }
            return stack;
        } catch (IOException | RuntimeException e) {
            emulators.close();
            throw e;
        }
    }

    /** The event EventBridge delivers for a scheduled rule. */
    static ScheduledEvent scheduledEvent(String rule) {
        ScheduledEvent e = new ScheduledEvent();
        e.setSource("aws.events");
        e.setDetailType("Scheduled Event");
        e.setResources(List.of("arn:aws:events:us-east-1:000000000000:rule/" + rule));
        e.setTime(new org.joda.time.DateTime());
        e.setDetail(Map.of());
        return e;
    }

    /** The event EventBridge delivers when an ECS task of the runner cluster stops. */
    static ScheduledEvent taskStoppedEvent(ProcessRunnerLauncher.StoppedTask t) {
        ScheduledEvent e = new ScheduledEvent();
        e.setSource("aws.ecs");
        e.setDetailType("ECS Task State Change");
        e.setTime(new org.joda.time.DateTime());
        e.setResources(List.of(t.taskId()));
        e.setDetail(Map.of("taskArn", t.taskId(), "lastStatus", "STOPPED", "desiredStatus", "STOPPED",
                "stoppedReason", "Essential container in task exited", "startedBy", "towerless-job-" + t.jobId(),
                "containers", List.of(Map.of("name", "runner", "exitCode", t.exitCode()))));
        return e;
    }

    /** The key that seals credentials, kept across restarts so stored secrets stay readable. */
    private static String secretKey(Path stateDir) throws IOException {
        Path file = stateDir.resolve("secret-key");
        if (!Files.exists(file)) {
            Files.writeString(file, SecretBox.newBase64Key());
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        }
        return Files.readString(file).trim();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.getPort() + "/api/v2/";
    }

    public int port() {
        return server.getPort();
    }

    public String adminToken() {
        return adminToken;
    }

    public ApplicationContext context() {
        return context;
    }

    public ProcessRunnerLauncher launcher() {
        return launcher;
    }

    public Provisioner.Provisioned provisioned() {
        return provisioned;
    }

    @Override
    public void close() {
        timers.shutdownNow();
        pollers.forEach(SqsPoller::close);
        launcher.close();
        try {
            server.stop();
            context.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "error while stopping the API", e);
        }
        emulators.close();
        // Its store read the profile for the whole process: give that back to whatever ran before it
        // (another stack in the same JVM, which would otherwise never see its own setting again).
        if (profileSourceBefore != null) {
            dev.towerless.core.profiling.StoreProfiling.use(profileSourceBefore);
        }
    }
}
