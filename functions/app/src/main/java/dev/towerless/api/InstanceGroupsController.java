package dev.towerless.api;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.scheduling.TaskManager;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.Map;

/**
 * Instance groups: AWX's fields, with the live numbers (jobs running, consumed capacity) computed
 * from the active jobs assigned to each group. The default group cannot be deleted.
 */
@Controller("/api/v2/instance_groups")
public class InstanceGroupsController extends ResourceController {
    private final ControlPlaneView view;

    public InstanceGroupsController(ApiContext ctx, ControlPlaneView view) {
        super(ctx, Schemas.INSTANCE_GROUP);
        this.view = view;
    }

    @Override
    protected void beforeDelete(Resource group) {
        if (group.id() == TaskManager.DEFAULT_INSTANCE_GROUP) {
            throw ApiException.forbidden("The default instance group cannot be deleted.");
        }
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("jobs", selfUrl(r) + "jobs/");
        related.put("instances", selfUrl(r) + "instances/");
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        out.putAll(view.usage(r, views.activeJobs()));
    }

    /** {@code instances/}: one per live runner. */
    @Controller("/api/v2/instances")
    public static class Instances {
        private final ControlPlaneView view;

        public Instances(ControlPlaneView view) {
            this.view = view;
        }

        @Get("/")
        public HttpResponse<String> list(HttpRequest<?> request) {
            ListQuery q = ListQuery.parse(request.getParameters().asMap());
            ListQuery.Paged<Map<String, Object>> page = q.apply(view.instances(), m -> m);
            return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
        }
    }
}
