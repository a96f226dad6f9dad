package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/** Lambda entry point: EventBridge schedule (every minute) → {@link SchedulerTick}. */
public class SchedulerTickHandler extends MicronautRequestHandler<ScheduledEvent, String> {
    @Inject
    SchedulerTick tick;

    @Override
    public String execute(ScheduledEvent input) {
        var r = tick.handle(input);
        return "launched=" + r.launched() + " skipped=" + r.skipped() + " recovered=" + r.recovered();
    }
}
