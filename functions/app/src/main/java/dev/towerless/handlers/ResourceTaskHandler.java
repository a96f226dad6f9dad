package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/** Lambda entry point: the resource-tasks queue → {@link ResourceTaskConsumer}. */
public class ResourceTaskHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {
    @Inject
    ResourceTaskConsumer consumer;

    @Override
    public SQSBatchResponse execute(SQSEvent input) {
        return consumer.handle(input);
    }
}
