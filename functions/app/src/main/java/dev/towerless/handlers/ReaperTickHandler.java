package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/** Lambda entry point: EventBridge schedule → {@link ReaperTick}; ECS Task State Change → {@link EcsTaskEvents}. */
public class ReaperTickHandler extends MicronautRequestHandler<ScheduledEvent, String> {
    @Inject
    ReaperTick tick;
    @Inject
    EcsTaskEvents ecsEvents;

    @Override
    public String execute(ScheduledEvent input) {
        if ("ECS Task State Change".equals(input.getDetailType())) {
            return "reaped=" + ecsEvents.handle(input);
        }
        var r = tick.handle(input);
        return "examined=" + r.examined() + " reaped=" + r.reaped();
    }
}
