package dev.towerless.api.workflows;

import dev.towerless.core.access.AccessDenied;
import dev.towerless.core.organizations.HostLimit;
import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.InUse;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.labels.LabelLinks;
import dev.towerless.api.notifications.NotificationAssociationsController;
import dev.towerless.api.schedules.SchedulesController;
import dev.towerless.api.templates.LastUpdateView;
import dev.towerless.api.templates.SurveySpecs;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.LaunchAccess;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.launch.Survey;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.workflows.WorkflowManager;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
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

    private final WorkflowJobsController workflowJobs;
    private final WorkflowJobTemplateNodesController nodes;
    private final WorkflowManager workflows;
    private final LabelLinks labelLinks;

    public WorkflowJobTemplatesController(ApiContext ctx, WorkflowJobsController workflowJobs, WorkflowJobTemplateNodesController nodes,
                                          WorkflowManager workflows, LabelLinks labelLinks) {
        super(ctx, Schemas.WORKFLOW_JOB_TEMPLATE);
        this.workflowJobs = workflowJobs;
        this.nodes = nodes;
        this.workflows = workflows;
        this.labelLinks = labelLinks;
    }

    @Get("/{id}/launch/")
    public HttpResponse<String> launchInfo(@PathVariable String id, HttpRequest<?> request) {
        Resource t = findVisible(id, request);
        Map<String, Object> out = new LinkedHashMap<>();
        ASKS.forEach(a -> out.put(a, t.flag(a)));
        List<String> needed = Survey.neededToStart(t);
        out.put("can_start_without_user_input", needed.isEmpty());
        out.put("survey_enabled", t.flag("survey_enabled"));
        out.put("variables_needed_to_start", needed);
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
        Resource t = findVisible(id, request);
        Access access = AuthFilter.access(request);
        ApiException.require(policy.canStart(access, t));
        AccessDenied.throwIf(HostLimit.startRefusal(ctx.resources(), t.reference("inventory").orElse(null)));
        Map<String, Object> input = Json.readObject(body);
        Map<String, Object> ignored = new TreeMap<>();
        Map<String, Object> extraVars = null;
        try {
            extraVars = Json.extraVars(input.get("extra_vars"), ctx.variables());
        } catch (IllegalArgumentException e) {
            throw ApiException.field("extra_vars", e.getMessage());
        }
        extraVars = withSurveyAnswers(t, extraVars, ignored);
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
        ApiException.require(LaunchAccess.canUsePrompts(access, t, inventory, null));
        UnifiedJob job = workflows.launch(t, extraVars, limit, inventory, Origin.user(AuthFilter.user(request)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workflow_job", job.id());
        out.put("ignored_fields", ignored);
        out.putAll(workflowJobs.render(job, Views.of(ctx, request)));
        return Responses.created(out);
    }

    /**
     * AWX's survey on a workflow, as on a job template: the answers checked and defaults filled in,
     * password answers sealed (only a runner opens them); other variables only if the template
     * asks for them, else reported as ignored.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> withSurveyAnswers(Resource t, Map<String, Object> given, Map<String, Object> ignored) {
        Map<String, Object> vars = given == null ? Map.of() : given;
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> rest = new LinkedHashMap<>(vars);
        if (t.flag("survey_enabled") && t.get("survey_spec") instanceof Map<?, ?> m) {
            Map<String, Object> spec = (Map<String, Object>) m;
            Map<String, Object> answers = new LinkedHashMap<>(Survey.answers(spec, vars));
            for (String name : Survey.passwordVariables(spec)) {
                answers.computeIfPresent(name, (k, v) -> SecretBox.isSealed(v) ? v : ctx.secrets().seal(String.valueOf(v)));
            }
            out.putAll(answers);
            Survey.variables(spec).forEach(rest::remove);
        }
        if (!rest.isEmpty()) {
            if (t.flag("ask_variables_on_launch")) {
                out.putAll(rest);
            } else {
                ignored.put("extra_vars", rest);
            }
        }
        return out.isEmpty() && given == null ? null : out;
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }

    @Get("/{id}/survey_spec/")
    public HttpResponse<String> surveySpec(@PathVariable String id, HttpRequest<?> request) {
        return SurveySpecs.get(findVisible(id, request));
    }

    @Post("/{id}/survey_spec/")
    public HttpResponse<String> setSurveySpec(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return SurveySpecs.set(ctx, request, findVisible(id, request), policy, body);
    }

    @io.micronaut.http.annotation.Delete("/{id}/survey_spec/")
    public HttpResponse<String> deleteSurveySpec(@PathVariable String id, HttpRequest<?> request) {
        return SurveySpecs.delete(ctx, request, findVisible(id, request), policy);
    }

    @Get("/{id}/labels/")
    public HttpResponse<String> listLabels(@PathVariable String id, HttpRequest<?> request) {
        return labelLinks.list(request, findVisible(id, request));
    }

    @Post("/{id}/labels/")
    public HttpResponse<String> attachLabel(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return labelLinks.post(request, findVisible(id, request), policy, body);
    }

    @Get("/{id}/workflow_nodes/")
    public HttpResponse<String> workflowNodes(@PathVariable String id, HttpRequest<?> request) {
        return nodes.listOf(request, findVisible(id, request));
    }

    @Post("/{id}/workflow_nodes/")
    public HttpResponse<String> addNode(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource t = findVisible(id, request);
        Map<String, Object> input = new LinkedHashMap<>(Json.readObject(body));
        input.put("workflow_job_template", t.id());
        return nodes.create(request, Json.write(input));
    }

    @Get("/{id}/workflow_jobs/")
    public HttpResponse<String> workflowJobsOf(@PathVariable String id, HttpRequest<?> request) {
        return workflowJobs.listOfTemplate(request, findVisible(id, request).id());
    }

    /** Refused while it runs; its nodes go with it (Deletions), its schedules too, as for every template. */
    @Override
    protected void beforeDelete(Resource r) {
        InUse.refuseIfActive(ctx, j -> j.longField(JobFields.UNIFIED_JOB_TEMPLATE).orElse(-1L) == r.id());
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        NotificationAssociationsController.addRelated(selfUrl(r), related);
        // No activity_stream: Towerless keeps none (RootController does not list it either).
        for (String sub : List.of("launch", "workflow_nodes", "workflow_jobs", "labels", "survey_spec", "copy")) {
            related.put(sub, selfUrl(r) + sub + "/");
        }
    }

    /** Besides the references: the rows' labels in the same batch, and their last jobs read together. */
    @Override
    protected void prefetch(java.util.Collection<Resource> rows, Views views) {
        super.prefetch(rows, views);
        views.prefetch(Map.of(ResourceTypes.LABEL, rows.stream().flatMap(r -> r.references("labels").stream()).toList()));
        views.prefetchLastJobs(rows.stream().map(Resource::id).toList());
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

    @Override
    protected boolean copyable() {
        return true;
    }

    /** AWX's WorkflowJobTemplateCopy GET: the node templates, credentials and inventories the caller could not take along. */
    @Override
    protected Map<String, Object> copyInfoOf(dev.towerless.core.access.Access access, Resource original) {
        return dev.towerless.core.copying.DeepCopy.workflowCopyCheck(ctx.resources(), access, original,
                policy.canCopy(access, original));
    }

    @Override
    protected boolean showsNextSchedule() {
        return true;
    }
}
