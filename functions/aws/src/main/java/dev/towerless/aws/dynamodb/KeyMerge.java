package dev.towerless.aws.dynamodb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * AWX's numbered pages over one or several keys-only index queries, each sorted by job id (or by
 * a sort key and then id: {@code by_finished_keys}), merged into one order ({@code unified_jobs/}
 * is every kind's {@code by_type_keys} partition). Each query is read in chunks only as far as the merge needs: page N of size S
 * reads about (N-1)·S + S keys, plus at most one chunk per query beyond that, and never the
 * rest of the history. The first chunks of all queries are read at once.
 */
final class KeyMerge {
    private static final int MAX_CHUNK = 1000;
    private static final ExecutorService READERS = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "key-merge-reader");
        t.setDaemon(true);
        return t;
    });

    private final List<Cursor> cursors;
    private final java.util.Comparator<Key> order;
    private int skipped;

    private KeyMerge(List<Cursor> cursors, boolean descending) {
        this.cursors = cursors;
        java.util.Comparator<Key> ascending = java.util.Comparator.comparing(Key::sort).thenComparingLong(Key::id);
        this.order = descending ? ascending.reversed() : ascending;
    }

    /** Queries that each return items with a numeric {@code id}, in the given id order. */
    static KeyMerge of(DynamoDbClient client, List<QueryRequest.Builder> queries, boolean descending) {
        return new KeyMerge(queries.stream().map(q -> new Cursor(client, q, null)).toList(), descending);
    }

    /** Queries sorted by the string {@code sortAttribute}, then (for equal ones, as a query returns them) id. */
    static KeyMerge of(DynamoDbClient client, List<QueryRequest.Builder> queries, String sortAttribute, boolean descending) {
        return new KeyMerge(queries.stream().map(q -> new Cursor(client, q, sortAttribute)).toList(), descending);
    }

    /** How many ids the last {@link #skipAndTake} skipped: fewer than asked when the queries ran out first. */
    int skipped() {
        return skipped;
    }

    /** One entry of a query: its sort value ("" in id order) and its job id. */
    private record Key(String sort, long id) {
    }

    /** The ids after the first {@code skip}, at most {@code take} of them; a second call goes on after those. */
    List<Long> skipAndTake(int skip, int take) {
        List<Long> out = new ArrayList<>(Math.min(Math.max(0, take), MAX_CHUNK));
        skipped = 0;
        if (take <= 0) {
            return out;
        }
        long needed = (long) skip + take;
        // the first chunk of every query at once: for page 1 the whole read is this one round
        int first = (int) Math.min(MAX_CHUNK, Math.max(1, cursors.size() == 1 ? needed : Math.min(needed, take)));
        // (a later call continues the same merge: its cursors are read already)
        List<Cursor> unread = cursors.stream().filter(c -> c.buffer.isEmpty() && !c.done).toList();
        if (unread.size() == 1) {
            unread.get(0).fill(first);
        } else if (unread.size() > 1) {
            CompletableFuture.allOf(unread.stream().map(c -> CompletableFuture.runAsync(() -> c.fill(first), READERS))
                    .toArray(CompletableFuture[]::new)).join();
        }
        skipped = 0;
        while (out.size() < take) {
            Cursor best = null;
            long live = cursors.stream().filter(c -> !c.exhausted()).count();
            for (Cursor c : cursors) {
                if (c.buffer.isEmpty() && !c.done) {
                    long remaining = needed - skipped - out.size();
                    c.fill((int) Math.min(MAX_CHUNK, Math.max(take, remaining / Math.max(1, live))));
                }
                if (c.buffer.isEmpty()) {
                    continue;
                }
                if (best == null || order.compare(c.buffer.peek(), best.buffer.peek()) < 0) {
                    best = c;
                }
            }
            if (best == null) {
                break;
            }
            long id = best.buffer.poll().id();
            if (skipped < skip) {
                skipped++;
            } else {
                out.add(id);
            }
        }
        return out;
    }

    private static final class Cursor {
        private final DynamoDbClient client;
        private final QueryRequest.Builder query;
        private final String sortAttribute;
        private final ArrayDeque<Key> buffer = new ArrayDeque<>();
        private Map<String, AttributeValue> start;
        private boolean done;

        Cursor(DynamoDbClient client, QueryRequest.Builder query, String sortAttribute) {
            this.client = client;
            this.query = query;
            this.sortAttribute = sortAttribute;
        }

        boolean exhausted() {
            return done && buffer.isEmpty();
        }

        void fill(int limit) {
            if (done) {
                return;
            }
            QueryResponse resp = client.query(query.exclusiveStartKey(start).limit(limit).build());
            resp.items().forEach(item -> buffer.add(new Key(sortAttribute == null ? "" : item.get(sortAttribute).s(),
                    Long.parseLong(item.get("id").n()))));
            start = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
            done = start == null;
        }
    }
}
