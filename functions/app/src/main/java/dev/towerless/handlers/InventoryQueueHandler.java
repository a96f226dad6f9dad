package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/** Lambda entry point: SQS inventories queue → {@link InventoryConsumer} (ReportBatchItemFailures on). */
public class InventoryQueueHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {
    @Inject
    InventoryConsumer consumer;

    @Override
    public SQSBatchResponse execute(SQSEvent input) {
        return consumer.handle(input);
    }
}
