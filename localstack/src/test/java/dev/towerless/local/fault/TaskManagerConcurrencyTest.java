package dev.towerless.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoLeaseStore;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.WakeMessage;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.RunnerLauncher;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.scheduling.TaskManager;
import dev.towerless.core.scheduling.TaskManagerSettings;
import dev.towerless.aws.dynamodb.DynamoPassLog;
import dev.towerless.handlers.TaskManagerService;
import dev.towerless.handlers.WakeConsumer;
import dev.towerless.local.SharedEmulators;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Two task managers against one store never start a job twice, with or without the lease;
 * duplicate and malformed wake messages change nothing.
 */
class TaskManagerConcurrencyTest {
    private static final int JOBS = 60;
    private final List<Long> launched = Collections.synchronizedList(new ArrayList<>());
    private final RunnerLauncher recording = jobId -> {
        launched.add(jobId);
        return "task-" + jobId;
    };
    private DynamoDbClient dynamo;
    private String prefix;
    private JobStore jobs;

    @BeforeEach
    void setUp() {
        prefix = SharedEmulators.uniquePrefix();
        dynamo = SharedEmulators.dynamoWithTables(prefix);
        jobs = new DynamoJobStore(dynamo, prefix);
        DynamoResourceStore resources = new DynamoResourceStore(dynamo, prefix);
        resources.insert(new Resource(ResourceTypes.PROJECT, 1, Map.of("name", "p", "scm_revision", "abc")));
        for (int i = 1; i <= JOBS; i++) {
            jobs.insert(UnifiedJob.newPending(i, JobKind.JOB, "j" + i, LaunchType.MANUAL,
                    Clock.systemUTC().instant(), Map.of(JobFields.PROJECT, 1L, JobFields.UNIFIED_JOB_TEMPLATE, 1000L + i)));
        }
    }

    private TaskManager manager(String holder) {
        return new TaskManager(jobs, new DynamoResourceStore(dynamo, prefix), recording,
                new DynamoLeaseStore(dynamo, prefix, Clock.systemUTC()), message -> { }, Clock.systemUTC(),
                new TaskManagerSettings(100, Duration.ofSeconds(50), Duration.ofSeconds(90)), holder);
    }

    @Test
    void twoManagersSchedulingAtOnceStartEveryJobExactlyOnce() throws Exception {
        runConcurrently(manager("a")::schedule, manager("b")::schedule);
        // A skipped manager handed over through a rerun request; one more tick settles anything left.
        manager("c").schedule();
        assertThat(launched).hasSize(JOBS).doesNotHaveDuplicates();
        assertThat(jobs.active()).allSatisfy(j -> assertThat(j.status()).isEqualTo(JobStatus.WAITING));
    }

    @Test
    void evenWithoutTheLeaseConditionalWritesPreventDoubleStarts() throws Exception {
        runConcurrently(manager("a")::runPass, manager("b")::runPass);
        assertThat(launched).hasSize(JOBS).doesNotHaveDuplicates();
    }

    @Test
    void duplicateAndMalformedWakeMessagesChangeNothing() {
        WakeConsumer consumer = new WakeConsumer(new TaskManagerService(manager("consumer"),
                new DynamoPassLog(dynamo, prefix), Clock.systemUTC()));
        SQSEvent batch = event(WakeMessage.jobCreated(1), WakeMessage.jobCreated(1), "not json", "{\"no_reason\":1}");
        SQSBatchResponse first = consumer.handle(batch);
        assertThat(first.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder("m2", "m3");
        SQSBatchResponse again = consumer.handle(batch);
        assertThat(again.getBatchItemFailures()).hasSize(2);
        assertThat(launched).hasSize(JOBS).doesNotHaveDuplicates();
    }

    @Test
    void aPassThatFailsFailsTheInvocationSoTheErrorsAlarmSeesIt() {
        // Tables that do not exist: every store call fails, as with DynamoDB unreachable or a role missing a grant.
        String missing = SharedEmulators.uniquePrefix();
        TaskManager broken = new TaskManager(new DynamoJobStore(dynamo, missing), new DynamoResourceStore(dynamo, missing), recording,
                new DynamoLeaseStore(dynamo, missing, Clock.systemUTC()), message -> { }, Clock.systemUTC(),
                new TaskManagerSettings(100, Duration.ofSeconds(50), Duration.ofSeconds(90)), "broken");
        WakeConsumer consumer = new WakeConsumer(new TaskManagerService(broken, new DynamoPassLog(dynamo, prefix), Clock.systemUTC()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> consumer.handle(event(WakeMessage.jobCreated(1))))
                .hasMessageContaining("task manager pass failed");
        assertThat(launched).isEmpty();
    }

    private void runConcurrently(Runnable a, Runnable b) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> futures = new ArrayList<>();
        for (Runnable r : List.of(a, b)) {
            futures.add(pool.submit(() -> {
                barrier.await();
                r.run();
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private static SQSEvent event(String... bodies) {
        SQSEvent e = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("m" + i);
            m.setBody(bodies[i]);
            records.add(m);
        }
        e.setRecords(records);
        return e;
    }
}
