package dev.towerless.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.codec.JsonYamlVariables;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.aws.sqs.SqsMessageQueue;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.schedules.Scheduler;
import dev.towerless.core.workflows.WorkflowManager;
import dev.towerless.core.security.SecretBox;
import dev.towerless.local.SharedEmulators;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Four scheduler passes at once over real DynamoDB conditional writes (dynalite): every due
 * occurrence is launched exactly once, and every schedule moves on to its next run.
 */
class SchedulerRaceTest {
    private static final int SCHEDULES = 24;

    @Test
    void passesRacingOverDueSchedulesLaunchEachOccurrenceOnce() throws Exception {
        String prefix = SharedEmulators.uniquePrefix();
        DynamoDbClient dynamo = SharedEmulators.dynamoWithTables(prefix);
        ResourceStore resources = new DynamoResourceStore(dynamo, prefix);
        JobStore jobs = new DynamoJobStore(dynamo, prefix);
        List<String> announced = Collections.synchronizedList(new ArrayList<>());
        software.amazon.awssdk.services.sqs.SqsClient sqs = SharedEmulators.sqs();
        SqsMessageQueue wake = new SqsMessageQueue(sqs, sqs.createQueue(r -> r.queueName(prefix + "wake")).queueUrl());
        LaunchService launches = new LaunchService(jobs, resources, wake, new JsonYamlVariables(),
                Clock.systemUTC(), new SecretBox(new byte[32]));
        Resource template = resources.insert(new Resource(ResourceTypes.SYSTEM_JOB_TEMPLATE, 7, Map.of(
                "name", "Cleanup Expired OAuth 2 Tokens", "job_type", "cleanup_tokens")));
        String due = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString();
        List<Long> schedules = new ArrayList<>();
        for (int i = 0; i < SCHEDULES; i++) {
            schedules.add(resources.create(ResourceTypes.SCHEDULE, new HashMap<>(Map.of("name", "race-" + i,
                    "enabled", true, "unified_job_template", template.id(), "next_run", due, "extra_data", Map.of(),
                    "rrule", "DTSTART:20260101T000000Z RRULE:FREQ=DAILY;INTERVAL=1"))).id());
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Scheduler.Result>> passes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            passes.add(pool.submit(() -> {
                go.await();
                return new Scheduler(resources, jobs, launches, new WorkflowManager(jobs, resources, launches,
                        new JsonYamlVariables(), announced::add, Clock.systemUTC(), id -> { }), announced::add,
                        Clock.systemUTC()).runPass();
            }));
        }
        go.countDown();
        int launched = 0;
        for (Future<Scheduler.Result> p : passes) {
            launched += p.get(60, TimeUnit.SECONDS).launched();
        }
        pool.shutdown();

        Map<Long, Integer> runs = new HashMap<>();
        for (UnifiedJob j : jobs.ofTemplate(template.id(), 500)) {
            j.longField(JobFields.SCHEDULE).ifPresent(s -> runs.merge(s, 1, Integer::sum));
        }
        assertThat(launched).isEqualTo(SCHEDULES);
        assertThat(runs).as("every schedule launched, none twice").hasSize(SCHEDULES)
                .allSatisfy((s, n) -> assertThat(n).isEqualTo(1));
        for (long s : schedules) {
            Resource after = resources.get(ResourceTypes.SCHEDULE, s).orElseThrow();
            assertThat(Instant.parse(after.get("next_run").toString())).isAfter(Instant.now());
            assertThat(after.get("launching")).isNull();
        }
        assertThat(announced).as("no run was refused").isEmpty();
    }
}
