package dev.towerless.api;

import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** AWX's {@code unified_jobs/} and {@code unified_job_templates/}: every kind in one list, each rendered as itself. */
@Controller("/api/v2")
public class UnifiedListsController {
    private final ApiContext ctx;
    private final List<UnifiedJobController> jobKinds;
    private final Map<String, ResourceController> templateKinds;

    public UnifiedListsController(ApiContext ctx, UnifiedJobControllers.Jobs jobs, UnifiedJobControllers.ProjectUpdates projectUpdates,
                                  InventorySourcesController.InventoryUpdates inventoryUpdates, AdHocCommandsController adHoc,
                                  SystemJobTemplatesController.SystemJobs systemJobs, JobTemplatesController jobTemplates,
                                  ProjectsController projects, InventorySourcesController sources,
                                  SystemJobTemplatesController systemJobTemplates,
                                  WorkflowJobTemplatesController.WorkflowJobs workflowJobs,
                                  WorkflowJobTemplatesController workflowJobTemplates,
                                  WorkflowApprovalsController approvals, WorkflowApprovalsController.Templates approvalTemplates) {
        this.ctx = ctx;
        this.jobKinds = List.of(jobs, projectUpdates, inventoryUpdates, adHoc, systemJobs, workflowJobs, approvals);
        this.templateKinds = Map.of(ResourceTypes.JOB_TEMPLATE, jobTemplates, ResourceTypes.PROJECT, projects,
                ResourceTypes.INVENTORY_SOURCE, sources, ResourceTypes.SYSTEM_JOB_TEMPLATE, systemJobTemplates,
                ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflowJobTemplates,
                ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, approvalTemplates);
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
        Views views = new Views(ctx);
        return page(request, jobs.stream().map(j -> render(j, views)).toList());
    }

    @Get("/unified_jobs/")
    public HttpResponse<String> unifiedJobs(HttpRequest<?> request) {
        Views views = new Views(ctx);
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (UnifiedJobController kind : jobKinds) {
            for (UnifiedJob j : ctx.jobs().all(kind.kind)) {
                rendered.add(kind.render(j, views));
            }
        }
        return page(request, rendered);
    }

    @Get("/unified_job_templates/")
    public HttpResponse<String> unifiedJobTemplates(HttpRequest<?> request) {
        Views views = new Views(ctx);
        List<Map<String, Object>> rendered = new ArrayList<>();
        templateKinds.forEach((type, controller) -> {
            for (Resource r : ctx.resources().all(type)) {
                rendered.add(controller.render(r, views));
            }
        });
        return page(request, rendered);
    }

    private static HttpResponse<String> page(HttpRequest<?> request, List<Map<String, Object>> rendered) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }
}
