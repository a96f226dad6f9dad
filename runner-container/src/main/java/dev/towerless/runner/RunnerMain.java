package dev.towerless.runner;

import dev.towerless.aws.codec.JsonYamlVariables;
import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.dynamodb.DynamoEventStore;
import dev.towerless.aws.dynamodb.DynamoHeartbeatStore;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.aws.ecs.EcsRunnerLauncher;
import dev.towerless.aws.sns.SnsTopic;
import dev.towerless.core.jobs.JobStatus;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The runner container's entry point. Reads the same environment contract as the functions
 * plus {@code TOWERLESS_JOB_ID} and the job's run key, runs that one job and exits: 0 when the
 * job reached a final status (whatever it is), 2 when the runner itself could not start. It never
 * reads the sealing key: the job's secrets come sealed under the run key (docs/security.md).
 */
public final class RunnerMain {
    public static final String RUNNER_ID_ENV = "TOWERLESS_RUNNER_ID";
    /** Set by the local launcher; on ECS the task ARN comes from the task metadata endpoint. */
    public static final String RUNNER_TASK_ENV = "TOWERLESS_RUNNER_TASK";

    private RunnerMain() {
    }

    public static void main(String[] args) {
        String jobIdText = args.length > 0 ? args[0] : System.getenv(EcsRunnerLauncher.JOB_ID_ENV);
        if (jobIdText == null || !jobIdText.matches("\\d+")) {
            System.err.println("usage: runner <job id> (or set " + EcsRunnerLauncher.JOB_ID_ENV + ")");
            System.exit(2);
        }
        TowerlessConfig config = TowerlessConfig.fromEnvironment();
        String runnerId = Optional.ofNullable(System.getenv(RUNNER_ID_ENV))
                .orElse("runner-" + ProcessHandle.current().pid());
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(config);
             SnsClient sns = AwsClients.sns(config);
             DynamoEventStore events = new DynamoEventStore(dynamo, config.prefix())) {
            DynamoResourceStore resources = new DynamoResourceStore(dynamo, config.prefix());
            // The run's store calls are profiled while the settings say so (read again every 10 s).
            dev.towerless.core.profiling.StoreProfiling.readSettingsOf(resources, Clock.systemUTC());
            JobRunner runner = new JobRunner(new DynamoJobStore(dynamo, config.prefix()),
                    new DynamoHeartbeatStore(dynamo, config.prefix(), Clock.systemUTC()), resources, events,
                    new SnsTopic(sns, config.lifecycleTopicArn()), runKey(), new JsonYamlVariables(),
                    Clock.systemUTC(), runnerId, config.liveness().heartbeatPeriod(), runnerTask());
            Optional<JobStatus> status = runner.run(Long.parseLong(jobIdText));
            System.err.println("job " + jobIdText + ": " + status.map(JobStatus::apiName).orElse("nothing to do"));
        }
    }

    /** The ECS task ARN (ECS_CONTAINER_METADATA_URI_V4/task), or what the local launcher passed. */
    static String runnerTask() {
        String local = System.getenv(RUNNER_TASK_ENV);
        if (local != null && !local.isBlank()) {
            return local;
        }
        String metadata = System.getenv("ECS_CONTAINER_METADATA_URI_V4");
        if (metadata == null) {
            return "";
        }
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var resp = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metadata + "/task"))
                    .timeout(java.time.Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            Object arn = new com.fasterxml.jackson.databind.ObjectMapper().readValue(resp.body(), java.util.Map.class).get("TaskARN");
            return arn == null ? "" : arn.toString();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * The key that opens this job's sealed secrets: from the ECS task's environment overrides, or,
     * locally, the first line on stdin (so it never sits in this process's environment).
     */
    static Optional<String> runKey() {
        String fromEnv = System.getenv(EcsRunnerLauncher.RUN_KEY_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.trim());
        }
        try {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.US_ASCII));
            String line = in.readLine();
            return line == null || line.isBlank() ? Optional.empty() : Optional.of(line.trim());
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
