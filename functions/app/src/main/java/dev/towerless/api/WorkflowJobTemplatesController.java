package dev.towerless.api;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.workflows.WorkflowManager;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** AWX's workflow job templates: CRUD, {@code workflow_nodes/}, {@code launch/} and their {@code workflow_jobs/}. */
@Controller("/api/v2/workflow_job_templates")
public class WorkflowJobTemplatesController extends ResourceController {
    private static final List<String> ASKS = List.of("ask_inventory_on_launch", "ask_limit_on_launch",
            "ask_scm_branch_on_launch", "ask_variables_on_launch", "ask_labels_on_launch", "ask_skip_tags_on_launch",
            "ask_tags_on_launch");

    private final WorkflowJobs workflowJobs;
    private final WorkflowJobTemplateNodesController nodes;
    private final WorkflowManager workflows;

    public WorkflowJobTemplatesController(ApiContext ctx, WorkflowJobs workflowJobs, WorkflowJobTemplateNodesController nodes,
                                          WorkflowManager workflows) {
        super(ctx, Schemas.WORKFLOW_JOB_TEMPLATE);
        this.workflowJobs = workflowJobs;
        this.nodes = nodes;
        this.workflows = workflows;
    }

    @Get("/{id}/launch/")
    public HttpResponse<String> launchInfo(@PathVariable String id) {
        Resource t = find(id);
        Map<String, Object> out = new LinkedHashMap<>();
        ASKS.forEach(a -> out.put(a, t.flag(a)));
        out.put("can_start_without_user_input", true);
        out.put("survey_enabled", t.flag("survey_enabled"));
        out.put("variables_needed_to_start", List.of());
        out.put("node_templates_missing", ctx.resources().where(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE,
                "workflow_job_template", t.id()).stream().filter(n -> n.reference("unified_job_template").isEmpty())
                .map(Resource::id).toList());
        out.put("node_prompts_rejected", List.of());
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("extra_vars", t.fields().getOrDefault("extra_vars", ""));
        t.reference("inventory").flatMap(i -> ctx.resources().get(ResourceTypes.INVENTORY, i))
                .ifPresent(i -> defaults.put("inventory", Map.of("name", i.name(), "id", i.id())));
        defaults.put("limit", t.get("limit"));
        defaults.put("scm_branch", t.get("scm_branch"));
        out.put("defaults", defaults);
        out.put("workflow_job_template_data", Map.of("name", t.name(), "id", t.id(),
                "description", t.fields().getOrDefault("description", "")));
        return Responses.ok(out);
    }

    /** A workflow job now (201); prompts the template does not ask for are reported as ignored. */
    @Post("/{id}/launch/")
    public HttpResponse<String> launch(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource t = find(id);
        Map<String, Object> input = Json.readObject(body);
        Map<String, Object> ignored = new TreeMap<>();
        Map<String, Object> extraVars = null;
        try {
            extraVars = Json.extraVars(input.get("extra_vars"), ctx.variables());
        } catch (IllegalArgumentException e) {
            throw ApiException.field("extra_vars", e.getMessage());
        }
        if (extraVars != null && !extraVars.isEmpty() && !t.flag("ask_variables_on_launch") && !t.flag("survey_enabled")) {
            ignored.put("extra_vars", extraVars);
            extraVars = null;
        }
        String limit = input.get("limit") == null ? null : input.get("limit").toString();
        if (limit != null && !t.flag("ask_limit_on_launch")) {
            ignored.put("limit", limit);
            limit = null;
        }
        Object inventoryInput = input.getOrDefault("inventory", input.get("inventory_id"));
        Long inventory = null;
        if (inventoryInput != null) {
            if (!(inventoryInput instanceof Number n) || ctx.resources().get(ResourceTypes.INVENTORY, n.longValue()).isEmpty()) {
                throw ApiException.field("inventory", "Invalid pk \"" + inventoryInput + "\" - object does not exist.");
            }
            if (t.flag("ask_inventory_on_launch")) {
                inventory = n(inventoryInput);
            } else {
                ignored.put("inventory", inventoryInput);
            }
        }
        UnifiedJob job = workflows.launch(t, extraVars, limit, inventory, Origin.user(AuthFilter.user(request)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workflow_job", job.id());
        out.put("ignored_fields", ignored);
        out.putAll(workflowJobs.render(job, new Views(ctx)));
        return Responses.created(out);
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }

    @Get("/{id}/workflow_nodes/")
    public HttpResponse<String> workflowNodes(@PathVariable String id, HttpRequest<?> request) {
        return nodes.listOf(request, find(id));
    }

    @Post("/{id}/workflow_nodes/")
    public HttpResponse<String> addNode(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource t = find(id);
        Map<String, Object> input = new LinkedHashMap<>(Json.readObject(body));
        input.put("workflow_job_template", t.id());
        return nodes.create(request, Json.write(input));
    }

    @Get("/{id}/workflow_jobs/")
    public HttpResponse<String> workflowJobsOf(@PathVariable String id, HttpRequest<?> request) {
        return workflowJobs.listOf(request, ctx.jobs().ofTemplate(find(id).id(), 1000));
    }

    /** Refused while it runs; its nodes go with it (its schedules too, as for every template). */
    @Override
    protected void beforeDelete(Resource r) {
        InUse.refuseIfActive(ctx, j -> j.longField(JobFields.UNIFIED_JOB_TEMPLATE).orElse(-1L) == r.id());
        ctx.resources().where(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "workflow_job_template", r.id())
                .forEach(n -> ctx.resources().delete(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, n.id()));
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        NotificationAssociationsController.addRelated(selfUrl(r), related);
        for (String sub : List.of("launch", "workflow_nodes", "workflow_jobs", "labels", "survey_spec", "copy",
                "activity_stream")) {
            related.put(sub, selfUrl(r) + sub + "/");
        }
    }

    @Override
    protected void addSummary(Resource r, Map<String, Object> summary, Views views) {
        LastUpdateView.launchableSummary(r, summary, views);
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        SchedulesController.addTo(r, out, views);
        Optional<UnifiedJob> last = views.lastJobOf(r.id());
        LastUpdateView.lastJob(last, out);
        out.put("webhook_credential", null);
    }

    /** {@code workflow_jobs/}: the runs, with their {@code workflow_nodes/}. */
    @Controller("/api/v2/workflow_jobs")
    public static class WorkflowJobs extends UnifiedJobController {
        private final WorkflowManager workflows;

        public WorkflowJobs(ApiContext ctx, WorkflowManager workflows) {
            super(ctx, JobKind.WORKFLOW_JOB);
            this.workflows = workflows;
        }

        @Get("/{id}/relaunch/")
        public HttpResponse<String> relaunchInfo(@PathVariable String id) {
            find(id);
            return Responses.ok(Map.of());
        }

        /** The same nodes and variables, run again (201, {@code launch_type=relaunch}). */
        @Post("/{id}/relaunch/")
        public HttpResponse<String> relaunch(@PathVariable String id, HttpRequest<?> request) {
            UnifiedJob relaunched = workflows.relaunch(find(id),
                    Origin.user(AuthFilter.user(request), dev.towerless.core.jobs.LaunchType.RELAUNCH));
            Map<String, Object> out = new LinkedHashMap<>(render(relaunched, new Views(ctx)));
            out.put("workflow_job", relaunched.id());
            return Responses.created(out);
        }

        @Get("/{id}/workflow_nodes/")
        public HttpResponse<String> workflowNodes(@PathVariable String id, HttpRequest<?> request) {
            UnifiedJob job = find(id);
            List<Map<String, Object>> nodes = WorkflowManager.nodesOf(job);
            List<Long> childIds = new ArrayList<>();
            nodes.forEach(n -> {
                if (n.get("job") instanceof Number j) {
                    childIds.add(j.longValue());
                }
            });
            Map<Long, UnifiedJob> children = ctx.jobs().findMany(childIds);
            Views views = new Views(ctx);
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

        @Override
        protected void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views) {
            UnifiedJobControllers.link(j, "workflow_job_template", ResourceTypes.WORKFLOW_JOB_TEMPLATE, "workflow_job_templates",
                    related, summary, views);
            related.put("workflow_nodes", ApiContext.url("workflow_jobs", j.id()) + "workflow_nodes/");
        }
    }
}
