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
 * AWX's numbered pages over one or several keys-only index queries, each sorted by job id,
 * merged into one id order ({@code unified_jobs/} is every kind's {@code by_type_keys}
 * partition). Each query is read in chunks only as far as the merge needs: page N of size S
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
    private final boolean descending;

    private KeyMerge(List<Cursor> cursors, boolean descending) {
        this.cursors = cursors;
        this.descending = descending;
    }

    /** Queries that each return items with a numeric {@code id}, in the given id order. */
    static KeyMerge of(DynamoDbClient client, List<QueryRequest.Builder> queries, boolean descending) {
        return new KeyMerge(queries.stream().map(q -> new Cursor(client, q)).toList(), descending);
    }

    /** The ids after the first {@code skip}, at most {@code take} of them; a second call goes on after those. */
    List<Long> skipAndTake(int skip, int take) {
        List<Long> out = new ArrayList<>(Math.min(take, MAX_CHUNK));
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
        int skipped = 0;
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
                if (best == null || (descending ? c.buffer.peek() > best.buffer.peek() : c.buffer.peek() < best.buffer.peek())) {
                    best = c;
                }
            }
            if (best == null) {
                break;
            }
            long id = best.buffer.poll();
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
        private final ArrayDeque<Long> buffer = new ArrayDeque<>();
        private Map<String, AttributeValue> start;
        private boolean done;

        Cursor(DynamoDbClient client, QueryRequest.Builder query) {
            this.client = client;
            this.query = query;
        }

        boolean exhausted() {
            return done && buffer.isEmpty();
        }

        void fill(int limit) {
            if (done) {
                return;
            }
            QueryResponse resp = client.query(query.exclusiveStartKey(start).limit(limit).build());
            resp.items().forEach(item -> buffer.add(Long.parseLong(item.get("id").n())));
            start = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
            done = start == null;
        }
    }
}
