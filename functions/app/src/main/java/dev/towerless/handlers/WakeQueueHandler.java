package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/** Lambda entry point: SQS wake queue → {@link WakeConsumer} (ReportBatchItemFailures on). */
public class WakeQueueHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {
    @Inject
    WakeConsumer consumer;

    @Override
    public SQSBatchResponse execute(SQSEvent input) {
        return consumer.handle(input);
    }
}
