package dev.towerless.api.system;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.jobs.UnifiedJobsController;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Instance groups: AWX's fields, with the live numbers (jobs running, consumed capacity) computed
 * from the active jobs assigned to each group. The default group cannot be deleted, not even by a
 * superuser (its policy says so).
 */
@Controller("/api/v2/instance_groups")
public class InstanceGroupsController extends ResourceController {
    private final ControlPlaneView view;
    private final InstancesController instances;
    private final jakarta.inject.Provider<UnifiedJobsController> unifiedJobs;

    public InstanceGroupsController(ApiContext ctx, ControlPlaneView view, InstancesController instances,
                                    jakarta.inject.Provider<UnifiedJobsController> unifiedJobs) {
        super(ctx, Schemas.INSTANCE_GROUP);
        this.view = view;
        this.instances = instances;
        this.unifiedJobs = unifiedJobs;
    }

    /** The runners of this group. */
    @Get("/{id}/instances/")
    public HttpResponse<String> groupInstances(@PathVariable String id, HttpRequest<?> request) {
        return instances.listOf(request, findVisible(id, request).id());
    }

    /**
     * The jobs that ran (or run) in this group. No index holds jobs by group: this reads the
     * newest {@link UnifiedJobController#WALK_BUDGET} jobs of every kind and says so when it
     * stopped there (a Warning header; the count is then a lower bound).
     */
    @Get("/{id}/jobs/")
    public HttpResponse<String> groupJobs(@PathVariable String id, HttpRequest<?> request) {
        long group = findVisible(id, request).id();
        var walk = ctx.jobs().walk(java.util.EnumSet.allOf(JobKind.class), true,
                dev.towerless.api.jobs.UnifiedJobController.walkBudget());
        List<UnifiedJob> jobs = walk.jobs().stream()
                .filter(j -> j.longField(JobFields.INSTANCE_GROUP).orElse(-1L) == group).toList();
        return unifiedJobs.get().listOf(request, jobs, walk.complete());
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
