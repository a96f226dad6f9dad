package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/**
 * Lambda entry point: the housekeeping queues → {@link HousekeepingConsumer}, and the
 * resource-tasks queue → {@link ResourceTaskConsumer} (one function for the control plane's
 * background work; each batch comes from one queue's event source).
 */
public class HousekeepingHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {
    @Inject
    HousekeepingConsumer consumer;
    @Inject
    ResourceTaskConsumer resourceTasks;

    @Override
    public SQSBatchResponse execute(SQSEvent input) {
        boolean tasks = !input.getRecords().isEmpty() && ResourceTaskConsumer.consumes(input.getRecords().get(0).getEventSourceArn());
        return tasks ? resourceTasks.handle(input) : consumer.handle(input);
    }
}
