package dev.towerless.aws.config;

import dev.towerless.aws.ecs.EcsRunnerLauncher.EcsRunnerSettings;
import dev.towerless.core.liveness.LivenessSettings;
import java.time.Duration;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The environment contract shared by every function and the runner. On AWS the CDK stack sets
 * these variables; the embedded local stack sets the same ones (with endpoint overrides), which
 * is how the code cannot tell which world it runs in.
 */
public record TowerlessConfig(
        String prefix,
        String region,
        Optional<URI> dynamodbEndpoint,
        Optional<URI> sqsEndpoint,
        Optional<URI> snsEndpoint,
        Optional<URI> ecsEndpoint,
        String wakeQueueUrl,
        String lifecycleTopicArn,
        Optional<String> secretKey,
        Optional<EcsRunnerSettings> ecs,
        LivenessSettings liveness,
        Optional<String> adminPasswordArn,
        Optional<String> secretKeyArn) {

    public static final String PREFIX = "TOWERLESS_PREFIX";
    public static final String WAKE_QUEUE_URL = "TOWERLESS_WAKE_QUEUE_URL";
    public static final String LIFECYCLE_TOPIC_ARN = "TOWERLESS_LIFECYCLE_TOPIC_ARN";
    /** Where inventories marked dirty queue their recompute (Messaging.INVENTORIES); read by TowerlessFactory. */
    public static final String INVENTORIES_QUEUE_URL = "TOWERLESS_INVENTORIES_QUEUE_URL";
    /** The resource-tasks queue (Messaging.RESOURCE_TASKS): background deletes and deep copies. */
    public static final String RESOURCE_TASKS_QUEUE_URL = "TOWERLESS_RESOURCE_TASKS_QUEUE_URL";
    public static final String SECRET_KEY = "TOWERLESS_SECRET_KEY";
    /** On AWS the key stays in Secrets Manager; functions and runners read it by ARN at start. */
    public static final String SECRET_KEY_ARN = "TOWERLESS_SECRET_KEY_ARN";
    /** The first admin's password on AWS (a Secrets Manager secret the stack generates). */
    public static final String ADMIN_PASSWORD_ARN = "TOWERLESS_ADMIN_PASSWORD_ARN";
    public static final String ECS_CLUSTER = "TOWERLESS_ECS_CLUSTER";
    public static final String RUNNER_TASK_DEFINITION = "TOWERLESS_RUNNER_TASK_DEFINITION";
    public static final String RUNNER_CONTAINER = "TOWERLESS_RUNNER_CONTAINER";
    /** The task definition system jobs run from (its role cleans up jobs and tokens; it runs no ansible). */
    public static final String SYSTEM_JOB_TASK_DEFINITION = "TOWERLESS_SYSTEM_JOB_TASK_DEFINITION";
    public static final String RUNNER_SUBNETS = "TOWERLESS_RUNNER_SUBNETS";
    public static final String RUNNER_SECURITY_GROUPS = "TOWERLESS_RUNNER_SECURITY_GROUPS";
    public static final String RUNNER_PUBLIC_IP = "TOWERLESS_RUNNER_PUBLIC_IP";
    /** RunTask calls a second the launcher allows itself (Fargate's account rate is 20; others share it). */
    public static final String RUN_TASK_RATE = "TOWERLESS_RUN_TASK_RATE";
    public static final String HEARTBEAT_SECONDS = "TOWERLESS_HEARTBEAT_SECONDS";
    public static final String MISSED_HEARTBEATS = "TOWERLESS_MISSED_HEARTBEATS";
    public static final String WAITING_GRACE_SECONDS = "TOWERLESS_WAITING_GRACE_SECONDS";
    public static final String CANCEL_GRACE_SECONDS = "TOWERLESS_CANCEL_GRACE_SECONDS";
    public static final List<String> ALL_NAMES = List.of(PREFIX, WAKE_QUEUE_URL, LIFECYCLE_TOPIC_ARN, SECRET_KEY, SECRET_KEY_ARN, ADMIN_PASSWORD_ARN,
            ECS_CLUSTER, RUNNER_TASK_DEFINITION, RUNNER_CONTAINER, SYSTEM_JOB_TASK_DEFINITION, RUNNER_SUBNETS, RUNNER_SECURITY_GROUPS,
            RUNNER_PUBLIC_IP, RUN_TASK_RATE, HEARTBEAT_SECONDS, MISSED_HEARTBEATS, WAITING_GRACE_SECONDS, CANCEL_GRACE_SECONDS, "AWS_REGION", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS",
            "AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_ECS");

    /** Reads the contract through {@code lookup} (environment variable names). */
    public static TowerlessConfig from(Function<String, Optional<String>> lookup) {
        Function<String, Optional<String>> get = name -> lookup.apply(name).filter(v -> !v.isBlank());
        Optional<EcsRunnerSettings> ecs = get.apply(ECS_CLUSTER).map(cluster -> new EcsRunnerSettings(cluster,
                get.apply(RUNNER_TASK_DEFINITION).orElseThrow(() -> missing(RUNNER_TASK_DEFINITION)),
                get.apply(RUNNER_CONTAINER).orElse("runner"),
                list(get.apply(RUNNER_SUBNETS)), list(get.apply(RUNNER_SECURITY_GROUPS)),
                get.apply(RUNNER_PUBLIC_IP).map(Boolean::parseBoolean).orElse(false),
                get.apply(SYSTEM_JOB_TASK_DEFINITION),
                get.apply(RUN_TASK_RATE).map(Double::parseDouble).orElse(EcsRunnerSettings.DEFAULT_RUN_TASK_RATE)));
        return new TowerlessConfig(
                get.apply(PREFIX).orElse("towerless-"),
                get.apply("AWS_REGION").orElse("us-east-1"),
                get.apply("AWS_ENDPOINT_URL_DYNAMODB").map(URI::create),
                get.apply("AWS_ENDPOINT_URL_SQS").map(URI::create),
                get.apply("AWS_ENDPOINT_URL_SNS").map(URI::create),
                get.apply("AWS_ENDPOINT_URL_ECS").map(URI::create),
                get.apply(WAKE_QUEUE_URL).orElse(""),
                get.apply(LIFECYCLE_TOPIC_ARN).orElse(""),
                // Only a key given as such; one in Secrets Manager is read on first use (sealingKey()), not here: this
                // runs during a function's init, which SnapStart snapshots.
                get.apply(SECRET_KEY),
                ecs,
                liveness(get),
                get.apply(ADMIN_PASSWORD_ARN),
                get.apply(SECRET_KEY_ARN));
    }

    /**
     * The sealing key: the one given as {@link #SECRET_KEY}, else a read of {@link #SECRET_KEY_ARN}
     * from Secrets Manager, made when this is called (a SecretBox's first use: SecretBox.lazy).
     */
    public Optional<java.util.function.Supplier<String>> sealingKey() {
        if (secretKey.isPresent()) {
            String k = secretKey.get();
            return Optional.of(() -> k);
        }
        return secretKeyArn.map(arn -> () -> AwsClients.secretValue(region, arn));
    }

    private static LivenessSettings liveness(Function<String, Optional<String>> get) {
        LivenessSettings d = LivenessSettings.defaults();
        return new LivenessSettings(
                get.apply(HEARTBEAT_SECONDS).map(TowerlessConfig::seconds).orElse(d.heartbeatPeriod()),
                get.apply(MISSED_HEARTBEATS).map(Integer::parseInt).orElse(d.missedHeartbeats()),
                get.apply(WAITING_GRACE_SECONDS).map(TowerlessConfig::seconds).orElse(d.waitingGrace()),
                get.apply(CANCEL_GRACE_SECONDS).map(TowerlessConfig::seconds).orElse(d.cancelGrace()));
    }

    /** Seconds, fractions allowed ("0.5"), for settings tests shorten. */
    private static Duration seconds(String value) {
        return Duration.ofMillis(Math.round(Double.parseDouble(value.trim()) * 1000));
    }

    public static TowerlessConfig fromEnvironment() {
        return from(name -> Optional.ofNullable(System.getenv(name)));
    }

    private static List<String> list(Optional<String> csv) {
        return csv.map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()).orElse(List.of());
    }

    private static IllegalStateException missing(String name) {
        return new IllegalStateException("environment variable " + name + " is required");
    }
}
