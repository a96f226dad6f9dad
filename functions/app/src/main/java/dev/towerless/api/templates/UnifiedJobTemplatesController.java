package dev.towerless.api.templates;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.inventories.InventorySourcesController;
import dev.towerless.api.projects.ProjectsController;
import dev.towerless.api.workflows.WorkflowApprovalTemplatesController;
import dev.towerless.api.workflows.WorkflowJobTemplatesController;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** AWX's {@code unified_job_templates/}: templates of every kind in one list, each rendered as itself. */
@Controller("/api/v2/unified_job_templates")
public class UnifiedJobTemplatesController {
    private final ApiContext ctx;
    private final Map<String, ResourceController> templateKinds;

    public UnifiedJobTemplatesController(ApiContext ctx, JobTemplatesController jobTemplates, ProjectsController projects,
                                         InventorySourcesController sources, SystemJobTemplatesController systemJobTemplates,
                                         WorkflowJobTemplatesController workflowJobTemplates,
                                         WorkflowApprovalTemplatesController approvalTemplates) {
        this.ctx = ctx;
        this.templateKinds = Map.of(ResourceTypes.JOB_TEMPLATE, jobTemplates, ResourceTypes.PROJECT, projects,
                ResourceTypes.INVENTORY_SOURCE, sources, ResourceTypes.SYSTEM_JOB_TEMPLATE, systemJobTemplates,
                ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflowJobTemplates,
                ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, approvalTemplates);
    }

    /** A filtered, paged listing of these templates (of any kinds) as far as the caller may see them. */
    public HttpResponse<String> listOf(HttpRequest<?> request, List<Resource> templates) {
        Views views = Views.of(ctx, request);
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (Resource r : templates) {
            ResourceController controller = templateKinds.get(r.type());
            if (controller != null && controller.policy().canSee(views.access(), r)) {
                rendered.add(controller.render(r, views));
            }
        }
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        Views views = Views.of(ctx, request);
        List<Map<String, Object>> rendered = new ArrayList<>();
        templateKinds.forEach((type, controller) -> {
            for (Resource r : ctx.resources().all(type)) {
                if (controller.policy().canSee(views.access(), r)) {
                    rendered.add(controller.render(r, views));
                }
            }
        });
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }
}
