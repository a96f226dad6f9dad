package dev.towerless.aws.profiling;

import dev.towerless.core.profiling.StoreProfiling;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Times every DynamoDB call of a client, retries included, and hands it to the core's
 * {@link StoreProfiling} switch with its operation, table, index and the items it read. Costs two
 * {@code System.nanoTime()} calls per call when profiling is off.
 */
public final class DynamoCallTimer implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("towerless.store-call-started");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        report(context.request(), Optional.of(context.response()), attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        report(context.request(), Optional.empty(), attributes);
    }

    private static void report(SdkRequest request, Optional<SdkResponse> response, ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started == null) {
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String operation = Optional.ofNullable(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)).orElse("?");
        StoreProfiling.finished(new StoreProfiling.Call(operation, table(request), request.getValueForField("IndexName", String.class)
                .orElse(""), response.map(DynamoCallTimer::itemsRead).orElse(0L), took, response.isEmpty()));
    }

    static String table(SdkRequest request) {
        if (request instanceof BatchGetItemRequest b) {
            return String.join(",", b.requestItems().keySet());
        }
        if (request instanceof BatchWriteItemRequest b) {
            return String.join(",", b.requestItems().keySet());
        }
        return request.getValueForField("TableName", String.class).orElse("");
    }

    static long itemsRead(SdkResponse response) {
        if (response instanceof QueryResponse q) {
            return q.count() == null ? 0 : q.count();
        }
        if (response instanceof ScanResponse s) {
            return s.count() == null ? 0 : s.count();
        }
        if (response instanceof GetItemResponse g) {
            return g.hasItem() && !g.item().isEmpty() ? 1 : 0;
        }
        if (response instanceof BatchGetItemResponse b) {
            return b.responses().values().stream().mapToLong(List::size).sum();
        }
        return 0; // writes read nothing back (ReturnValues aside)
    }
}
