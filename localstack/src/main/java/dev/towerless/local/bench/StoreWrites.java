package dev.towerless.local.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Counts the items this JVM asked DynamoDB to write, by table and, in the resources table, by
 * resource type ("resources/inventory", "resources/host", "host_summaries"): what a benchmark
 * reports as store writes. Registered like {@link ItemsRead}; counts only while switched on.
 */
public final class StoreWrites implements ExecutionInterceptor {
    static volatile boolean on;
    static volatile String prefix = "towerless-";
    static final Map<String, AtomicLong> ITEMS = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (!on) {
            return;
        }
        Object r = context.request();
        if (r instanceof PutItemRequest p) {
            count(p.tableName(), p.item());
        } else if (r instanceof UpdateItemRequest u) {
            count(u.tableName(), u.key());
        } else if (r instanceof DeleteItemRequest d) {
            count(d.tableName(), d.key());
        } else if (r instanceof BatchWriteItemRequest b) {
            b.requestItems().forEach((table, writes) -> writes.forEach(w ->
                    count(table, w.putRequest() != null ? w.putRequest().item() : w.deleteRequest().key())));
        }
    }

    private static void count(String table, Map<String, AttributeValue> key) {
        String name = table.startsWith(prefix) ? table.substring(prefix.length()) : table;
        AttributeValue type = key == null ? null : key.get("type");
        String what = "resources".equals(name) && type != null && type.s() != null ? name + "/" + type.s() : name;
        ITEMS.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    static long of(String what) {
        AtomicLong n = ITEMS.get(what);
        return n == null ? 0 : n.get();
    }

    static void reset() {
        ITEMS.clear();
    }
}
