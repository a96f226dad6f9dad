package dev.towerless.api.jobs;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.inventories.InventoryUpdatesController;
import dev.towerless.api.projects.ProjectUpdatesController;
import dev.towerless.api.workflows.WorkflowApprovalsController;
import dev.towerless.api.workflows.WorkflowJobsController;
import dev.towerless.core.access.UnifiedJobAccess;
import dev.towerless.core.jobs.UnifiedJob;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** AWX's {@code unified_jobs/}: jobs of every kind in one list, each rendered as itself. */
@Controller("/api/v2/unified_jobs")
public class UnifiedJobsController {
    private final ApiContext ctx;
    private final List<UnifiedJobController> jobKinds;

    public UnifiedJobsController(ApiContext ctx, JobsController jobs, ProjectUpdatesController projectUpdates,
                                 InventoryUpdatesController inventoryUpdates, AdHocCommandsController adHoc,
                                 SystemJobsController systemJobs, WorkflowJobsController workflowJobs,
                                 WorkflowApprovalsController approvals) {
        this.ctx = ctx;
        this.jobKinds = List.of(jobs, projectUpdates, inventoryUpdates, adHoc, systemJobs, workflowJobs, approvals);
    }

    /** A job of any kind, rendered by its own controller. */
    public Map<String, Object> render(UnifiedJob job, Views views) {
        for (UnifiedJobController kind : jobKinds) {
            if (kind.kind == job.kind()) {
                return kind.render(job, views);
            }
        }
        throw new IllegalStateException("no controller renders " + job.kind());
    }

    /** A filtered, paged listing of jobs of any kinds (e.g. a schedule's runs). */
    public HttpResponse<String> listOf(HttpRequest<?> request, List<UnifiedJob> jobs) {
        Views views = Views.of(ctx, request);
        return page(request, jobs.stream().filter(j -> UnifiedJobAccess.canSee(views.access(), j)).map(j -> render(j, views)).toList());
    }

    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        Views views = Views.of(ctx, request);
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (UnifiedJobController kind : jobKinds) {
            for (UnifiedJob j : ctx.jobs().all(kind.kind)) {
                if (UnifiedJobAccess.canSee(views.access(), j)) {
                    rendered.add(kind.render(j, views));
                }
            }
        }
        return page(request, rendered);
    }

    private static HttpResponse<String> page(HttpRequest<?> request, List<Map<String, Object>> rendered) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap()).describing("UnifiedJob");
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }
}
