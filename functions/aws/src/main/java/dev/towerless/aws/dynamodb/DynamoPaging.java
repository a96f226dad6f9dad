package dev.towerless.aws.dynamodb;

import dev.towerless.core.ports.Page;
import dev.towerless.core.ports.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * AWX's numbered pages over DynamoDB's cursors: read up to offset + size items (keys only
 * for the skipped part would cost the same read units), and count with Select=COUNT.
 */
final class DynamoPaging {
    private DynamoPaging() {
    }

    static <T> Page<T> page(DynamoDbClient client, QueryRequest.Builder query, PageRequest page,
                            Function<Map<String, AttributeValue>, T> mapper) {
        List<T> items = new ArrayList<>();
        int skip = page.offset();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse resp = client.query(query.exclusiveStartKey(start).limit(null).select((Select) null).build());
            for (Map<String, AttributeValue> item : resp.items()) {
                if (skip > 0) {
                    skip--;
                } else if (items.size() < page.pageSize()) {
                    items.add(mapper.apply(item));
                }
            }
            start = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
        } while (start != null && items.size() < page.pageSize());
        return new Page<>(items, count(client, query));
    }

    static long count(DynamoDbClient client, QueryRequest.Builder query) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse resp = client.query(query.exclusiveStartKey(start).select(Select.COUNT).build());
            count += resp.count();
            start = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }
}
