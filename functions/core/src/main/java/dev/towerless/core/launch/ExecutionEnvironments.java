package dev.towerless.core.launch;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.Comparator;
import java.util.Optional;

/**
 * Which execution environment a job runs in, as AWX resolves it: its template's, else its
 * project's default, else its organization's default, else the installation's managed default.
 */
public final class ExecutionEnvironments {
    private ExecutionEnvironments() {
    }

    public static Optional<Long> resolve(ResourceStore resources, Resource template, Optional<Resource> project,
                                         Optional<Long> organization) {
        return template.reference("execution_environment")
                .or(() -> project.flatMap(p -> p.reference("default_environment")))
                .or(() -> organization.flatMap(o -> resources.get(ResourceTypes.ORGANIZATION, o))
                        .flatMap(o -> o.reference("default_environment")))
                .or(() -> managedDefault(resources));
    }

    /** The managed execution environment the installation made (the runner image the stack deploys). */
    public static Optional<Long> managedDefault(ResourceStore resources) {
        return resources.all(ResourceTypes.EXECUTION_ENVIRONMENT).stream().filter(e -> e.flag("managed"))
                .min(Comparator.comparingLong(Resource::id)).map(Resource::id);
    }
}
