package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/** Lambda entry point: SQS notifications queue → {@link NotificationConsumer} (ReportBatchItemFailures on). */
public class NotificationQueueHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {
    @Inject
    NotificationConsumer consumer;

    @Override
    public SQSBatchResponse execute(SQSEvent input) {
        return consumer.handle(input);
    }
}
