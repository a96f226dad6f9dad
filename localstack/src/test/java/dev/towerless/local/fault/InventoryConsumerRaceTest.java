package dev.towerless.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.towerless.aws.dynamodb.DynamoEventStore;
import dev.towerless.aws.dynamodb.DynamoHostSummaryStore;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.aws.sqs.SqsMessageQueue;
import dev.towerless.core.inventory.InventoryChangeTracking;
import dev.towerless.core.inventory.InventoryComputedFields;
import dev.towerless.core.inventory.InventoryDirtyMarker;
import dev.towerless.core.inventory.JobHostSummaries;
import dev.towerless.core.jobs.HostSummary;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.WakeMessage;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.handlers.InventoryConsumer;
import dev.towerless.local.SharedEmulators;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Four inventories consumers handling the same 40 job ends at once (every message delivered four
 * times, as at-least-once allows), then two draining the recompute queue, over dynalite and
 * fauxqs: each summary is stored once, each host shows its newest job, the inventory's fields are
 * right, and the recomputes are far fewer than the job ends.
 */
class InventoryConsumerRaceTest {
    private static final int HOSTS = 20;
    private static final int JOBS = 40;

    @Test
    void duplicatedJobEndsRaceToOneCorrectState() throws Exception {
        String prefix = SharedEmulators.uniquePrefix();
        DynamoDbClient dynamo = SharedEmulators.dynamoWithTables(prefix);
        var sqs = SharedEmulators.sqs();
        MessageQueue recomputes = new SqsMessageQueue(sqs, sqs.createQueue(r -> r.queueName(prefix + "inventories")).queueUrl());
        ResourceStore raw = new DynamoResourceStore(dynamo, prefix);
        InventoryDirtyMarker marker = new InventoryDirtyMarker(raw, recomputes, Clock.systemUTC());
        ResourceStore resources = new InventoryChangeTracking(raw, marker);
        DynamoJobStore jobs = new DynamoJobStore(dynamo, prefix);
        DynamoEventStore events = new DynamoEventStore(dynamo, prefix);
        DynamoHostSummaryStore summaries = new DynamoHostSummaryStore(dynamo, prefix);
        InventoryComputedFields computed = new InventoryComputedFields(resources, jobs);
        JobHostSummaries recorder = new JobHostSummaries(jobs, events, resources, summaries, marker, Clock.systemUTC());

        long inventory = resources.create(ResourceTypes.INVENTORY, Map.of("name", "race", "kind", "")).id();
        List<Long> hosts = new ArrayList<>();
        for (int i = 0; i < HOSTS; i++) {
            hosts.add(resources.create(ResourceTypes.HOST, Map.of("name", "h" + i, "inventory", inventory)).id());
        }
        List<SQSEvent.SQSMessage> ends = new ArrayList<>();
        Map<Long, Long> newest = new HashMap<>();
        Map<Long, Boolean> failed = new HashMap<>();
        for (int i = 0; i < JOBS; i++) {
            long id = 90_000 + i;
            boolean fails = i % 3 == 0;
            finishedJob(jobs, events, id, inventory, "h" + (i % HOSTS), fails);
            newest.put(hosts.get(i % HOSTS), id);
            failed.put(id, fails);
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("end-" + id);
            m.setBody(WakeMessage.jobFinished(id, fails ? "failed" : "successful"));
            ends.add(m);
        }
        long failingHosts = newest.values().stream().filter(failed::get).count();

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> handled = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                InventoryConsumer consumer = new InventoryConsumer(recorder, computed, marker, jobs);
                handled.add(pool.submit(() -> {
                    int failures = 0;
                    for (int b = 0; b < JOBS; b += 10) {
                        failures += consumer.handle(event(ends.subList(b, b + 10))).getBatchItemFailures().size();
                    }
                    return failures;
                }));
            }
            for (Future<Integer> f : handled) {
                assertThat(f.get()).as("batch item failures").isZero();
            }
            // Two consumers drain the recompute queue, as two concurrent Lambda batches would.
            List<Future<?>> drains = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                InventoryConsumer consumer = new InventoryConsumer(recorder, computed, marker, jobs);
                drains.add(pool.submit(() -> drain(recomputes, consumer)));
            }
            for (Future<?> f : drains) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        for (long job : newest.values()) {
            assertThat(summaries.ofJob(job)).as("job " + job).singleElement()
                    .satisfies(s -> assertThat(s.failed()).isEqualTo(failed.get(job)));
        }
        for (Map.Entry<Long, Long> h : newest.entrySet()) {
            Resource host = raw.get(ResourceTypes.HOST, h.getKey()).orElseThrow();
            assertThat(host.get(JobHostSummaries.LAST_JOB)).as("host " + h.getKey()).isEqualTo(h.getValue());
            assertThat(host.get(JobHostSummaries.LAST_SUMMARY)).isEqualTo(HostSummary.idFor(h.getValue(), 0));
            assertThat(host.get(InventoryComputedFields.HOST_FAILED)).isEqualTo(failed.get(h.getValue()));
            assertThat(summaries.ofHost(h.getKey(), 10)).hasSize(JOBS / HOSTS);
        }
        Resource inv = raw.get(ResourceTypes.INVENTORY, inventory).orElseThrow();
        assertThat(inv.get("total_hosts")).isEqualTo((long) HOSTS);
        assertThat(inv.get("hosts_with_active_failures")).isEqualTo(failingHosts);
        assertThat(inv.get("has_active_failures")).isEqualTo(failingHosts > 0);
        assertThat(inv.get(InventoryDirtyMarker.DIRTY)).isNull();
        assertThat(inv.get(InventoryComputedFields.DONE)).isEqualTo(inv.get(InventoryComputedFields.GENERATION));
        assertThat(((Number) inv.get(InventoryComputedFields.GENERATION)).longValue())
                .as("recomputes for %d host additions and %d job ends delivered 4 times", HOSTS, JOBS)
                .isLessThan(JOBS / 2);
    }

    private static void drain(MessageQueue queue, InventoryConsumer consumer) {
        int idle = 0;
        while (idle < 3) {
            List<MessageQueue.QueueMessage> got = queue.receive(10, Duration.ofMillis(300));
            if (got.isEmpty()) {
                idle++;
                continue;
            }
            idle = 0;
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (MessageQueue.QueueMessage q : got) {
                SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
                m.setMessageId(q.messageId());
                m.setBody(q.body());
                records.add(m);
            }
            var failures = consumer.handle(event(records)).getBatchItemFailures();
            assertThat(failures).isEmpty();
            got.forEach(queue::delete);
        }
    }

    private static SQSEvent event(List<SQSEvent.SQSMessage> records) {
        SQSEvent e = new SQSEvent();
        e.setRecords(new ArrayList<>(records));
        return e;
    }

    private static void finishedJob(DynamoJobStore jobs, DynamoEventStore events, long id, long inventory, String host,
                                    boolean fails) {
        Map<String, Object> kind = new HashMap<>();
        kind.put(JobFields.INVENTORY, inventory);
        Instant now = Instant.now();
        UnifiedJob job = UnifiedJob.newPending(id, JobKind.JOB, "race", LaunchType.MANUAL, now, kind);
        Map<String, Object> end = new HashMap<>();
        end.put(JobFields.STATUS, (fails ? JobStatus.FAILED : JobStatus.SUCCESSFUL).apiName());
        end.put(JobFields.FAILED, fails);
        end.put(JobFields.FINISHED, Timestamps.format(now));
        end.put(JobHostSummaries.STATS_EVENT, 7L);
        jobs.insert(job.with(end));
        events.append(List.of(new JobEvent(id, 7, "playbook_on_stats", "u", null, null, null, null, "", 0, 0,
                Timestamps.format(now), fails, false, Map.of("ok", Map.of(host, 1), "failures", Map.of(host, fails ? 1 : 0)))));
    }
}
