package dev.towerless.api.schedules;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.Map;

/**
 * {@code schedules/} under each kind of template (job templates, projects, inventory sources,
 * system job templates): list its schedules, or create one for it.
 */
@Controller("/api/v2")
public class TemplateSchedulesController {
    private static final Map<String, String> TEMPLATES = Map.of("job_templates", ResourceTypes.JOB_TEMPLATE,
            "projects", ResourceTypes.PROJECT, "inventory_sources", ResourceTypes.INVENTORY_SOURCE,
            "system_job_templates", ResourceTypes.SYSTEM_JOB_TEMPLATE, "workflow_job_templates", ResourceTypes.WORKFLOW_JOB_TEMPLATE);

    private final ApiContext ctx;
    private final SchedulesController schedules;

    public TemplateSchedulesController(ApiContext ctx, SchedulesController schedules) {
        this.ctx = ctx;
        this.schedules = schedules;
    }

    @Get("/{templates}/{id}/schedules/")
    public HttpResponse<String> list(@PathVariable String templates, @PathVariable String id, HttpRequest<?> request) {
        return schedules.listFor(template(templates, id, request), request);
    }

    @Post("/{templates}/{id}/schedules/")
    public HttpResponse<String> create(@PathVariable String templates, @PathVariable String id, HttpRequest<?> request,
                                       @Nullable @Body String body) {
        return schedules.createFor(template(templates, id, request), request, body);
    }

    /** The template, if the caller may see it (404 when missing, 403 when not theirs to see). */
    private Resource template(String templates, String id, HttpRequest<?> request) {
        String type = TEMPLATES.get(templates);
        if (type == null) {
            throw ApiException.notFound();
        }
        Resource template = ResourceController.parseId(id).flatMap(n -> ctx.resources().get(type, n))
                .orElseThrow(ApiException::notFound);
        ApiException.require(AccessPolicies.of(type).canSee(AuthFilter.access(request), template));
        return template;
    }
}
