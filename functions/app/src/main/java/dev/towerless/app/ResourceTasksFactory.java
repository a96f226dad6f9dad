package dev.towerless.app;

import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.sqs.SqsMessageQueue;
import dev.towerless.core.access.Memberships;
import dev.towerless.core.copying.DeepCopy;
import dev.towerless.core.deletion.Deletions;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.LeaseStore;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.VariablesCodec;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The background work on stored objects (deletes, deep copies) and the queue that carries it. */
@Factory
public class ResourceTasksFactory {

    @Singleton
    @Named("resource-tasks")
    MessageQueue resourceTasksQueue(SqsClient sqs, Environment environment) {
        String name = TowerlessConfig.RESOURCE_TASKS_QUEUE_URL;
        String url = environment.getProperty(TowerlessFactory.propertyName(name), String.class)
                .or(() -> Optional.ofNullable(System.getenv(name))).orElse("");
        return new SqsMessageQueue(sqs, url);
    }

    @Singleton
    Deletions deletions(ResourceStore resources, JobStore jobs, EventStore events, Memberships memberships,
                        @Named("resource-tasks") MessageQueue tasks, VariablesCodec codec) {
        return new Deletions(resources, jobs, events, memberships, tasks, codec);
    }

    @Singleton
    dev.towerless.core.housekeeping.ResourceCounts resourceCounts(ResourceStore resources) {
        return new dev.towerless.core.housekeeping.ResourceCounts(resources);
    }

    @Singleton
    DeepCopy deepCopy(ResourceStore resources, Memberships memberships, LeaseStore leases, @Named("resource-tasks") MessageQueue tasks,
                      VariablesCodec codec, Clock clock) {
        return new DeepCopy(resources, memberships, leases, tasks, codec, clock);
    }
}
