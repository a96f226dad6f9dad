package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/** Lambda entry point: the housekeeping queues → {@link HousekeepingConsumer}. */
public class HousekeepingHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {
    @Inject
    HousekeepingConsumer consumer;

    @Override
    public SQSBatchResponse execute(SQSEvent input) {
        return consumer.handle(input);
    }
}
