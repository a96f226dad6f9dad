package dev.towerless.api.workflows;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.jobs.UnifiedJobController;
import dev.towerless.core.access.UnifiedJobAccess;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.workflows.WorkflowManager;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code workflow_jobs/}: the runs, with their {@code workflow_nodes/}. */
@Controller("/api/v2/workflow_jobs")
public class WorkflowJobsController extends UnifiedJobController {
    private final WorkflowManager workflows;

    @Override
    protected boolean relaunchable() {
        return true;
    }

    public WorkflowJobsController(ApiContext ctx, WorkflowManager workflows) {
        super(ctx, JobKind.WORKFLOW_JOB);
        this.workflows = workflows;
    }

    @Get("/{id}/relaunch/")
    public HttpResponse<String> relaunchInfo(@PathVariable String id, HttpRequest<?> request) {
        findVisible(id, request);
        return Responses.ok(Map.of());
    }

    /** The same nodes and variables, run again (201, {@code launch_type=relaunch}). */
    @Post("/{id}/relaunch/")
    public HttpResponse<String> relaunch(@PathVariable String id, HttpRequest<?> request) {
        UnifiedJob original = findVisible(id, request);
        ApiException.require(UnifiedJobAccess.canRelaunch(AuthFilter.access(request), original));
        UnifiedJob relaunched = workflows.relaunch(original,
                Origin.user(AuthFilter.user(request), dev.towerless.core.jobs.LaunchType.RELAUNCH));
        Map<String, Object> out = new LinkedHashMap<>(render(relaunched, Views.of(ctx, request)));
        out.put("workflow_job", relaunched.id());
        return Responses.created(out);
    }

    @Get("/{id}/workflow_nodes/")
    public HttpResponse<String> workflowNodes(@PathVariable String id, HttpRequest<?> request) {
        UnifiedJob job = findVisible(id, request);
        List<Map<String, Object>> nodes = WorkflowManager.nodesOf(job);
        List<Long> childIds = new ArrayList<>();
        nodes.forEach(n -> {
            if (n.get("job") instanceof Number j) {
                childIds.add(j.longValue());
            }
        });
        Map<Long, UnifiedJob> children = ctx.jobs().findMany(childIds);
        Views views = Views.of(ctx, request);
        List<Map<String, Object>> rendered = nodes.stream().map(n -> renderNode(job, n, children, views)).toList();
        // awx.awx finds an approval or a node's job by its name: job__name=…
        Map<String, List<String>> params = new LinkedHashMap<>(request.getParameters().asMap());
        List<String> jobName = params.remove("job__name");
        if (jobName != null && !jobName.isEmpty()) {
            rendered = rendered.stream().filter(n -> n.get("summary_fields") instanceof Map<?, ?> s
                    && s.get("job") instanceof Map<?, ?> j && jobName.get(0).equals(j.get("name"))).toList();
        }
        ListQuery q = ListQuery.parse(params);
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    /** A workflow job node as AWX shows it: its job with a concrete link, and whether it will run. */
    private Map<String, Object> renderNode(UnifiedJob workflow, Map<String, Object> n, Map<Long, UnifiedJob> children,
                                           Views views) {
        long id = ((Number) n.get("id")).longValue();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("type", "workflow_job_node");
        out.put("url", ApiContext.url("workflow_job_nodes", id));
        Map<String, Object> related = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        related.put("workflow_job", ApiContext.url("workflow_jobs", workflow.id()));
        UnifiedJob child = n.get("job") instanceof Number j ? children.get(j.longValue()) : null;
        if (child != null) {
            related.put("job", ApiContext.url(child.kind().endpoint(), child.id()));
            Map<String, Object> s = new LinkedHashMap<>(Views.jobSummary(child));
            s.put("canceled_on", child.get("canceled_on"));
            summary.put("job", s);
        }
        summary.put("workflow_job", Map.of("id", workflow.id(), "name", workflow.name()));
        out.put("related", related);
        out.put("summary_fields", summary);
        out.put("workflow_job", workflow.id());
        out.put("job", n.get("job"));
        out.put("do_not_run", n.get("do_not_run"));
        for (String f : List.of("unified_job_template", "identifier", "success_nodes", "failure_nodes", "always_nodes",
                "all_parents_must_converge", "extra_data", "inventory", "limit", "job_type", "verbosity")) {
            out.put(f, n.get(f));
        }
        return out;
    }

    /** The graph and its node claims are read through {@code workflow_nodes/}, not shown on the job. */
    @Override
    protected boolean internal(String field) {
        return WorkflowManager.NODES.equals(field) || field.startsWith(WorkflowManager.NODE_JOB);
    }

    @Override
    protected void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views) {
        link(j, "workflow_job_template", ResourceTypes.WORKFLOW_JOB_TEMPLATE, "workflow_job_templates",
                related, summary, views);
        related.put("workflow_nodes", ApiContext.url("workflow_jobs", j.id()) + "workflow_nodes/");
    }
}
