package dev.towerless.local.bench;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Counts the items DynamoDB read for this JVM's requests (a Query's or Scan's scanned items,
 * a GetItem's item, a BatchGetItem's items): what a benchmark reports as "items read per
 * request". Registered for every SDK client of the local stack's JVM
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors}); counts only while a
 * benchmark has switched it on.
 */
public final class ItemsRead implements ExecutionInterceptor {
    static volatile boolean on;
    /** The tables counted (by physical name); all while null. */
    static volatile java.util.function.Predicate<String> tables;
    static final AtomicLong ITEMS = new AtomicLong();
    static final AtomicLong CALLS = new AtomicLong();

    /** The items read while {@code work} ran (one caller at a time: the counter is global). */
    public static long during(Runnable work) {
        return counted(work, null)[0];
    }

    /** The read calls (round trips) made while {@code work} ran. */
    public static long callsDuring(Runnable work) {
        return counted(work, null)[1];
    }

    /** The items read from the tables {@code counted} accepts while {@code work} ran. */
    public static long during(Runnable work, java.util.function.Predicate<String> counted) {
        return counted(work, counted)[0];
    }

    private static synchronized long[] counted(Runnable work, java.util.function.Predicate<String> only) {
        ITEMS.set(0);
        CALLS.set(0);
        tables = only;
        on = true;
        try {
            work.run();
        } finally {
            on = false;
            tables = null;
        }
        return new long[] {ITEMS.get(), CALLS.get()};
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (!on) {
            return;
        }
        Object r = context.response();
        Object request = context.request();
        java.util.function.Predicate<String> only = tables == null ? t -> true : tables;
        long n = -1;
        if (r instanceof QueryResponse q) {
            n = !only.test(((software.amazon.awssdk.services.dynamodb.model.QueryRequest) request).tableName()) ? 0
                    : q.scannedCount() == null ? q.count() : q.scannedCount();
        } else if (r instanceof ScanResponse s) {
            n = !only.test(((software.amazon.awssdk.services.dynamodb.model.ScanRequest) request).tableName()) ? 0
                    : s.scannedCount() == null ? s.count() : s.scannedCount();
        } else if (r instanceof GetItemResponse g) {
            n = !only.test(((software.amazon.awssdk.services.dynamodb.model.GetItemRequest) request).tableName()) ? 0
                    : g.hasItem() && !g.item().isEmpty() ? 1 : 0;
        } else if (r instanceof BatchGetItemResponse b) {
            n = b.responses().entrySet().stream().filter(e -> only.test(e.getKey())).mapToLong(e -> e.getValue().size()).sum();
        }
        if (n >= 0) {
            ITEMS.addAndGet(n);
            CALLS.incrementAndGet();
        }
    }
}
