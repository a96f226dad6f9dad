package dev.towerless.api.templates;

import dev.towerless.core.access.AccessDenied;
import dev.towerless.core.organizations.HostLimit;
import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.credentials.CredentialsController;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.InUse;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.jobs.JobsController;
import dev.towerless.api.labels.LabelLinks;
import dev.towerless.api.notifications.NotificationAssociationsController;
import dev.towerless.api.schedules.SchedulesController;
import dev.towerless.api.system.InstanceGroupOwnerController;
import dev.towerless.api.system.InstanceGroupsController;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.LaunchAccess;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.credentials.CredentialPasswords;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchPrompts;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.launch.Survey;
import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.resources.ValidationException;
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

/** Job templates: CRUD, {@code launch/}, their credentials and their jobs. */
@Controller("/api/v2/job_templates")
public class JobTemplatesController extends InstanceGroupOwnerController {
    private static final List<String> ASKS = java.util.stream.Stream.concat(java.util.stream.Stream.of(
            "ask_variables_on_launch", "ask_limit_on_launch", "ask_job_type_on_launch", "ask_verbosity_on_launch",
            "ask_forks_on_launch", "ask_inventory_on_launch", "ask_credential_on_launch"),
            LaunchPrompts.MORE.values().stream()).toList();

    private final JobsController jobs;
    private final LabelLinks labelLinks;
    private final CredentialsController credentials;

    public JobTemplatesController(ApiContext ctx, JobsController jobs, CredentialsController credentials,
                                  InstanceGroupsController instanceGroups, LabelLinks labelLinks) {
        super(ctx, Schemas.JOB_TEMPLATE, instanceGroups);
        this.jobs = jobs;
        this.labelLinks = labelLinks;
        this.credentials = credentials;
    }

    @Get("/{id}/launch/")
    public HttpResponse<String> launchInfo(@PathVariable String id, HttpRequest<?> request) {
        Resource t = findVisible(id, request);
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> passwords = ctx.launches().passwordsNeededToStart(t.references(JobFields.CREDENTIALS));
        out.put("passwords_needed_to_start", passwords);
        for (String ask : ASKS) {
            out.put(ask, t.flag(ask));
        }
        out.put("survey_enabled", t.flag("survey_enabled"));
        List<String> needed = Survey.neededToStart(t);
        out.put("variables_needed_to_start", needed);
        out.put("can_start_without_user_input", needed.isEmpty() && passwords.isEmpty());
        out.put("credential_needed_to_start", false);
        out.put("inventory_needed_to_start", t.get("inventory") == null);
        out.put("job_template_data", Map.of("id", t.id(), "name", t.name(), "description", t.fields().getOrDefault("description", "")));
        out.put("defaults", launchDefaults(t));
        return Responses.ok(out);
    }

    @Post("/{id}/launch/")
    public HttpResponse<String> launch(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource t = findVisible(id, request);
        Access access = AuthFilter.access(request);
        ApiException.require(policy.canStart(access, t));
        // AWX's JobTemplateAccess.can_start: the template's inventory's organization within its max_hosts.
        AccessDenied.throwIf(HostLimit.startRefusal(ctx.resources(), t.reference("inventory").orElse(null)));
        Map<String, Object> input = Json.readObject(body);
        LaunchPrompts prompts = prompts(input);
        ApiException.require(LaunchAccess.canUsePrompts(access, t, prompts.inventory(), prompts.credentials())
                && LaunchAccess.canUseFurtherPrompts(access, prompts));
        List<String> missing = ctx.launches().resourcesNeededToStart(t, prompts);
        if (!missing.isEmpty()) {
            Map<String, List<String>> errors = new LinkedHashMap<>(Map.of("resources_needed_to_start", missing));
            if (t.reference(JobFields.PROJECT).flatMap(p -> ctx.resources().get(ResourceTypes.PROJECT, p)).isEmpty()) {
                errors.put("project", List.of("A project is required to run a job.")); // AWX's JobLaunchSerializer
            }
            throw new ValidationException(errors);
        }
        LaunchService.Launched launched = ctx.launches().launchJobTemplate(t, prompts, Origin.user(AuthFilter.user(request)),
                CredentialPasswords.given(input));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", launched.job().id());
        out.put("ignored_fields", launched.ignoredFields());
        out.putAll(jobs.render(launched.job(), Views.of(ctx, request)));
        return Responses.created(out);
    }

    private LaunchPrompts prompts(Map<String, Object> input) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Map<String, Object> extraVars = null;
        try {
            extraVars = Json.extraVars(input.get("extra_vars"), ctx.variables());
        } catch (IllegalArgumentException e) {
            errors.put("extra_vars", List.of(e.getMessage()));
        }
        String jobType = input.get("job_type") == null ? null : input.get("job_type").toString();
        if (jobType != null && !List.of("run", "check").contains(jobType)) {
            errors.put("job_type", List.of("\"" + jobType + "\" is not a valid choice."));
        }
        Long verbosity = integer(input, "verbosity", errors);
        if (verbosity != null && (verbosity < 0 || verbosity > 5)) {
            errors.put("verbosity", List.of("\"" + verbosity + "\" is not a valid choice."));
        }
        Long forks = integer(input, "forks", errors);
        if (forks != null && forks < 0) {
            errors.put("forks", List.of("Ensure this value is greater than or equal to 0."));
        }
        Object limit = input.get("limit");
        Long inventory = integer(input, "inventory", errors);
        if (inventory != null && ctx.resources().get(ResourceTypes.INVENTORY, inventory).isEmpty()) {
            errors.put("inventory", List.of("Invalid pk \"" + inventory + "\" - object does not exist."));
        } else if (inventory != null && ctx.resources().get(ResourceTypes.INVENTORY, inventory)
                .filter(dev.towerless.core.deletion.Deletions::pendingDeletion).isPresent()) {
            errors.put("inventory", List.of("The provided inventory is being deleted.")); // AWX's JobLaunchSerializer
        }
        List<Long> credentials = null;
        if (input.get("credentials") instanceof List<?> given) {
            credentials = new ArrayList<>();
            for (Object c : given) {
                long cid = c instanceof Number n ? n.longValue() : -1;
                if (ctx.resources().get(ResourceTypes.CREDENTIAL, cid).isEmpty()) {
                    errors.put("credentials", List.of("Invalid pk \"" + c + "\" - object does not exist."));
                }
                credentials.add(cid);
            }
        } else if (input.get("credentials") != null) {
            errors.put("credentials", List.of("Expected a list of items but got type \"" + input.get("credentials").getClass().getSimpleName() + "\"."));
        }
        Map<String, Object> more = furtherPrompts(input, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new LaunchPrompts(extraVars, limit == null ? null : limit.toString(), jobType, verbosity, forks, inventory,
                credentials, more);
    }

    /** The prompts beyond the first seven, checked as AWX's JobLaunchSerializer checks them. */
    private Map<String, Object> furtherPrompts(Map<String, Object> input, Map<String, List<String>> errors) {
        Map<String, Object> more = new LinkedHashMap<>();
        for (String field : List.of("job_tags", "skip_tags", "scm_branch")) {
            Object v = input.get(field);
            if (v instanceof String text) {
                more.put(field, text);
            } else if (v != null) {
                errors.put(field, List.of("Not a valid string."));
            }
        }
        if (input.get("diff_mode") instanceof Boolean b) {
            more.put("diff_mode", b);
        } else if (input.get("diff_mode") != null) {
            errors.put("diff_mode", List.of("Must be a valid boolean."));
        }
        Long timeout = integer(input, "timeout", errors);
        if (timeout != null) {
            more.put("timeout", timeout);
        }
        Long slices = integer(input, "job_slice_count", errors);
        if (slices != null) {
            String problem = dev.towerless.core.resources.JobSlicing.problem(slices);
            if (problem != null) {
                errors.put("job_slice_count", List.of(problem));
            }
            more.put("job_slice_count", slices);
        }
        Long environment = integer(input, "execution_environment", errors);
        if (environment != null) {
            if (ctx.resources().get(ResourceTypes.EXECUTION_ENVIRONMENT, environment).isEmpty()) {
                errors.put("execution_environment", List.of("Invalid pk \"" + environment + "\" - object does not exist."));
            }
            more.put("execution_environment", environment);
        }
        for (Map.Entry<String, String> list : Map.of("labels", ResourceTypes.LABEL, "instance_groups",
                ResourceTypes.INSTANCE_GROUP).entrySet()) {
            Object v = input.get(list.getKey());
            if (v instanceof List<?> given) {
                List<Long> ids = given.stream().map(o -> o instanceof Number n ? n.longValue() : -1L).toList();
                java.util.Set<Long> found = ctx.resources().getMany(list.getValue(), ids).keySet(); // one read for the list
                for (int i = 0; i < ids.size(); i++) {
                    if (!found.contains(ids.get(i))) {
                        errors.put(list.getKey(), List.of("Invalid pk \"" + given.get(i) + "\" - object does not exist."));
                    }
                }
                more.put(list.getKey(), ids);
            } else if (v != null) {
                errors.put(list.getKey(), List.of("Expected a list of items but got type \"" + v.getClass().getSimpleName() + "\"."));
            }
        }
        return more;
    }

    /** AWX's {@code defaults} of launch/: what each prompt is when not given. */
    private Map<String, Object> launchDefaults(Resource t) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("extra_vars", t.fields().getOrDefault("extra_vars", ""));
        for (String f : List.of("diff_mode", "job_type", "job_tags", "skip_tags", "limit", "scm_branch", "verbosity",
                "forks", "timeout", "job_slice_count")) {
            d.put(f, t.fields().get(f));
        }
        d.put("inventory", t.reference("inventory").flatMap(i -> ctx.resources().get(ResourceTypes.INVENTORY, i))
                .map(i -> Map.<String, Object>of("name", i.name(), "id", i.id())).orElse(Map.of("name", "", "id", "")));
        d.put("credentials", ctx.resources().getMany(ResourceTypes.CREDENTIAL, t.references(JobFields.CREDENTIALS)).values()
                .stream().map(c -> Map.<String, Object>of("id", c.id(), "name", c.name(),
                        "credential_type", c.get("credential_type"), "passwords_needed", List.of())).toList());
        d.put("labels", ctx.resources().getMany(ResourceTypes.LABEL, t.references(JobFields.LABELS)).values().stream()
                .map(l -> Map.<String, Object>of("id", l.id(), "name", l.name())).toList());
        d.put("instance_groups", ctx.resources().getMany(ResourceTypes.INSTANCE_GROUP, t.references("instance_groups"))
                .values().stream().map(g -> Map.<String, Object>of("id", g.id(), "name", g.name())).toList());
        d.put("execution_environment", t.reference("execution_environment").map(e -> (Object) Map.of("id", e)).orElse(Map.of()));
        return d;
    }

    private static Long integer(Map<String, Object> input, String field, Map<String, List<String>> errors) {
        Object v = input.get(field);
        if (v == null) {
            return null;
        }
        try {
            return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            errors.put(field, List.of("A valid integer is required."));
            return null;
        }
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

    @Get("/{id}/credentials/")
    public HttpResponse<String> listCredentials(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), JobFields.CREDENTIALS, credentials);
    }

    /** One credential of each type (of each vault id for Vault), of the kinds a job uses, as AWX allows. */
    @Post("/{id}/credentials/")
    public HttpResponse<String> associateCredential(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return associate(request, findVisible(id, request), JobFields.CREDENTIALS, ResourceTypes.CREDENTIAL, body, (cred, current) -> {
            String typeName = cred.reference("credential_type").flatMap(t -> ctx.resources().get(ResourceTypes.CREDENTIAL_TYPE, t))
                    .map(Resource::name).orElse(String.valueOf(cred.get("kind")));
            ManagedCredentialTypes.templateAssignmentProblem(cred, typeName,
                    ctx.resources().getMany(ResourceTypes.CREDENTIAL, current).values()).ifPresent(problem -> {
                        throw new ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST, Map.of("error", problem));
                    });
        });
    }

    @Get("/{id}/labels/")
    public HttpResponse<String> listLabels(@PathVariable String id, HttpRequest<?> request) {
        return labelLinks.list(request, findVisible(id, request));
    }

    @Post("/{id}/labels/")
    public HttpResponse<String> attachLabel(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return labelLinks.post(request, findVisible(id, request), policy, body);
    }

    @Get("/{id}/jobs/")
    public HttpResponse<String> templateJobs(@PathVariable String id, HttpRequest<?> request) {
        Resource t = findVisible(id, request);
        return jobs.listOfTemplate(request, t.id());
    }

    /** AWX copies the project's organization onto the template when it is saved; its roles follow that organization. */
    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        refuseBranchOverride(fields);
        return organizationOf(fields.get("project"));
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        if (changes.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> merged = new LinkedHashMap<>(existing.fields());
        merged.putAll(changes);
        refuseBranchOverride(merged);
        return organizationOf(merged.get("project"));
    }

    /** AWX: a branch, given or asked for, needs a project that allows overriding its branch. */
    private void refuseBranchOverride(Map<String, Object> template) {
        if (!(template.get("project") instanceof Number p)) {
            return;
        }
        boolean allowed = ctx.resources().get(ResourceTypes.PROJECT, p.longValue()).map(r -> r.flag("allow_override")).orElse(true);
        if (allowed) {
            return;
        }
        if (template.get("scm_branch") instanceof String b && !b.isEmpty()) {
            throw ApiException.field("scm_branch", "Project does not allow overriding branch.");
        }
        if (Boolean.TRUE.equals(template.get("ask_scm_branch_on_launch"))) {
            throw ApiException.field("ask_scm_branch_on_launch", "Project does not allow overriding branch.");
        }
    }

    private Map<String, Object> organizationOf(Object project) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("organization", project instanceof Number n
                ? ctx.resources().get(ResourceTypes.PROJECT, n.longValue()).map(p -> p.get("organization")).orElse(null) : null);
        return out;
    }

    /** AWX makes whoever creates a job template its admin. */
    @Override
    protected Resource afterCreate(Resource created, HttpRequest<?> request) {
        memberships().grant(AuthFilter.user(request), Role.of(ResourceTypes.JOB_TEMPLATE, created.id(), RoleCatalogue.ADMIN));
        return created;
    }

    /** AWX refuses to delete a template while its jobs are active. */
    @Override
    protected void beforeDelete(Resource r) {
        InUse.refuseIfActive(ctx, j -> j.longField(JobFields.UNIFIED_JOB_TEMPLATE).orElse(-1L) == r.id());
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        NotificationAssociationsController.addRelated(selfUrl(r), related);
        String self = selfUrl(r);
        for (String sub : List.of("launch", "jobs", "credentials", "schedules", "survey_spec",
                "notification_templates_started", "notification_templates_success", "notification_templates_error",
                "labels", "instance_groups")) {
            related.put(sub, self + sub + "/");
        }
    }

    /** Besides the references: the rows' credentials and labels in the same batch, and their last jobs read together. */
    @Override
    protected void prefetch(java.util.Collection<Resource> rows, Views views) {
        super.prefetch(rows, views);
        views.prefetch(Map.of(
                ResourceTypes.CREDENTIAL, rows.stream().flatMap(r -> r.references(JobFields.CREDENTIALS).stream()).toList(),
                ResourceTypes.LABEL, rows.stream().flatMap(r -> r.references("labels").stream()).toList()));
        views.prefetchLastJobs(rows.stream().map(Resource::id).toList());
    }

    @Override
    protected void addSummary(Resource r, Map<String, Object> summary, Views views) {
        List<Map<String, Object>> creds = new ArrayList<>();
        for (long c : r.references(JobFields.CREDENTIALS)) {
            views.summary(ResourceTypes.CREDENTIAL, c).ifPresent(creds::add);
        }
        summary.put("credentials", creds);
        LastUpdateView.launchableSummary(r, summary, views);
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        SchedulesController.addTo(r, out, views);
        Optional<UnifiedJob> last = views.lastJobOf(r.id());
        LastUpdateView.lastJob(last, out);
        out.put("organization", r.get("organization"));
        out.put("host_config_key", "");
        out.put("webhook_service", "");
        out.put("webhook_credential", null);
    }

    @Override
    protected boolean copyable() {
        return true;
    }

    @Override
    protected boolean showsNextSchedule() {
        return true;
    }
}
