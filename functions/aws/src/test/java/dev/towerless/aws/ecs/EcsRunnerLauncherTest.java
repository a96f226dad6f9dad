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
    void aPlacementFailureIsALaunchFailureWithEcssReason() {
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"tasks\":[],\"failures\":[{\"reason\":\"RESOURCE:MEMORY\",\"detail\":\"capacity\"}]}")));
        assertThatThrownBy(() -> launcher.start(7, JobKind.JOB, Optional.of("k"))).isInstanceOf(RunnerLauncher.LaunchException.class)
                .hasMessageContaining("RESOURCE:MEMORY");
    }

    @Test
    void anApiErrorIsALaunchFailureNotACrash() {
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"ClusterNotFoundException\",\"message\":\"Cluster not found.\"}")));
        assertThatThrownBy(() -> launcher.start(8, JobKind.JOB, Optional.of("k"))).isInstanceOf(RunnerLauncher.LaunchException.class)
                .hasMessageContaining("Cluster not found");
    }
}
