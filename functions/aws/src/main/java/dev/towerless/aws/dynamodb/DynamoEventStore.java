package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.ports.EventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Events keyed by (job_id, counter): rewriting an event overwrites it with the same content, so
 * a runner that resends a batch after a timeout changes nothing. Batches of 25 (DynamoDB's
 * BatchWriteItem limit) are written in parallel; unprocessed items are retried with backoff.
 */
public final class DynamoEventStore implements EventStore, AutoCloseable {
    private static final int BATCH = 25;

    private final DynamoTable table;
    private final Duration retention;
    private final ExecutorService writers;

    public DynamoEventStore(DynamoDbClient client, String prefix, Duration retention, int parallelWriters) {
        this.table = new DynamoTable(client, Tables.EVENTS, prefix);
        this.retention = retention;
        this.writers = Executors.newFixedThreadPool(parallelWriters, r -> {
            Thread t = new Thread(r, "event-writer");
            t.setDaemon(true);
            return t;
        });
    }

    public DynamoEventStore(DynamoDbClient client, String prefix) {
        this(client, prefix, Duration.ofDays(120), 4);
    }

    @Override
    public void append(List<JobEvent> events) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < events.size(); i += BATCH) {
            List<JobEvent> chunk = events.subList(i, Math.min(events.size(), i + BATCH));
            List<WriteRequest> requests = chunk.stream()
                    .map(e -> WriteRequest.builder().putRequest(PutRequest.builder().item(toItem(e)).build()).build())
                    .toList();
            writes.add(CompletableFuture.runAsync(() -> writeWithRetry(requests), writers));
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private void writeWithRetry(List<WriteRequest> requests) {
        BatchWrites.writeBatch(table, requests, "events");
    }

    @Override
    public int deleteAll(long jobId) {
        List<WriteRequest> deletes = new ArrayList<>();
        table.client.queryPaginator(r -> r.tableName(table.name).keyConditionExpression("job_id = :j")
                        .expressionAttributeValues(Map.of(":j", AttributeValues.n(jobId)))
                        .projectionExpression("job_id, #c").expressionAttributeNames(Map.of("#c", "counter")))
                .items().forEach(item -> deletes.add(WriteRequest.builder()
                        .deleteRequest(d -> d.key(Map.of("job_id", item.get("job_id"), "counter", item.get("counter")))).build()));
        for (int i = 0; i < deletes.size(); i += BATCH) {
            writeWithRetry(deletes.subList(i, Math.min(deletes.size(), i + BATCH)));
        }
        return deletes.size();
    }

    @Override
    public List<JobEvent> after(long jobId, long afterCounter, int limit) {
        return table.client.query(r -> r.tableName(table.name)
                        .keyConditionExpression("job_id = :j AND #c > :c")
                        .expressionAttributeNames(Map.of("#c", "counter"))
                        .expressionAttributeValues(Map.of(":j", AttributeValues.n(jobId), ":c", AttributeValues.n(afterCounter)))
                        .consistentRead(true)
                        .limit(limit))
                .items().stream().map(DynamoEventStore::fromItem).toList();
    }

    private Map<String, AttributeValue> toItem(JobEvent e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("job_id", e.jobId());
        f.put("counter", e.counter());
        f.put("event", e.event());
        f.put("uuid", e.uuid());
        f.put("host", e.host());
        f.put("play", e.play());
        f.put("task", e.task());
        f.put("role", e.role());
        f.put("stdout", e.stdout());
        f.put("start_line", e.startLine());
        f.put("end_line", e.endLine());
        f.put("created", e.created());
        f.put("failed", e.failed());
        f.put("changed", e.changed());
        f.put("event_data", e.eventData());
        f.put("expires_at", Timestamps.parse(e.created()).plus(retention).getEpochSecond());
        return AttributeValues.toItem(f);
    }

    @SuppressWarnings("unchecked")
    private static JobEvent fromItem(Map<String, AttributeValue> item) {
        Map<String, Object> f = AttributeValues.fromItem(item);
        return new JobEvent(num(f, "job_id"), num(f, "counter"), (String) f.get("event"), (String) f.get("uuid"),
                (String) f.get("host"), (String) f.get("play"), (String) f.get("task"), (String) f.get("role"),
                (String) f.get("stdout"), (int) num(f, "start_line"), (int) num(f, "end_line"), (String) f.get("created"),
                Boolean.TRUE.equals(f.get("failed")), Boolean.TRUE.equals(f.get("changed")),
                (Map<String, Object>) f.get("event_data"));
    }

    private static long num(Map<String, Object> f, String k) {
        Object v = f.get(k);
        return v instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void close() {
        writers.shutdown();
    }
}
