package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.jobs.EventExtent;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.LineMark;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.ports.EventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
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
    private final java.time.Clock clock = java.time.Clock.systemUTC();

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
        int[] events = {0};
        table.client.queryPaginator(r -> r.tableName(table.name).keyConditionExpression("job_id = :j")
                        .expressionAttributeValues(Map.of(":j", AttributeValues.n(jobId)))
                        .projectionExpression("job_id, #c").expressionAttributeNames(Map.of("#c", "counter")))
                .items().forEach(item -> {
                    if (Long.parseLong(item.get("counter").n()) > 0) {
                        events[0]++; // the extent (0) and the line marks (below 0) are no events
                    }
                    deletes.add(WriteRequest.builder()
                            .deleteRequest(d -> d.key(Map.of("job_id", item.get("job_id"), "counter", item.get("counter")))).build());
                });
        for (int i = 0; i < deletes.size(); i += BATCH) {
            writeWithRetry(deletes.subList(i, Math.min(deletes.size(), i + BATCH)));
        }
        return events[0];
    }

    @Override
    public List<JobEvent> after(long jobId, long afterCounter, int limit) {
        return queryUpTo(limit, r -> r.tableName(table.name)
                .keyConditionExpression("job_id = :j AND #c > :c")
                .expressionAttributeNames(Map.of("#c", "counter"))
                .expressionAttributeValues(Map.of(":j", AttributeValues.n(jobId), ":c", AttributeValues.n(Math.max(0, afterCounter))))
                .consistentRead(true));
    }

    @Override
    public List<JobEvent> before(long jobId, long beforeCounter, int limit) {
        if (beforeCounter <= 1) {
            return List.of();
        }
        return queryUpTo(limit, r -> r.tableName(table.name)
                .keyConditionExpression("job_id = :j AND #c BETWEEN :one AND :b")
                .expressionAttributeNames(Map.of("#c", "counter"))
                .expressionAttributeValues(Map.of(":j", AttributeValues.n(jobId), ":one", AttributeValues.n(1),
                        ":b", AttributeValues.n(beforeCounter - 1)))
                .scanIndexForward(false)
                .consistentRead(true));
    }

    /**
     * Up to {@code limit} events of the query, following its pages: DynamoDB stops a Query at 1 MB,
     * so a thousand events of a few KB each come in several pages, and a short page is not the end
     * (callers take fewer than {@code limit} events to mean there are no more).
     */
    private List<JobEvent> queryUpTo(int limit, java.util.function.Consumer<QueryRequest.Builder> query) {
        List<JobEvent> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            int want = limit - out.size();
            QueryResponse page = table.client.query(r -> {
                query.accept(r);
                r.limit(want);
                if (from != null) {
                    r.exclusiveStartKey(from);
                }
            });
            page.items().stream().map(DynamoEventStore::fromItem).forEach(out::add);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && out.size() < limit);
        return out;
    }

    /** The extent lives at counter 0 of the job, where no event is (counters start at 1). */
    @Override
    public void putExtent(long jobId, EventExtent extent) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("job_id", jobId);
        f.put("counter", 0L);
        f.put("events", extent.events());
        f.put("last_counter", extent.lastCounter());
        f.put("contiguous", extent.contiguous());
        f.put("lines", extent.lines());
        f.put("chars", extent.chars());
        f.put("expires_at", clock.instant().plus(retention).getEpochSecond());
        table.client.putItem(r -> r.tableName(table.name).item(AttributeValues.toItem(f)));
    }

    @Override
    public Optional<EventExtent> extent(long jobId) {
        Map<String, AttributeValue> item = table.client.getItem(r -> r.tableName(table.name).consistentRead(true)
                .key(Map.of("job_id", AttributeValues.n(jobId), "counter", AttributeValues.n(0)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> f = AttributeValues.fromItem(item);
        return Optional.of(new EventExtent(num(f, "events"), num(f, "last_counter"), Boolean.TRUE.equals(f.get("contiguous")),
                num(f, "lines"), num(f, "chars")));
    }

    /** Line mark b lives at counter -(b + 1): below the extent, so no event query meets it. */
    @Override
    public void putLineMarks(long jobId, List<LineMark> marks) {
        long expires = clock.instant().plus(retention).getEpochSecond();
        List<WriteRequest> puts = marks.stream().map(m -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("job_id", jobId);
            f.put("counter", -(m.bucket() + 1));
            f.put("mark_counter", m.counter());
            f.put("mark_line", m.line());
            f.put("expires_at", expires);
            return WriteRequest.builder().putRequest(PutRequest.builder().item(AttributeValues.toItem(f)).build()).build();
        }).toList();
        for (int i = 0; i < puts.size(); i += BATCH) {
            writeWithRetry(puts.subList(i, Math.min(puts.size(), i + BATCH)));
        }
    }

    @Override
    public Optional<LineMark> lineMark(long jobId, long bucket) {
        Map<String, AttributeValue> item = table.client.getItem(r -> r.tableName(table.name).consistentRead(true)
                .key(Map.of("job_id", AttributeValues.n(jobId), "counter", AttributeValues.n(-(bucket + 1))))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> f = AttributeValues.fromItem(item);
        return Optional.of(new LineMark(bucket, num(f, "mark_counter"), num(f, "mark_line")));
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
