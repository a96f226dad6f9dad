package dev.towerless.api.dialect;

import dev.towerless.core.jobs.UnifiedJob;
import io.micronaut.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** AWX's 409 for deleting a resource that active jobs use, listing those jobs. */
public final class InUse {
    private InUse() {
    }

    public static void refuseIfActive(ApiContext ctx, Predicate<UnifiedJob> uses) {
        List<Map<String, Object>> active = ctx.jobs().active().stream().filter(uses)
                .map(j -> Map.<String, Object>of("type", j.kind().type(), "id", j.id())).toList();
        if (!active.isEmpty()) {
            throw new ApiException(HttpStatus.CONFLICT, Map.of("error", "Resource is being used by running jobs.",
                    "active_jobs", active));
        }
    }
}
