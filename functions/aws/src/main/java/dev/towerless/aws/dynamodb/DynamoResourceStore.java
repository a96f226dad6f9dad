package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.ports.ConflictException;
import dev.towerless.core.ports.Page;
import dev.towerless.core.ports.PageRequest;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** Resources in one table keyed by (type, id), with natural-key and parent indexes. */
public final class DynamoResourceStore implements ResourceStore {
    /** Counts read beside a page's Query; daemon threads, so a JVM that is done exits. */
    private static final java.util.concurrent.ExecutorService COUNT_READERS = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "count-reader");
        t.setDaemon(true);
        return t;
    });
    private static final String NATURAL_KEY = "natural_key";
    private static final String PARENT_KEY = "parent_key";

    private final DynamoTable table;
    private final DynamoTable sequences;

    public DynamoResourceStore(DynamoDbClient client, String prefix) {
        this.table = new DynamoTable(client, Tables.RESOURCES, prefix);
        this.sequences = new DynamoTable(client, Tables.SEQUENCES, prefix);
    }

    @Override
    public Resource create(String type, Map<String, Object> fields) {
        return insert(new Resource(type, nextId(ResourceTypes.sequenceFor(type)), fields));
    }

    @Override
    public Resource insert(Resource resource) {
        Map<String, Object> item = new LinkedHashMap<>(resource.fields());
        item.put("type", resource.type());
        item.put("id", resource.id());
        item.putAll(derivedKeys(resource.type(), item));
        try {
            table.client.putItem(r -> r.tableName(table.name).item(table.item(item))
                    .conditionExpression("attribute_not_exists(id)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException(resource + " exists already"); // a redelivery: counted by the first
        }
        countMoved(resource.type(), 1);
        keepSequencePast(ResourceTypes.sequenceFor(resource.type()), resource.id());
        return resource;
    }

    /** A chosen id (a built-in object) must never be handed out again by {@link #nextId}. */
    private void keepSequencePast(String sequence, long id) {
        try {
            sequences.client.updateItem(r -> r.tableName(sequences.name)
                    .key(Map.of("name", AttributeValues.s(sequence)))
                    .updateExpression("SET #v = :id")
                    .conditionExpression("attribute_not_exists(#v) OR #v < :id")
                    .expressionAttributeNames(Map.of("#v", "value"))
                    .expressionAttributeValues(Map.of(":id", AttributeValues.n(id))));
        } catch (ConditionalCheckFailedException alreadyPast) {
            // the sequence is beyond this id already
        }
    }

    @Override
    public Optional<Resource> get(String type, long id) {
        Map<String, AttributeValue> item = table.client.getItem(r -> r.tableName(table.name)
                .key(key(type, id)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toResource(item));
    }

    @Override
    public Optional<Resource> findByName(String type, String name) {
        List<Map<String, AttributeValue>> items = table.client.query(r -> r.tableName(table.name).indexName("by_name")
                .keyConditionExpression("#t = :t AND #n = :n")
                .expressionAttributeNames(Map.of("#t", "type", "#n", NATURAL_KEY))
                .expressionAttributeValues(Map.of(":t", AttributeValues.s(type), ":n", AttributeValues.s(name)))
                .limit(1)).items();
        // The index is eventually consistent; re-read the item so callers see its latest state.
        return items.stream().findFirst().flatMap(i -> get(type, ((Number) AttributeValues.fromAttribute(i.get("id"))).longValue()));
    }

    /** The index projects every attribute: its copy is the item as of the index's last update. */
    @Override
    public Optional<Resource> findByNameInIndex(String type, String name) {
        return table.client.query(r -> r.tableName(table.name).indexName("by_name")
                .keyConditionExpression("#t = :t AND #n = :n")
                .expressionAttributeNames(Map.of("#t", "type", "#n", NATURAL_KEY))
                .expressionAttributeValues(Map.of(":t", AttributeValues.s(type), ":n", AttributeValues.s(name)))
                .limit(1)).items().stream().findFirst().map(DynamoResourceStore::toResource);
    }

    @Override
    public Optional<Resource> update(String type, long id, Map<String, Object> changes) {
        Map<String, Object> all = new LinkedHashMap<>(changes);
        all.putAll(derivedKeys(type, changes));
        UpdateBuilder u = table.update(all);
        if (u.expression().isEmpty()) {
            return get(type, id);
        }
        try {
            Map<String, AttributeValue> attrs = table.client.updateItem(r -> r.tableName(table.name).key(key(type, id))
                    .updateExpression(u.expression())
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeNames(u.names)
                    .expressionAttributeValues(u.values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(toResource(attrs));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Resource> updateIf(String type, long id, String field, Object expected, Map<String, Object> changes) {
        Map<String, Object> all = new LinkedHashMap<>(changes);
        all.putAll(derivedKeys(type, changes));
        UpdateBuilder u = table.update(all);
        String f = u.name(field);
        String condition = expected == null ? "(attribute_not_exists(" + f + ") OR attribute_type(" + f + ", :nul))"
                : f + " = " + u.value(expected);
        if (expected == null) {
            u.values.put(":nul", AttributeValue.fromS("NULL"));
        }
        try {
            Map<String, AttributeValue> attrs = table.client.updateItem(r -> r.tableName(table.name).key(key(type, id))
                    .updateExpression(u.expression())
                    .conditionExpression("attribute_exists(id) AND " + condition)
                    .expressionAttributeNames(u.names)
                    .expressionAttributeValues(u.values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(toResource(attrs));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public Map<Long, Resource> getMany(String type, java.util.Collection<Long> ids) {
        Map<Long, Resource> out = new java.util.HashMap<>();
        read(ids.stream().distinct().map(id -> key(type, id)).toList()).forEach(r -> out.put(r.id(), r));
        return out;
    }

    /** One BatchGetItem for up to 100 keys whatever their types: a page's summaries in one round trip. */
    @Override
    public Map<String, Map<Long, Resource>> getMany(Map<String, ? extends java.util.Collection<Long>> idsByType) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        idsByType.forEach((type, ids) -> ids.stream().distinct().forEach(id -> keys.add(key(type, id))));
        Map<String, Map<Long, Resource>> out = new java.util.HashMap<>();
        read(keys).forEach(r -> out.computeIfAbsent(r.type(), t -> new java.util.HashMap<>()).put(r.id(), r));
        return out;
    }

    /** These items (distinct keys), 100 a BatchGetItem, what DynamoDB leaves unprocessed asked again. */
    private List<Resource> read(List<Map<String, AttributeValue>> keys) {
        List<Resource> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += 100) {
            Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> request =
                    Map.of(table.name, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                            .keys(keys.subList(i, Math.min(keys.size(), i + 100))).consistentRead(true).build());
            BatchReads.readAll(table.client, request, (t, item) -> out.add(toResource(item)));
        }
        return out;
    }

    @Override
    public boolean delete(String type, long id) {
        try {
            table.client.deleteItem(r -> r.tableName(table.name).key(key(type, id)).conditionExpression("attribute_exists(id)"));
        } catch (ConditionalCheckFailedException e) {
            return false; // nothing removed (gone already): nothing to count
        }
        countMoved(type, -1);
        return true;
    }

    /**
     * Moves a type's counter after a write that stored or removed an item. Two writes, not one
     * transaction (dynalite has none): a crash between them leaves the counter off by one until
     * the nightly {@link #recount}. A counter not kept yet stays absent; {@link #count} makes it
     * by counting, so it never starts from a wrong base.
     */
    private void countMoved(String type, long by) {
        try {
            sequences.client.updateItem(r -> r.tableName(sequences.name)
                    .key(Map.of("name", AttributeValues.s(counterName(type))))
                    .updateExpression("ADD #v :by")
                    .conditionExpression("attribute_exists(#v)")
                    .expressionAttributeNames(Map.of("#v", "value"))
                    .expressionAttributeValues(Map.of(":by", AttributeValues.n(by))));
        } catch (ConditionalCheckFailedException notKeptYet) {
            // the first count() counts this item
        }
    }

    /** One page read by key order: offset + size items at most (DynamoDB has no offset), and the type's counter. */
    @Override
    public Page<Resource> list(String type, PageRequest page) {
        // The count is one GetItem that needs nothing from the page: read meanwhile, not after.
        java.util.concurrent.CompletableFuture<Long> count = java.util.concurrent.CompletableFuture.supplyAsync(() -> count(type), COUNT_READERS);
        int want = page.offset() + page.pageSize();
        List<Resource> read = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var resp = table.client.query(r -> r.tableName(table.name)
                    .keyConditionExpression("#t = :t")
                    .expressionAttributeNames(Map.of("#t", "type"))
                    .expressionAttributeValues(Map.of(":t", AttributeValues.s(type)))
                    .consistentRead(true)
                    .scanIndexForward(!page.descending())
                    .limit(want - read.size())
                    .exclusiveStartKey(from));
            resp.items().forEach(i -> read.add(toResource(i)));
            start = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
        } while (start != null && read.size() < want);
        List<Resource> items = read.subList(Math.min(read.size(), page.offset()), read.size());
        try {
            return new Page<>(new ArrayList<>(items), count.join());
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    @Override
    public List<Resource> first(String type, int limit) {
        List<Resource> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        while (out.size() < limit) {
            Map<String, AttributeValue> from = start;
            var resp = table.client.query(r -> r.tableName(table.name).keyConditionExpression("#t = :t")
                    .expressionAttributeNames(Map.of("#t", "type"))
                    .expressionAttributeValues(Map.of(":t", AttributeValues.s(type))).consistentRead(true)
                    .limit(limit - out.size()).exclusiveStartKey(from));
            resp.items().forEach(i -> out.add(toResource(i)));
            start = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
            if (start == null) {
                break;
            }
        }
        return out;
    }

    @Override
    public List<Resource> named(String type, String name) {
        List<Resource> out = new ArrayList<>();
        if (name == null || name.isEmpty()) {
            return out; // an empty natural key is not indexed
        }
        table.client.queryPaginator(r -> r.tableName(table.name).indexName("by_name")
                        .keyConditionExpression("#t = :t AND #n = :n")
                        .expressionAttributeNames(Map.of("#t", "type", "#n", NATURAL_KEY))
                        .expressionAttributeValues(Map.of(":t", AttributeValues.s(type), ":n", AttributeValues.s(name))))
                .items().forEach(i -> out.add(toResource(i)));
        out.sort(java.util.Comparator.comparingLong(Resource::id));
        return out;
    }

    @Override
    public List<Resource> all(String type) {
        List<Resource> out = new ArrayList<>();
        table.client.queryPaginator(r -> r.tableName(table.name).keyConditionExpression("#t = :t")
                        .expressionAttributeNames(Map.of("#t", "type"))
                        .expressionAttributeValues(Map.of(":t", AttributeValues.s(type))).consistentRead(true))
                .items().forEach(i -> out.add(toResource(i)));
        return out;
    }

    @Override
    public long count(String type) {
        Map<String, AttributeValue> kept = sequences.client.getItem(r -> r.tableName(sequences.name)
                .key(Map.of("name", AttributeValues.s(counterName(type)))).consistentRead(true)).item();
        if (kept != null && kept.containsKey("value")) {
            return Math.max(0, Long.parseLong(kept.get("value").n()));
        }
        // Never kept (a type nobody has counted yet, or data an older version stored): count once and keep it.
        long n = countByReading(type);
        try {
            sequences.client.putItem(r -> r.tableName(sequences.name)
                    .item(Map.of("name", AttributeValues.s(counterName(type)), "value", AttributeValues.n(n)))
                    .conditionExpression("attribute_not_exists(#v)")
                    .expressionAttributeNames(Map.of("#v", "value")));
            return n;
        } catch (ConditionalCheckFailedException another) {
            return count(type); // another reader kept it first
        }
    }

    @Override
    public long recount(String type) {
        long n = 0;
        for (Map<String, AttributeValue> item : table.client.queryPaginator(r -> r.tableName(table.name)
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", "type"))
                .expressionAttributeValues(Map.of(":t", AttributeValues.s(type))).consistentRead(true)).items()) {
            n++;
            rewriteIndexKeys(type, item);
        }
        long counted = n;
        sequences.client.putItem(r -> r.tableName(sequences.name)
                .item(Map.of("name", AttributeValues.s(counterName(type)), "value", AttributeValues.n(counted))));
        return counted;
    }

    /** Sets the index keys an item should carry where they differ (an item stored before its type had a parent index). */
    private void rewriteIndexKeys(String type, Map<String, AttributeValue> item) {
        Map<String, Object> fields = AttributeValues.fromItem(item);
        Map<String, Object> wanted = new LinkedHashMap<>();
        derivedKeys(type, fields).forEach((k, v) -> {
            Object have = fields.get(k);
            if (!java.util.Objects.equals(have, v)) {
                wanted.put(k, v);
            }
        });
        if (wanted.isEmpty()) {
            return;
        }
        UpdateBuilder u = table.update(wanted);
        try {
            table.client.updateItem(r -> r.tableName(table.name).key(key(type, ((Number) fields.get("id")).longValue()))
                    .updateExpression(u.expression()).conditionExpression("attribute_exists(id)")
                    .expressionAttributeNames(u.names).expressionAttributeValues(u.values.isEmpty() ? null : u.values));
        } catch (ConditionalCheckFailedException gone) {
            // deleted meanwhile
        }
    }

    private long countByReading(String type) {
        long n = 0;
        for (var page : table.client.queryPaginator(r -> r.tableName(table.name).keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", "type"))
                .expressionAttributeValues(Map.of(":t", AttributeValues.s(type)))
                .select(software.amazon.awssdk.services.dynamodb.model.Select.COUNT))) {
            n += page.count();
        }
        return n;
    }

    /** The type's counter in the sequences table (beside the id sequences, which never take this form). */
    static String counterName(String type) {
        return "count#resource#" + type;
    }

    @Override
    public List<Resource> newestWhere(String type, String field, Object value, int limit) {
        Optional<String> parent = ResourceTypes.parentField(type);
        if (parent.isEmpty() || !parent.get().equals(field) || !(value instanceof Number n)) {
            return ResourceStore.super.newestWhere(type, field, value, limit);
        }
        // the parent index's partition, highest ids first, stopping at the limit
        List<Resource> out = new ArrayList<>();
        table.client.queryPaginator(QueryRequest.builder().tableName(table.name).indexName("by_parent")
                        .keyConditionExpression("#p = :p")
                        .expressionAttributeNames(Map.of("#p", PARENT_KEY))
                        .expressionAttributeValues(Map.of(":p", AttributeValues.s(parentKey(type, field, n.longValue()))))
                        .scanIndexForward(false).limit(limit).build())
                .items().stream().limit(limit).forEach(i -> out.add(toResource(i)));
        return out;
    }

    @Override
    public List<Resource> where(String type, String field, Object value) {
        List<Resource> out = new ArrayList<>();
        Optional<String> parent = ResourceTypes.parentField(type);
        QueryRequest request;
        if (parent.isPresent() && parent.get().equals(field) && value instanceof Number n) {
            request = QueryRequest.builder().tableName(table.name).indexName("by_parent")
                    .keyConditionExpression("#p = :p")
                    .expressionAttributeNames(Map.of("#p", PARENT_KEY))
                    .expressionAttributeValues(Map.of(":p", AttributeValues.s(parentKey(type, field, n.longValue()))))
                    .build();
        } else {
            request = QueryRequest.builder().tableName(table.name)
                    .keyConditionExpression("#t = :t")
                    .filterExpression("#f = :f")
                    .expressionAttributeNames(Map.of("#t", "type", "#f", field))
                    .expressionAttributeValues(Map.of(":t", AttributeValues.s(type), ":f", AttributeValues.toAttribute(value)))
                    .consistentRead(true)
                    .build();
        }
        table.client.queryPaginator(request).items().forEach(i -> out.add(toResource(i)));
        return out;
    }

    @Override
    public long nextId(String sequence) {
        Map<String, AttributeValue> attrs = sequences.client.updateItem(r -> r.tableName(sequences.name)
                .key(Map.of("name", AttributeValues.s(sequence)))
                .updateExpression("ADD #v :one")
                .expressionAttributeNames(Map.of("#v", "value"))
                .expressionAttributeValues(Map.of(":one", AttributeValues.n(1)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        return Long.parseLong(attrs.get("value").n());
    }

    /** Index keys derived from the fields: the natural key and the parent reference. */
    private static Map<String, Object> derivedKeys(String type, Map<String, Object> fields) {
        Map<String, Object> keys = new LinkedHashMap<>();
        String naturalField = ResourceTypes.naturalKeyField(type);
        if (fields.containsKey(naturalField)) {
            Object v = fields.get(naturalField);
            keys.put(NATURAL_KEY, v == null || v.toString().isEmpty() ? null : v.toString());
        }
        ResourceTypes.parentField(type).filter(fields::containsKey).ifPresent(p -> {
            Object v = fields.get(p);
            keys.put(PARENT_KEY, v == null ? null : parentKey(type, p, ((Number) v).longValue()));
        });
        return keys;
    }

    /** Children of one parent, per type: "host|inventory#5" (hosts and groups of inventory 5 never mix). */
    private static String parentKey(String type, String field, long id) {
        return type + "|" + field + "#" + id;
    }

    static Map<String, AttributeValue> key(String type, long id) {
        return Map.of("type", AttributeValues.s(type), "id", AttributeValues.n(id));
    }

    static Resource toResource(Map<String, AttributeValue> item) {
        Map<String, Object> fields = AttributeValues.fromItem(item);
        String type = (String) fields.remove("type");
        long id = ((Number) fields.remove("id")).longValue();
        fields.remove(NATURAL_KEY);
        fields.remove(PARENT_KEY);
        return new Resource(type, id, fields);
    }
}
