package dev.towerless.api.templates;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.jobs.SystemJobsController;
import dev.towerless.api.notifications.NotificationAssociationsController;
import dev.towerless.api.schedules.SchedulesController;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.SystemJobTemplateAccess;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.resources.FieldSpec;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceSchema;
import dev.towerless.core.resources.ResourceTypes;
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
import java.util.Set;

/** AWX's management job templates: read-only, launched with {@code extra_vars} such as {@code days}. */
@Controller("/api/v2/system_job_templates")
public class SystemJobTemplatesController extends ResourceController {
    private static final ResourceSchema SCHEMA = new ResourceSchema(ResourceTypes.SYSTEM_JOB_TEMPLATE, "system_job_templates",
            List.of(FieldSpec.string("name", true, null), FieldSpec.text("description"),
                    FieldSpec.string("job_type", true, null)), ResourceSchema.CrossFieldRule.NONE);

    private final SystemJobsController systemJobs;

    public SystemJobTemplatesController(ApiContext ctx, SystemJobsController systemJobs) {
        super(ctx, SCHEMA);
        this.systemJobs = systemJobs;
    }

    /** AWX's management jobs are read-only. */
    @Override
    protected Set<String> unsupportedMethods() {
        return Set.of("POST", "PUT", "PATCH", "DELETE");
    }

    @Override
    protected void beforeList(Access access) {
        if (!access.readsAll()) {
            throw ApiException.forbidden(SystemJobTemplateAccess.SUPERUSER_NEEDED);
        }
    }

    @Get("/{id}/launch/")
    public HttpResponse<String> launchInfo(@PathVariable String id, HttpRequest<?> request) {
        findVisible(id, request);
        return Responses.ok(Map.of("can_start_without_user_input", true, "ask_variables_on_launch", true));
    }

    @Post("/{id}/launch/")
    public HttpResponse<String> launch(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource template = findVisible(id, request);
        ApiException.require(policy.canStart(AuthFilter.access(request), template));
        Map<String, Object> extra;
        try {
            extra = Json.extraVars(Json.readObject(body).get("extra_vars"), ctx.variables());
        } catch (IllegalArgumentException e) {
            throw ApiException.field("extra_vars", e.getMessage());
        }
        extra = extra == null ? Map.of() : extra;
        Object days = extra.get("days");
        if (days != null && !(days instanceof Number n && n.longValue() >= 0)
                && !(days instanceof String s && s.matches("\\d+"))) {
            throw ApiException.field("extra_vars", "days must be a number of days (0 or more).");
        }
        UnifiedJob job = ctx.launches().launchSystemJob(template, extra, Origin.user(AuthFilter.user(request)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("system_job", job.id());
        out.putAll(systemJobs.render(job, Views.of(ctx, request)));
        return Responses.created(out);
    }

    /** The template's runs, newest first. */
    @Get("/{id}/jobs/")
    public HttpResponse<String> jobs(@PathVariable String id, HttpRequest<?> request) {
        return systemJobs.listOfTemplate(request, findVisible(id, request).id());
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        NotificationAssociationsController.addRelated(selfUrl(r), related);
        related.put("launch", selfUrl(r) + "launch/");
        related.put("jobs", selfUrl(r) + "jobs/");
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        SchedulesController.addTo(r, out, views);
    }

    @Override
    protected boolean showsNextSchedule() {
        return true;
    }
}
