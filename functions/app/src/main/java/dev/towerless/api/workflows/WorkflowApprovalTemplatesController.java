package dev.towerless.api.workflows;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.templates.LastUpdateView;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.Schemas;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.Map;

/** {@code workflow_approval_templates/}: made through a node's {@code create_approval_template/}, then editable. */
@Controller("/api/v2/workflow_approval_templates")
public class WorkflowApprovalTemplatesController extends ResourceController {
    private final WorkflowApprovalsController approvals;

    public WorkflowApprovalTemplatesController(ApiContext ctx, WorkflowApprovalsController approvals) {
        super(ctx, Schemas.WORKFLOW_APPROVAL_TEMPLATE);
        this.approvals = approvals;
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input,
                                                HttpRequest<?> request) {
        throw ApiException.methodNotAllowed("POST");
    }

    /** Used by a node's {@code create_approval_template/}; the step belongs to the node's workflow, for access. */
    public HttpResponse<String> createFor(HttpRequest<?> request, @Nullable @Body String body, long workflowTemplate) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>(ctx.validator().forCreate(schema, Json.readObject(body)));
        fields.put("workflow_job_template", workflowTemplate);
        fields.putAll(dev.towerless.app.Stamps.created(ctx.clock()));
        Resource created = ctx.resources().create(schema.type(), fields);
        return Responses.created(render(created, Views.of(ctx, request)));
    }

    @Get("/{id}/approvals/")
    public HttpResponse<String> approvalsOf(@PathVariable String id, HttpRequest<?> request) {
        return approvals.listOfTemplate(request, findVisible(id, request).id());
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("approvals", selfUrl(r) + "approvals/");
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        LastUpdateView.lastJob(views.lastJobOf(r.id()), out);
        out.put("next_job_run", null);
        out.put("execution_environment", null);
    }
}
