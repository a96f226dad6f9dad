package dev.towerless.api.system;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.annotation.Controller;
import java.util.Map;

/**
 * Instance groups: AWX's fields, with the live numbers (jobs running, consumed capacity) computed
 * from the active jobs assigned to each group. The default group cannot be deleted, not even by a
 * superuser (its policy says so).
 */
@Controller("/api/v2/instance_groups")
public class InstanceGroupsController extends ResourceController {
    private final ControlPlaneView view;

    public InstanceGroupsController(ApiContext ctx, ControlPlaneView view) {
        super(ctx, Schemas.INSTANCE_GROUP);
        this.view = view;
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
}
