package dev.towerless.api.workflows;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.jobs.UnifiedJobController;
import dev.towerless.core.access.UnifiedJobAccess;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.workflows.WorkflowManager;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.Map;

/** AWX's {@code workflow_approvals/}: a workflow's approval steps, approved or denied by a person. */
@Controller("/api/v2/workflow_approvals")
public class WorkflowApprovalsController extends UnifiedJobController {
    private final WorkflowManager workflows;

    public WorkflowApprovalsController(ApiContext ctx, WorkflowManager workflows) {
        super(ctx, JobKind.WORKFLOW_APPROVAL);
        this.workflows = workflows;
    }

    @Get("/{id}/approve/")
    public HttpResponse<String> approveInfo(@PathVariable String id, HttpRequest<?> request) {
        findVisible(id, request);
        return Responses.ok(Map.of());
    }

    @Get("/{id}/deny/")
    public HttpResponse<String> denyInfo(@PathVariable String id, HttpRequest<?> request) {
        findVisible(id, request);
        return Responses.ok(Map.of());
    }

    @Post("/{id}/approve/")
    public HttpResponse<String> approve(@PathVariable String id, HttpRequest<?> request) {
        return decide(id, true, request);
    }

    @Post("/{id}/deny/")
    public HttpResponse<String> deny(@PathVariable String id, HttpRequest<?> request) {
        return decide(id, false, request);
    }

    private HttpResponse<String> decide(String id, boolean approve, HttpRequest<?> request) {
        UnifiedJob approval = findVisible(id, request);
        ApiException.require(UnifiedJobAccess.canApprove(AuthFilter.access(request), approval));
        return switch (workflows.decide(approval.id(), approve, AuthFilter.user(request))) {
            case DONE -> Responses.noContent();
            case ALREADY_DECIDED -> throw new ApiException(HttpStatus.BAD_REQUEST,
                    Map.of("error", "This workflow step has already been approved or denied."));
            case NOT_FOUND -> throw ApiException.notFound();
        };
    }

    @Override
    protected void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views) {
        link(j, "workflow_approval_template", ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE,
                "workflow_approval_templates", related, summary, views);
        String self = ApiContext.url("workflow_approvals", j.id());
        related.put("approve", self + "approve/");
        related.put("deny", self + "deny/");
    }
}
