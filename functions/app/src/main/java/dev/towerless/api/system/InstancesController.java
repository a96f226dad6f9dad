package dev.towerless.api.system;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.Responses;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.access.UnifiedJobAccess;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code instances/}: one per live runner. As in AWX, a user sees the instances of the instance
 * groups they may see, and the job a runner runs only if they may see that job.
 */
@Controller("/api/v2/instances")
public class InstancesController {
    private final ControlPlaneView view;

    public InstancesController(ControlPlaneView view) {
        this.view = view;
    }

    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        return listOf(request, null);
    }

    /** The instances the caller may see; only those of {@code ofGroup} unless it is null. */
    public HttpResponse<String> listOf(HttpRequest<?> request, Long ofGroup) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        Access access = AuthFilter.access(request);
        List<Map<String, Object>> visible = new ArrayList<>();
        for (Map<String, Object> instance : view.instances()) {
            if (ofGroup != null && !(instance.get("instance_group") instanceof Number g && g.longValue() == ofGroup)) {
                continue;
            }
            if (access.readsAll()) {
                visible.add(instance);
                continue;
            }
            Optional<Resource> group = instance.get("instance_group") instanceof Number g
                    ? access.lookup().find(ResourceTypes.INSTANCE_GROUP, g.longValue()) : Optional.empty();
            if (group.isPresent() && AccessPolicies.INSTANCE_GROUPS.canSee(access, group.get())) {
                Map<String, Object> shown = new LinkedHashMap<>(instance);
                long jobId = ((Number) instance.get("id")).longValue();
                if (access.lookup().job(jobId).filter(j -> UnifiedJobAccess.canSee(access, j)).isEmpty()) {
                    shown.put("job", null);
                }
                visible.add(shown);
            }
        }
        ListQuery.Paged<Map<String, Object>> page = q.apply(visible, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }
}
