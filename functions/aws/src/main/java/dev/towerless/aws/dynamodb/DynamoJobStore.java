package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.ConflictException;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.Page;
import dev.towerless.core.ports.PageRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** Jobs in DynamoDB: one item per job, every status change guarded by the expected status. */
public final class DynamoJobStore implements JobStore {
    static final String ACTIVE_SHARD = "active_shard";
    private static final String ACTIVE = "active";

    private final DynamoTable table;

    public DynamoJobStore(DynamoDbClient client, String prefix) {
        this.table = new DynamoTable(client, Tables.JOBS, prefix);
    }

    @Override
    public void insert(UnifiedJob job) {
        Map<String, Object> fields = new LinkedHashMap<>(job.fields());
        if (job.status().isActive()) {
            fields.put(ACTIVE_SHARD, ACTIVE);
        }
        try {
            table.client.putItem(r -> r.tableName(table.name).item(table.item(fields))
                    .conditionExpression("attribute_not_exists(id)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("job " + job.id() + " exists already");
        }
    }

    @Override
    public Optional<UnifiedJob> find(long id) {
        Map<String, AttributeValue> item = table.client.getItem(r -> r.tableName(table.name)
                .key(Map.of("id", AttributeValues.n(id))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toJob(item));
    }

    @Override
    public Map<Long, UnifiedJob> findMany(java.util.Collection<Long> ids) {
        Map<Long, UnifiedJob> out = new java.util.HashMap<>();
        List<Long> distinct = ids.stream().distinct().toList();
        for (int i = 0; i < distinct.size(); i += 100) {
            List<Map<String, AttributeValue>> keys = distinct.subList(i, Math.min(distinct.size(), i + 100)).stream()
                    .map(id -> Map.of("id", AttributeValues.n(id))).toList();
            Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> request = Map.of(table.name,
                    software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (request != null && !request.isEmpty()) {
                var toRead = request;
                var resp = table.client.batchGetItem(r -> r.requestItems(toRead));
                resp.responses().getOrDefault(table.name, List.of()).forEach(item -> {
                    UnifiedJob j = toJob(item);
                    out.put(j.id(), j);
                });
                request = resp.hasUnprocessedKeys() && !resp.unprocessedKeys().isEmpty() ? resp.unprocessedKeys() : null;
            }
        }
        return out;
    }

    @Override
    public Optional<UnifiedJob> updateIfStatus(long id, JobStatus expected, Map<String, Object> changes) {
        UpdateBuilder u = table.update(changes);
        Object newStatus = changes.get(JobFields.STATUS);
        if (newStatus != null) {
            if (JobStatus.fromApiName(newStatus.toString()).isActive()) {
                u.set(ACTIVE_SHARD, ACTIVE);
            } else {
                u.remove(ACTIVE_SHARD);
            }
        }
        String condition = u.name(JobFields.STATUS) + " = " + u.value(expected.apiName());
        return conditionalUpdate(id, u, condition);
    }

    @Override
    public Optional<UnifiedJob> updateIfStatusAndUnchanged(long id, JobStatus expected, String field, Object seen,
                                                           Map<String, Object> changes) {
        UpdateBuilder u = table.update(changes);
        Object newStatus = changes.get(JobFields.STATUS);
        if (newStatus != null) {
            if (JobStatus.fromApiName(newStatus.toString()).isActive()) {
                u.set(ACTIVE_SHARD, ACTIVE);
            } else {
                u.remove(ACTIVE_SHARD);
            }
        }
        String unchanged = seen == null ? "attribute_not_exists(" + u.name(field) + ")" : u.name(field) + " = " + u.value(seen);
        String condition = u.name(JobFields.STATUS) + " = " + u.value(expected.apiName()) + " AND " + unchanged;
        return conditionalUpdate(id, u, condition);
    }

    @Override
    public Optional<UnifiedJob> updateIfActive(long id, Map<String, Object> changes) {
        UpdateBuilder u = table.update(changes);
        String condition = "attribute_exists(" + u.name(ACTIVE_SHARD) + ")";
        return conditionalUpdate(id, u, condition);
    }

    @Override
    public Optional<UnifiedJob> setIfAbsent(long id, String field, Object value) {
        UpdateBuilder u = table.update(Map.of(field, value));
        Optional<UnifiedJob> set = conditionalUpdate(id, u, "attribute_not_exists(" + u.name(field) + ")");
        return set.isPresent() ? set : find(id);
    }

    private Optional<UnifiedJob> conditionalUpdate(long id, UpdateBuilder u, String condition) {
        try {
            UpdateItemResponse resp = table.client.updateItem(r -> r.tableName(table.name)
                    .key(Map.of("id", AttributeValues.n(id)))
                    .updateExpression(u.expression())
                    .conditionExpression("attribute_exists(id) AND " + condition)
                    .expressionAttributeNames(u.names)
                    .expressionAttributeValues(u.values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(toJob(resp.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean deleteIfFinished(long id) {
        try {
            table.client.deleteItem(r -> r.tableName(table.name).key(Map.of("id", AttributeValues.n(id)))
                    .conditionExpression("attribute_exists(id) AND attribute_not_exists(" + "#a)")
                    .expressionAttributeNames(Map.of("#a", ACTIVE_SHARD)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public List<UnifiedJob> active() {
        List<UnifiedJob> out = new ArrayList<>();
        queryAll(QueryRequest.builder().tableName(table.name).indexName("active")
                .keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", ACTIVE_SHARD))
                .expressionAttributeValues(Map.of(":s", AttributeValues.s(ACTIVE)))
                .build(), out);
        // Same created stamp: the lower id was created first.
        out.sort(Comparator.comparing((UnifiedJob j) -> (String) j.get(JobFields.CREATED)).thenComparingLong(UnifiedJob::id));
        return out;
    }

    @Override
    public Page<UnifiedJob> list(JobKind kind, PageRequest page) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table.name).indexName("by_type")
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", JobFields.TYPE))
                .expressionAttributeValues(Map.of(":t", AttributeValues.s(kind.type())))
                .scanIndexForward(!page.descending());
        return DynamoPaging.page(table.client, q, page, DynamoJobStore::toJob);
    }

    @Override
    public List<UnifiedJob> all(JobKind kind) {
        List<UnifiedJob> out = new ArrayList<>();
        queryAll(QueryRequest.builder().tableName(table.name).indexName("by_type")
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", JobFields.TYPE))
                .expressionAttributeValues(Map.of(":t", AttributeValues.s(kind.type())))
                .build(), out);
        return out;
    }

    @Override
    public List<UnifiedJob> ofTemplate(long templateId, int limit) {
        QueryResponse resp = table.client.query(r -> r.tableName(table.name).indexName("by_template")
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", JobFields.UNIFIED_JOB_TEMPLATE))
                .expressionAttributeValues(Map.of(":t", AttributeValues.n(templateId)))
                .scanIndexForward(false).limit(limit));
        return resp.items().stream().map(DynamoJobStore::toJob).toList();
    }

    private void queryAll(QueryRequest request, List<UnifiedJob> out) {
        table.client.queryPaginator(request).items().forEach(item -> out.add(toJob(item)));
    }

    static UnifiedJob toJob(Map<String, AttributeValue> item) {
        Map<String, Object> fields = AttributeValues.fromItem(item);
        fields.remove(ACTIVE_SHARD);
        // DynamoDB normalises numbers ("0.0" is stored as 0); elapsed is a float in AWX's API.
        if (fields.get(JobFields.ELAPSED) instanceof Number n) {
            fields.put(JobFields.ELAPSED, n.doubleValue());
        }
        return UnifiedJob.of(fields);
    }
}
