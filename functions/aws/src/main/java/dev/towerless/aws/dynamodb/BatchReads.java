package dev.towerless.aws.dynamodb;

import java.util.Map;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** BatchGetItem asked until every key is read: DynamoDB may leave keys unprocessed, and it does so when it throttles. */
final class BatchReads {
    static final int KEYS_PER_CALL = 100;

    private BatchReads() {
    }

    /** Reads {@code request} (at most {@link #KEYS_PER_CALL} keys), handing each item found to {@code item} with its table. */
    static void readAll(DynamoDbClient client, Map<String, KeysAndAttributes> request,
                        BiConsumer<String, Map<String, AttributeValue>> item) {
        Map<String, KeysAndAttributes> toRead = request;
        while (toRead != null && !toRead.isEmpty()) {
            Map<String, KeysAndAttributes> asked = toRead;
            var resp = client.batchGetItem(r -> r.requestItems(asked));
            resp.responses().forEach((table, items) -> items.forEach(i -> item.accept(table, i)));
            toRead = resp.hasUnprocessedKeys() && !resp.unprocessedKeys().isEmpty() ? resp.unprocessedKeys() : null;
            if (toRead != null) {
                pause(); // unprocessed keys mean throttling: asking again at once would be refused again
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in a batch read", e);
        }
    }
}
