package dev.towerless.local.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.towerless.aws.codec.JsonYamlVariables;
import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoLeaseStore;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.aws.ecs.EcsRunnerLauncher;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.runplane.RatePacer;
import dev.towerless.core.runplane.RunPlaneLauncher;
import dev.towerless.core.scheduling.PassResult;
import dev.towerless.core.scheduling.TaskManager;
import dev.towerless.core.scheduling.TaskManagerSettings;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.testing.RecordingTopic;
import dev.towerless.local.SharedEmulators;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The task manager launching through the real ECS adapter, the jobs in dynalite, and WireMock
 * standing in for ECS (no emulator serves RunTask's throttles): ECS first throttles, then has no
 * capacity, then starts tasks. Every job starts later, exactly once, none ends in error, and the
 * RunTask calls WireMock sees never exceed the configured rate in any second.
 */
class FargateLaunchFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_11 = "application/x-amz-json-1.1";

    private WireMockServer ecs;
    private JobStore jobs;
    private DynamoResourceStore resources;
    private DynamoDbClient dynamo;
    private String prefix;
    private final RecordingTopic lifecycle = new RecordingTopic();
    /** When the client sent each RunTask attempt (System.nanoTime), after the pacer let it go. */
    private final List<Long> sentAt = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Task ARNs handed out, by job id: a job that got two would have started twice. */
    private final Map<Long, List<String>> started = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        ecs = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(16).jettyAcceptors(2));
        ecs.start();
        prefix = SharedEmulators.uniquePrefix();
        dynamo = SharedEmulators.dynamoWithTables(prefix);
        jobs = new DynamoJobStore(dynamo, prefix);
        resources = new DynamoResourceStore(dynamo, prefix);
        resources.insert(new Resource(ResourceTypes.PROJECT, 1, Map.of("name", "p", "scm_revision", "abc123")));
    }

    @AfterEach
    void tearDown() {
        ecs.stop();
    }

    @Test
    void throttlesAndCapacityErrorsDelayEveryJobButStartEachExactlyOnceWithinTheRate() throws Exception {
        double rate = 10;
        int count = 40;
        TaskManager manager = manager(rate);
        List<Long> ids = pendingJobs(count);

        refuse(aResponse().withStatus(400).withHeader("Content-Type", JSON_11)
                .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"));
        Instant begin = Instant.now();
        List<PassResult> passes = new ArrayList<>();
        passes.addAll(passesFor(manager, Duration.ofMillis(1500)));
        refuse(aResponse().withStatus(200).withHeader("Content-Type", JSON_11).withBody("{\"tasks\":[],\"failures\":[{\"reason\":"
                + "\"Capacity is unavailable at this time. Please try again later or in a different availability zone\"}]}"));
        passes.addAll(passesFor(manager, Duration.ofMillis(1500)));
        refuse(aResponse().withStatus(400).withHeader("Content-Type", JSON_11).withBody("{\"__type\":\"ClientException\","
                + "\"message\":\"You've reached the limit on the number of vCPUs you can run concurrently\"}"));
        passes.addAll(passesFor(manager, Duration.ofMillis(1000)));
        assertThat(started).as("nothing started while ECS turned launches away").isEmpty();
        assertThat(ids).allSatisfy(id -> assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.PENDING));
        assertThat(passes.stream().mapToInt(PassResult::deferred).sum()).isPositive();

        accept();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (started.size() < count && System.nanoTime() < deadline) {
            passes.add(manager.schedule());
        }

        for (long id : ids) {
            UnifiedJob j = jobs.find(id).orElseThrow();
            assertThat(j.status()).as("job %d", id).isEqualTo(JobStatus.WAITING);
            assertThat(j.jobExplanation()).as("job %d", id).isEmpty();
            assertThat(started.get(id)).as("job %d started exactly once", id).hasSize(1);
        }
        assertThat(jobs.find(ids.get(0)).orElseThrow().longField(JobFields.LAUNCH_ATTEMPTS).orElse(0L))
                .as("the oldest job was turned away and tried again").isPositive();
        assertThat(lifecycle.published).as("no job ended").isEmpty();
        assertThat(sentAt).as("every request the client sent reached ECS").hasSize(ecs.getAllServeEvents().size());
        assertThat(maxCallsInAnySecond()).as("RunTask calls sent in any one second, SDK retries included")
                .isLessThanOrEqualTo((int) rate);
        assertThat(ecsBucketRanDry(rate)).as("ECS's own accounting of what reached it (a bucket of one second's calls)").isFalse();
        assertThat(Duration.between(begin, Instant.now())).isLessThan(Duration.ofSeconds(60));
    }

    /**
     * Without this, jobs ECS turned away in a burst's last pass waited for the one-minute tick (the
     * 500-launch benchmark's tail). The pass's service sends itself a wake-up 5 s later on the real
     * wake queue (fauxqs); that wake-up, handed to the wake consumer as Lambda would, starts the job.
     */
    @Test
    void aPassWhoseLaunchesWereTurnedAwayWakesTheManagerAgainInSecondsNotAtTheTick() throws Exception {
        software.amazon.awssdk.services.sqs.SqsClient sqs = SharedEmulators.sqs();
        String url = sqs.createQueue(r -> r.queueName(prefix + "wake")).queueUrl();
        dev.towerless.core.ports.MessageQueue wake = new dev.towerless.aws.sqs.SqsMessageQueue(sqs, url);
        dev.towerless.handlers.TaskManagerService service = new dev.towerless.handlers.TaskManagerService(manager(20),
                new dev.towerless.aws.dynamodb.DynamoPassLog(dynamo, prefix), java.time.Clock.systemUTC(), wake);
        long id = pendingJobs(1).get(0);
        refuse(aResponse().withStatus(400).withHeader("Content-Type", JSON_11)
                .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"));
        long passed = System.nanoTime();
        assertThat(service.schedule().deferred()).isEqualTo(1);
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        accept();

        assertThat(wake.receive(10, Duration.ofSeconds(3))).as("nothing before the retry's delay").isEmpty();
        List<dev.towerless.core.ports.MessageQueue.QueueMessage> got = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (got.isEmpty() && System.nanoTime() < deadline) {
            got.addAll(wake.receive(10, Duration.ofSeconds(1)));
        }
        assertThat(got).as("the retry wake-up").singleElement()
                .satisfies(m -> assertThat(m.body()).contains("\"reason\":\"launches_deferred\""));
        assertThat(Duration.ofNanos(System.nanoTime() - passed)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(15));
        com.amazonaws.services.lambda.runtime.events.SQSEvent event = new com.amazonaws.services.lambda.runtime.events.SQSEvent();
        com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage m = new com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage();
        m.setMessageId(got.get(0).messageId());
        m.setBody(got.get(0).body());
        event.setRecords(List.of(m));
        new dev.towerless.handlers.WakeConsumer(service).handle(event);
        assertThat(started.get(id)).as("started by the retry's pass, once").hasSize(1);
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.WAITING);
        assertThat(wake.receive(10, Duration.ofSeconds(6))).as("a pass that deferred nothing asks for no retry").isEmpty();
    }

    @Test
    void aPermanentRefusalFailsTheJobNamingEcssReason() throws Exception {
        TaskManager manager = manager(20);
        long id = pendingJobs(1).get(0);
        refuse(aResponse().withStatus(400).withHeader("Content-Type", JSON_11)
                .withBody("{\"__type\":\"ClientException\",\"message\":\"TaskDefinition is inactive\"}"));
        manager.schedule();
        UnifiedJob j = jobs.find(id).orElseThrow();
        assertThat(j.status()).isEqualTo(JobStatus.ERROR);
        assertThat(j.jobExplanation()).contains("ClientException").contains("TaskDefinition is inactive");
        assertThat(lifecycle.published).hasSize(1);
    }

    private TaskManager manager(double rate) {
        TowerlessConfig config = TowerlessConfig.from(n -> Optional.ofNullable(
                Map.of("AWS_ENDPOINT_URL_ECS", ecs.baseUrl(), "AWS_REGION", "eu-west-1").get(n)));
        EcsRunnerLauncher.EcsRunnerSettings settings = new EcsRunnerLauncher.EcsRunnerSettings("towerless-runners",
                "towerless-runner:7", "runner", List.of("subnet-a", "subnet-b"), List.of("sg-1"), false, Optional.empty(), rate);
        ExecutionInterceptor recordSending = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sentAt.add(System.nanoTime());
            }
        };
        EcsRunnerLauncher starter = new EcsRunnerLauncher(AwsClients.ecs(config,
                EcsRunnerLauncher.pacing(RatePacer.perSecond(rate)), recordSending), settings);
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        RunPlaneLauncher launcher = new RunPlaneLauncher(jobs, resources, SecretBox.fromBase64(Base64.getEncoder().encodeToString(key)),
                new JsonYamlVariables(), starter);
        return new TaskManager(jobs, resources, launcher, new DynamoLeaseStore(dynamo, prefix, Clock.systemUTC()), lifecycle,
                Clock.systemUTC(), TaskManagerSettings.defaults(), () -> "tm-" + UUID.randomUUID());
    }

    /**
     * Replays what reached WireMock through a token bucket holding one second's calls, refilled at
     * {@code rate} (ECS's own holds 100 at 20/s): whether a call arrived to an empty bucket. The
     * arrival times carry this machine's scheduling jitter, which such a bucket absorbs.
     */
    private boolean ecsBucketRanDry(double rate) {
        List<Long> at = ecs.getAllServeEvents().stream().map(e -> e.getRequest().getLoggedDate().getTime()).sorted().toList();
        double tokens = rate;
        long last = at.isEmpty() ? 0 : at.get(0);
        for (long t : at) {
            tokens = Math.min(rate, tokens + (t - last) * rate / 1000.0);
            last = t;
            if (tokens < 1) {
                return true;
            }
            tokens -= 1;
        }
        return false;
    }

    private List<Long> pendingJobs(int count) {
        List<Long> ids = new ArrayList<>();
        Instant t = Instant.now().minusSeconds(count);
        for (int i = 1; i <= count; i++) {
            Map<String, Object> f = new HashMap<>();
            f.put(JobFields.PROJECT, 1L);
            f.put(JobFields.UNIFIED_JOB_TEMPLATE, 1000L + i); // one template each: nothing blocks another
            jobs.insert(UnifiedJob.newPending(i, JobKind.JOB, "job " + i, LaunchType.MANUAL, t.plusSeconds(i), f));
            ids.add((long) i);
        }
        return ids;
    }

    /** Passes, one every 100 ms (wake-ups and ticks), for {@code period}. */
    private static List<PassResult> passesFor(TaskManager manager, Duration period) throws InterruptedException {
        List<PassResult> results = new ArrayList<>();
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            results.add(manager.schedule());
            Thread.sleep(100);
        }
        return results;
    }

    private void refuse(ResponseDefinitionBuilder answer) {
        ecs.resetMappings();
        ecs.stubFor(post(urlEqualTo("/")).willReturn(answer));
    }

    /** From now on ECS starts a task for every RunTask, recording which job it started it for. */
    private void accept() {
        ecs.resetMappings();
        AtomicInteger tasks = new AtomicInteger();
        ecs.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON_11)
                .withBody("{\"tasks\":[{\"taskArn\":\"arn:aws:ecs:eu-west-1:1:task/towerless-runners/t\"}],\"failures\":[]}")));
        ecs.addMockServiceRequestListener((request, response) -> {
            if (response.getStatus() == 200 && response.getBodyAsString().contains("taskArn")) {
                try {
                    JsonNode body = JSON.readTree(request.getBodyAsString());
                    long job = Long.parseLong(body.get("startedBy").asText().substring("towerless-job-".length()));
                    started.computeIfAbsent(job, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add("task-" + tasks.incrementAndGet() + " token " + body.get("clientToken").asText());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
    }

    /** The most RunTask requests the client sent within any one second (a sliding window). */
    private int maxCallsInAnySecond() {
        List<Long> at = sentAt.stream().map(n -> n / 1_000_000).sorted().toList();
        int max = 0;
        int from = 0;
        for (int to = 0; to < at.size(); to++) {
            while (at.get(to) - at.get(from) >= 1000) {
                from++;
            }
            max = Math.max(max, to - from + 1);
        }
        return max;
    }
}
