package dev.towerless.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.ports.RunnerLauncher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** No emulator runs ECS here, so the RunTask request is checked against the API's wire shape. */
class EcsRunnerLauncherTest {
    private static WireMockServer ecs;
    private static EcsRunnerLauncher launcher;

    @BeforeAll
    static void start() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        ecs = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        ecs.start();
        TowerlessConfig config = TowerlessConfig.from(n -> Optional.ofNullable(
                Map.of("AWS_ENDPOINT_URL_ECS", ecs.baseUrl(), "AWS_REGION", "eu-west-1").get(n)));
        launcher = new EcsRunnerLauncher(AwsClients.ecs(config), new EcsRunnerLauncher.EcsRunnerSettings(
                "towerless-runners", "towerless-runner:7", "runner", List.of("subnet-a", "subnet-b"), List.of("sg-1"), false,
                Optional.of("towerless-system-job:3")));
    }

    @AfterAll
    static void stop() {
        ecs.stop();
    }

    @BeforeEach
    void reset() {
        ecs.resetAll();
    }

    @Test
    void aReapedJobsTaskIsStoppedWithTheReapersReasonAndATaskAlreadyGoneIsNoError() {
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody("{\"task\":{}}")));
        launcher.stop("arn:aws:ecs:eu-west-1:1:task/towerless-runners/abc", "Job reaped: " + "x".repeat(300));
        ecs.verify(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonEC2ContainerServiceV20141113.StopTask"))
                .withRequestBody(equalToJson("{\"cluster\": \"towerless-runners\", \"task\": "
                        + "\"arn:aws:ecs:eu-west-1:1:task/towerless-runners/abc\", \"reason\": \"Job reaped: " + "x".repeat(243) + "\"}")));

        ecs.resetAll();
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"InvalidParameterException\",\"message\":\"The referenced task was not found.\"}")));
        launcher.stop("arn:aws:ecs:eu-west-1:1:task/towerless-runners/gone", "Job reaped");
        launcher.stop("local-task/1234", "not ECS's");
        ecs.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void runsOneFargateTaskWithTheJobIdAndItsRunKeyInTheContainerEnvironment() throws Exception {
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"tasks\":[{\"taskArn\":\"arn:aws:ecs:eu-west-1:1:task/towerless-runners/abc\"}],\"failures\":[]}")));

        assertThat(launcher.start(42, JobKind.JOB, Optional.of("per-job-key"))).isEqualTo("arn:aws:ecs:eu-west-1:1:task/towerless-runners/abc");

        ecs.verify(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonEC2ContainerServiceV20141113.RunTask"))
                .withRequestBody(equalToJson("""
                        {
                          "cluster": "towerless-runners",
                          "taskDefinition": "towerless-runner:7",
                          "launchType": "FARGATE",
                          "count": 1,
                          "startedBy": "towerless-job-42",
                          "clientToken": "towerless-job-42",
                          "networkConfiguration": {"awsvpcConfiguration": {
                            "subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"}},
                          "overrides": {"containerOverrides": [{
                            "name": "runner",
                            "environment": [{"name": "TOWERLESS_JOB_ID", "value": "42"},
                                            {"name": "TOWERLESS_RUN_KEY", "value": "per-job-key"}]}]}
                        }""")));
    }

    @Test
    void aSystemJobRunsFromItsOwnTaskDefinitionWithNoKey() throws Exception {
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"tasks\":[{\"taskArn\":\"arn:aws:ecs:eu-west-1:1:task/towerless-runners/sys\"}],\"failures\":[]}")));
        launcher.start(43, JobKind.SYSTEM_JOB, Optional.empty());
        ecs.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(equalToJson("""
                {"taskDefinition": "towerless-system-job:3",
                 "overrides": {"containerOverrides": [{"name": "runner",
                   "environment": [{"name": "TOWERLESS_JOB_ID", "value": "43"}]}]}}""", true, true)));
    }

    @Test
    void aPlacementFailureForWantOfCapacityIsForNowWithEcssReason() {
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"tasks\":[],\"failures\":[{\"reason\":\"RESOURCE:MEMORY\",\"detail\":\"capacity\"}]}")));
        assertThat(outcome(7)).isEqualTo(RunnerLauncher.LaunchException.Outcome.RETRY_LATER);
        assertThatThrownBy(() -> launcher.start(7, JobKind.JOB, Optional.of("k"))).hasMessageContaining("RESOURCE:MEMORY");
    }

    @Test
    void anApiErrorIsALaunchFailureNamingEcssReasonNotACrash() {
        stubError(400, "ClusterNotFoundException", "Cluster not found.");
        assertThatThrownBy(() -> launcher.start(8, JobKind.JOB, Optional.of("k"))).isInstanceOf(RunnerLauncher.LaunchException.class)
                .hasMessageContaining("ClusterNotFoundException").hasMessageContaining("Cluster not found");
        assertThat(outcome(8)).isEqualTo(RunnerLauncher.LaunchException.Outcome.FAILED);
    }

    @Test
    void aBadTaskDefinitionFailsTheJob() {
        stubError(400, "ClientException", "TaskDefinition is inactive");
        assertThat(outcome(9)).isEqualTo(RunnerLauncher.LaunchException.Outcome.FAILED);
    }

    @Test
    void throttlesNoCapacityAndTheVcpuQuotaAreForNow() {
        stubError(400, "ThrottlingException", "Rate exceeded");
        assertThat(outcome(10)).isEqualTo(RunnerLauncher.LaunchException.Outcome.RETRY_LATER);
        stubError(400, "ClientException", "Capacity is unavailable at this time. Please try again later or in a different availability zone");
        assertThat(outcome(11)).isEqualTo(RunnerLauncher.LaunchException.Outcome.RETRY_LATER);
        stubError(400, "ClientException", "You've reached the limit on the number of vCPUs you can run concurrently");
        assertThat(outcome(12)).isEqualTo(RunnerLauncher.LaunchException.Outcome.RETRY_LATER);
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"tasks\":[],\"failures\":[{\"reason\":\"Capacity is unavailable at this time. Please try again later or in a different availability zone\"}]}")));
        assertThat(outcome(13)).isEqualTo(RunnerLauncher.LaunchException.Outcome.RETRY_LATER);
    }

    @Test
    void anEcsServerErrorLeavesTheOutcomeUnknownBecauseTheTaskMayHaveStarted() {
        stubError(500, "ServerException", "internal error");
        assertThat(outcome(14)).isEqualTo(RunnerLauncher.LaunchException.Outcome.UNKNOWN);
    }

    @Test
    void aLaterAttemptIsANewRequestToEcs() throws Exception {
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"tasks\":[{\"taskArn\":\"arn:aws:ecs:eu-west-1:1:task/towerless-runners/abc\"}],\"failures\":[]}")));
        launcher.start(42, JobKind.JOB, 2, Optional.of("k"));
        ecs.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(equalToJson("{\"clientToken\": \"towerless-job-42-2\"}", true, true)));
    }

    @Test
    void everyRunTaskAttemptTheSdkSendsWaitsForTheSharedPacer() throws Exception {
        java.util.concurrent.atomic.AtomicInteger permits = new java.util.concurrent.atomic.AtomicInteger();
        TowerlessConfig config = TowerlessConfig.from(n -> Optional.ofNullable(
                Map.of("AWS_ENDPOINT_URL_ECS", ecs.baseUrl(), "AWS_REGION", "eu-west-1").get(n)));
        EcsRunnerLauncher paced = new EcsRunnerLauncher(AwsClients.ecs(config, EcsRunnerLauncher.pacing(() -> permits.incrementAndGet())),
                new EcsRunnerLauncher.EcsRunnerSettings("c", "td", "runner", List.of("s"), List.of("g"), false));
        stubError(400, "ThrottlingException", "Rate exceeded");
        assertThatThrownBy(() -> paced.start(1, JobKind.JOB, Optional.of("k"))).isInstanceOf(RunnerLauncher.LaunchException.class);
        int sent = ecs.getAllServeEvents().size();
        assertThat(sent).as("the SDK retried the throttle").isGreaterThan(1);
        assertThat(permits.get()).as("one permit per request sent").isEqualTo(sent);
    }

    private void stubError(int status, String type, String message) {
        ecs.resetAll();
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}")));
    }

    private static RunnerLauncher.LaunchException.Outcome outcome(long job) {
        try {
            launcher.start(job, JobKind.JOB, Optional.of("k"));
        } catch (RunnerLauncher.LaunchException e) {
            return e.outcome();
        }
        throw new AssertionError("the launch succeeded");
    }
}
