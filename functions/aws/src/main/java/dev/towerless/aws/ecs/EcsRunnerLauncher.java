package dev.towerless.aws.ecs;

import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.ports.RunnerLauncher.LaunchException;
import dev.towerless.core.ports.RunnerStarter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * Starts a runner as a Fargate task. The job id and the job's run key travel in the container's
 * environment overrides; the client token makes a retried RunTask for the same job start one
 * task, not two. System jobs (no user code, no key) start from their own task definition, whose
 * role may clean up jobs and tokens; every other job from the runner's, whose role may not.
 */
public final class EcsRunnerLauncher implements RunnerStarter {
    public static final String JOB_ID_ENV = "TOWERLESS_JOB_ID";
    /**
     * The per-job key that opens the job's sealed secrets (core/runplane/RunSecrets). It opens
     * only that job's bundle, which is removed from the job when it finishes (docs/security.md).
     */
    public static final String RUN_KEY_ENV = "TOWERLESS_RUN_KEY";

    private final EcsClient ecs;
    private final EcsRunnerSettings settings;

    public EcsRunnerLauncher(EcsClient ecs, EcsRunnerSettings settings) {
        this.ecs = ecs;
        this.settings = settings;
    }

    @Override
    public String start(long jobId, JobKind kind, Optional<String> runKey) throws LaunchException {
        String taskDefinition = kind == JobKind.SYSTEM_JOB ? settings.systemJobTaskDefinition().orElse(settings.taskDefinition())
                : settings.taskDefinition();
        List<KeyValuePair> environment = new ArrayList<>();
        environment.add(KeyValuePair.builder().name(JOB_ID_ENV).value(Long.toString(jobId)).build());
        runKey.ifPresent(k -> environment.add(KeyValuePair.builder().name(RUN_KEY_ENV).value(k).build()));
        RunTaskResponse resp;
        try {
            resp = ecs.runTask(r -> r.cluster(settings.cluster())
                    .taskDefinition(taskDefinition)
                    .launchType(LaunchType.FARGATE)
                    .count(1)
                    .startedBy("towerless-job-" + jobId)
                    .clientToken("towerless-job-" + jobId)
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(settings.subnets())
                            .securityGroups(settings.securityGroups())
                            .assignPublicIp(settings.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)))
                    .overrides(o -> o.containerOverrides(c -> c.name(settings.containerName()).environment(environment))));
        } catch (SdkException e) {
            // The SDK's message names the service's reply, never the request (which holds the run key).
            throw new LaunchException("ECS RunTask failed: " + e.getMessage(), e);
        }
        if (!resp.failures().isEmpty()) {
            var f = resp.failures().get(0);
            throw new LaunchException("ECS could not place the runner task: " + f.reason()
                    + (f.detail() == null ? "" : " (" + f.detail() + ")"), null);
        }
        if (resp.tasks().isEmpty()) {
            throw new LaunchException("ECS RunTask returned no task", null);
        }
        return resp.tasks().get(0).taskArn();
    }

    /** Where and how runner tasks start; system jobs use their own task definition when one is set. */
    public record EcsRunnerSettings(String cluster, String taskDefinition, String containerName,
                                    List<String> subnets, List<String> securityGroups, boolean assignPublicIp,
                                    Optional<String> systemJobTaskDefinition) {
        public EcsRunnerSettings(String cluster, String taskDefinition, String containerName,
                                 List<String> subnets, List<String> securityGroups, boolean assignPublicIp) {
            this(cluster, taskDefinition, containerName, subnets, securityGroups, assignPublicIp, Optional.empty());
        }
    }
}
