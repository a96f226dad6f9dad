package dev.towerless.api;

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

/** {@code schedules/} under each kind of template: list its schedules, or create one for it. */
@Controller("/api/v2")
public class TemplateSchedulesController {
    private final ApiContext ctx;
    private final SchedulesController schedules;

    public TemplateSchedulesController(ApiContext ctx, SchedulesController schedules) {
        this.ctx = ctx;
        this.schedules = schedules;
    }

    @Get("/job_templates/{id}/schedules/")
    public HttpResponse<String> ofJobTemplate(@PathVariable String id, HttpRequest<?> request) {
        return schedules.listFor(template(ResourceTypes.JOB_TEMPLATE, id), request);
    }

    @Post("/job_templates/{id}/schedules/")
    public HttpResponse<String> forJobTemplate(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return schedules.createFor(template(ResourceTypes.JOB_TEMPLATE, id), request, body);
    }

    @Get("/projects/{id}/schedules/")
    public HttpResponse<String> ofProject(@PathVariable String id, HttpRequest<?> request) {
        return schedules.listFor(template(ResourceTypes.PROJECT, id), request);
    }

    @Post("/projects/{id}/schedules/")
    public HttpResponse<String> forProject(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return schedules.createFor(template(ResourceTypes.PROJECT, id), request, body);
    }

    @Get("/inventory_sources/{id}/schedules/")
    public HttpResponse<String> ofInventorySource(@PathVariable String id, HttpRequest<?> request) {
        return schedules.listFor(template(ResourceTypes.INVENTORY_SOURCE, id), request);
    }

    @Post("/inventory_sources/{id}/schedules/")
    public HttpResponse<String> forInventorySource(@PathVariable String id, HttpRequest<?> request,
                                                   @Nullable @Body String body) {
        return schedules.createFor(template(ResourceTypes.INVENTORY_SOURCE, id), request, body);
    }

    @Get("/system_job_templates/{id}/schedules/")
    public HttpResponse<String> ofSystemJobTemplate(@PathVariable String id, HttpRequest<?> request) {
        return schedules.listFor(template(ResourceTypes.SYSTEM_JOB_TEMPLATE, id), request);
    }

    @Post("/system_job_templates/{id}/schedules/")
    public HttpResponse<String> forSystemJobTemplate(@PathVariable String id, HttpRequest<?> request,
                                                     @Nullable @Body String body) {
        return schedules.createFor(template(ResourceTypes.SYSTEM_JOB_TEMPLATE, id), request, body);
    }

    private Resource template(String type, String id) {
        return ResourceController.parseId(id).flatMap(n -> ctx.resources().get(type, n)).orElseThrow(ApiException::notFound);
    }
}
