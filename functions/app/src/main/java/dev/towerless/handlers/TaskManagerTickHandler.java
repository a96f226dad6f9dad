package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.towerless.core.scheduling.PassResult;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/** Lambda entry point: EventBridge schedule → {@link TaskManagerTick}. */
public class TaskManagerTickHandler extends MicronautRequestHandler<ScheduledEvent, String> {
    @Inject
    TaskManagerTick tick;

    @Override
    public String execute(ScheduledEvent input) {
        PassResult r = tick.handle(input);
        return "started=" + r.started() + " failed=" + r.failed() + " blocked=" + r.blocked() + " skipped=" + r.skipped();
    }
}
