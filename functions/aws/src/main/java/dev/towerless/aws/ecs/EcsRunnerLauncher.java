package dev.towerless.aws.ecs;

import dev.towerless.core.ports.RunnerLauncher;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * Starts a runner as a Fargate task. The job id travels in the container's environment; the
 * client token makes a retried RunTask for the same job start one task, not two.
 */
public final class EcsRunnerLauncher implements RunnerLauncher {
    public static final String JOB_ID_ENV = "TOWERLESS_JOB_ID";

    private final EcsClient ecs;
    private final EcsRunnerSettings settings;

    public EcsRunnerLauncher(EcsClient ecs, EcsRunnerSettings settings) {
        this.ecs = ecs;
        this.settings = settings;
    }

    @Override
    public String launch(long jobId) throws LaunchException {
        RunTaskResponse resp;
        try {
            resp = ecs.runTask(r -> r.cluster(settings.cluster())
                    .taskDefinition(settings.taskDefinition())
                    .launchType(LaunchType.FARGATE)
                    .count(1)
                    .startedBy("towerless-job-" + jobId)
                    .clientToken("towerless-job-" + jobId)
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(settings.subnets())
                            .securityGroups(settings.securityGroups())
                            .assignPublicIp(settings.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)))
                    .overrides(o -> o.containerOverrides(c -> c.name(settings.containerName())
                            .environment(KeyValuePair.builder().name(JOB_ID_ENV).value(Long.toString(jobId)).build()))));
        } catch (SdkException e) {
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

    /** Where and how runner tasks start. */
    public record EcsRunnerSettings(String cluster, String taskDefinition, String containerName,
                                    List<String> subnets, List<String> securityGroups, boolean assignPublicIp) {
    }
}
