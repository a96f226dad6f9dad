package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.jobs.HostSummary;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.ports.HostSummaryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Job host summaries keyed by (job_id, id), with a sparse {@code by_host} index. Puts are whole
 * items with ids fixed by the job's stats, so writing a job's summaries twice stores them once.
 */
public final class DynamoHostSummaryStore implements HostSummaryStore {
    private static final int BATCH = 25;
    private static final String COUNTS = "counts";

    private final DynamoTable table;
    private final Duration retention;

    public DynamoHostSummaryStore(DynamoDbClient client, String prefix, Duration retention) {
        this.table = new DynamoTable(client, Tables.HOST_SUMMARIES, prefix);
        this.retention = retention;
    }

    public DynamoHostSummaryStore(DynamoDbClient client, String prefix) {
        this(client, prefix, Duration.ofDays(120)); // as long as the job's events
    }

    @Override
    public void putAll(List<HostSummary> summaries) {
        List<WriteRequest> puts = summaries.stream()
                .map(s -> WriteRequest.builder().putRequest(PutRequest.builder().item(toItem(s)).build()).build()).toList();
        writeAll(puts);
    }

    @Override
    public List<HostSummary> ofJob(long jobId) {
        List<HostSummary> out = new ArrayList<>();
        table.client.queryPaginator(r -> r.tableName(table.name).keyConditionExpression("job_id = :j")
                        .expressionAttributeValues(Map.of(":j", AttributeValues.n(jobId))).consistentRead(true))
                .items().forEach(i -> out.add(fromItem(i)));
        return out;
    }

    @Override
    public List<HostSummary> ofHost(long hostId, int limit) {
        // pages of at most 1 MB each until the limit: a host with thousands of summaries spans several
        return table.client.queryPaginator(r -> r.tableName(table.name).indexName("by_host")
                        .keyConditionExpression("host_id = :h")
                        .expressionAttributeValues(Map.of(":h", AttributeValues.n(hostId)))
                        .scanIndexForward(false).limit(Math.min(limit, 1000)))
                .items().stream().limit(limit).map(DynamoHostSummaryStore::fromItem).toList();
    }

    @Override
    public Optional<HostSummary> find(long id) {
        Map<String, AttributeValue> item = table.client.getItem(r -> r.tableName(table.name).consistentRead(true)
                .key(Map.of("job_id", AttributeValues.n(HostSummary.jobOf(id)), "id", AttributeValues.n(id)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public int deleteOfJob(long jobId) {
        List<WriteRequest> deletes = new ArrayList<>();
        table.client.queryPaginator(r -> r.tableName(table.name).keyConditionExpression("job_id = :j")
                        .expressionAttributeValues(Map.of(":j", AttributeValues.n(jobId))).projectionExpression("job_id, id"))
                .items().forEach(i -> deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(i)).build()));
        writeAll(deletes);
        return deletes.size();
    }

    private void writeAll(List<WriteRequest> requests) {
        BatchWrites.writeAll(table, requests, "host summaries");
    }

    private Map<String, AttributeValue> toItem(HostSummary s) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("job_id", s.jobId());
        f.put("id", s.id());
        f.put("host_id", s.hostId());
        f.put("host_name", s.hostName());
        f.put(COUNTS, new LinkedHashMap<>(s.counts()));
        f.put("created", s.created());
        f.put("expires_at", Timestamps.parse(s.created()).plus(retention).getEpochSecond());
        return table.item(f);
    }

    private static HostSummary fromItem(Map<String, AttributeValue> item) {
        Map<String, Object> f = AttributeValues.fromItem(item);
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (f.get(COUNTS) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> counts.put(String.valueOf(k), v instanceof Number n ? n.intValue() : 0));
        }
        return new HostSummary(((Number) f.get("id")).longValue(), ((Number) f.get("job_id")).longValue(),
                f.get("host_id") instanceof Number h ? h.longValue() : null, (String) f.get("host_name"), counts,
                (String) f.get("created"));
    }
}
