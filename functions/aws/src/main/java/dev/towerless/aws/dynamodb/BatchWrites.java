package dev.towerless.aws.dynamodb;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * BatchWriteItem as the stores use it: at most 25 requests a call, and what DynamoDB leaves
 * unprocessed (throttling) sent again with exponential backoff, a bounded number of times.
 */
final class BatchWrites {
    static final int BATCH = 25;
    static final int MAX_ATTEMPTS = 8;

    private BatchWrites() {
    }

    /** All of {@code requests}, in batches of {@link #BATCH}; {@code what} names them in the error. */
    static void writeAll(DynamoTable table, List<WriteRequest> requests, String what) {
        for (int i = 0; i < requests.size(); i += BATCH) {
            writeBatch(table, requests.subList(i, Math.min(requests.size(), i + BATCH)), what);
        }
    }

    /** One batch of at most {@link #BATCH} requests, retried until nothing is left unprocessed. */
    static void writeBatch(DynamoTable table, List<WriteRequest> batch, String what) {
        Map<String, List<WriteRequest>> pending = Map.of(table.name, batch);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Map<String, List<WriteRequest>> toWrite = pending;
            BatchWriteItemResponse resp = table.client.batchWriteItem(r -> r.requestItems(toWrite));
            if (!resp.hasUnprocessedItems() || resp.unprocessedItems().isEmpty()) {
                return;
            }
            pending = resp.unprocessedItems();
            try {
                Thread.sleep(25L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotWritten("interrupted while storing " + what, e);
            }
        }
        throw new NotWritten(what + " not stored after " + MAX_ATTEMPTS + " attempts (throttled)", null);
    }

    /** Items a batch could not write: throttled past the retries, or interrupted. */
    static final class NotWritten extends IllegalStateException {
        NotWritten(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
