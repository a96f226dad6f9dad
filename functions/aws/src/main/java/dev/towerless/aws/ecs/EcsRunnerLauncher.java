package dev.towerless.aws.ecs;

import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.ports.RunnerLauncher.LaunchException;
import dev.towerless.core.ports.RunnerStarter;
import dev.towerless.core.runplane.RatePacer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
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
 *
 * <p>What ECS answers decides the job's fate ({@link #classify}): a throttle, no capacity or a
 * quota reached are for now ({@code RETRY_LATER}: the job goes back to pending and a later pass
 * starts it, with the next attempt's client token); a bad request (task definition, cluster,
 * role, subnets) fails the job naming ECS's reason; no answer at all ({@code UNKNOWN}) leaves it
 * waiting, because the task may have started. The client's RunTask calls, the SDK's own retries
 * included, go through {@link #pacing(RatePacer)}, so they stay under the account's rate.
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
        return start(jobId, kind, 0, runKey);
    }

    /** The client token of a job's {@code attempt}-th launch: a repeat of one attempt starts one task. */
    public static String clientToken(long jobId, int attempt) {
        return "towerless-job-" + jobId + (attempt == 0 ? "" : "-" + attempt);
    }

    /**
     * Paces every RunTask attempt this client sends, the SDK's retries included, through one
     * shared pacer: the calls of one pass (and of the passes after it in this container).
     */
    public static ExecutionInterceptor pacing(RatePacer pacer) {
        return pacing(pacer::acquire);
    }

    /** Something that makes a caller wait its turn (a {@link RatePacer}). */
    @FunctionalInterface
    public interface Permits {
        void take() throws InterruptedException;
    }

    public static ExecutionInterceptor pacing(Permits pacer) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if ("RunTask".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                    try {
                        pacer.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw SdkClientException.create("interrupted while pacing RunTask", e);
                    }
                }
            }
        };
    }

    @Override
    public String start(long jobId, JobKind kind, int attempt, Optional<String> runKey) throws LaunchException {
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
                    .clientToken(clientToken(jobId, attempt))
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(settings.subnets())
                            .securityGroups(settings.securityGroups())
                            .assignPublicIp(settings.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)))
                    .overrides(o -> o.containerOverrides(c -> c.name(settings.containerName()).environment(environment))));
        } catch (SdkException e) {
            throw classify(e);
        }
        if (!resp.failures().isEmpty()) {
            var f = resp.failures().get(0);
            String reason = f.reason() + (f.detail() == null ? "" : " (" + f.detail() + ")");
            String message = "ECS could not place the runner task: " + reason;
            throw transientReason(reason) ? LaunchException.retryLater(message, null) : new LaunchException(message, null);
        }
        if (resp.tasks().isEmpty()) {
            throw new LaunchException("ECS RunTask returned no task", null);
        }
        return resp.tasks().get(0).taskArn();
    }

    /** ECS StopTask of a runner whose job the reaper ended; the task's ephemeral storage (checkout, private files) goes with it. */
    @Override
    public void stop(String task, String reason) {
        if (!task.startsWith("arn:")) {
            return; // not an ECS task (a runner started elsewhere)
        }
        String why = reason.length() > 255 ? reason.substring(0, 255) : reason; // StopTask's limit
        try {
            ecs.stopTask(r -> r.cluster(settings.cluster()).task(task).reason(why));
        } catch (software.amazon.awssdk.services.ecs.model.InvalidParameterException
                 | software.amazon.awssdk.services.ecs.model.ClusterNotFoundException gone) {
            // the task is no longer known: it stopped on its own
        }
    }

    /**
     * What an SDK failure means for the job. The SDK's message names the service's reply, never
     * the request (which holds the run key), so it may go into the job's explanation.
     */
    static LaunchException classify(SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? "" : String.valueOf(service.awsErrorDetails().errorCode());
            String message = service.awsErrorDetails() == null ? e.getMessage() : service.awsErrorDetails().errorMessage();
            String text = "ECS RunTask refused: " + code + ": " + message;
            if (service.isThrottlingException() || THROTTLING_CODES.contains(code) || transientReason(message)) {
                return LaunchException.retryLater(text, e);
            }
            if (service.statusCode() >= 500) {
                // ECS's own fault after the SDK's retries: it may or may not have started the task.
                return LaunchException.outcomeUnknown(text, e);
            }
            return new LaunchException(text, e);
        }
        // No answer (timeout, connection reset): the task may have started, so the job waits for it.
        return LaunchException.outcomeUnknown("ECS RunTask did not answer: " + e.getMessage(), e);
    }

    private static final List<String> THROTTLING_CODES = List.of("ThrottlingException", "Throttling", "ThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded");

    /**
     * ECS's words for "not now": Fargate out of capacity in the subnets' zones, the account's
     * concurrent vCPU quota reached, the rate exceeded, an EC2 cluster short of CPU or memory.
     */
    static boolean transientReason(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        return r.contains("capacity is unavailable") || r.contains("limit on the number of vcpus")
                || r.contains("rate exceeded") || r.contains("try again later") || r.startsWith("resource:");
    }

    /**
     * Where and how runner tasks start; system jobs use their own task definition when one is set.
     * {@code runTaskRate} caps RunTask calls a second ({@link #pacing}).
     */
    public record EcsRunnerSettings(String cluster, String taskDefinition, String containerName,
                                    List<String> subnets, List<String> securityGroups, boolean assignPublicIp,
                                    Optional<String> systemJobTaskDefinition, double runTaskRate) {
        /** Fargate's RunTask rate per account and Region (docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html). */
        public static final double DEFAULT_RUN_TASK_RATE = 20;

        public EcsRunnerSettings(String cluster, String taskDefinition, String containerName,
                                 List<String> subnets, List<String> securityGroups, boolean assignPublicIp,
                                 Optional<String> systemJobTaskDefinition) {
            this(cluster, taskDefinition, containerName, subnets, securityGroups, assignPublicIp, systemJobTaskDefinition,
                    DEFAULT_RUN_TASK_RATE);
        }

        public EcsRunnerSettings(String cluster, String taskDefinition, String containerName,
                                 List<String> subnets, List<String> securityGroups, boolean assignPublicIp) {
            this(cluster, taskDefinition, containerName, subnets, securityGroups, assignPublicIp, Optional.empty());
        }
    }
}
