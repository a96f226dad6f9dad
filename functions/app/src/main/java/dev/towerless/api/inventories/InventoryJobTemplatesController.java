package dev.towerless.api.inventories;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.templates.JobTemplatesController;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

/** {@code inventories/N/job_templates/}: the job templates that run on the inventory, those the caller may see. */
@Controller("/api/v2/inventories")
public class InventoryJobTemplatesController {
    private final ApiContext ctx;
    private final JobTemplatesController templates;

    public InventoryJobTemplatesController(ApiContext ctx, JobTemplatesController templates) {
        this.ctx = ctx;
        this.templates = templates;
    }

    @Get("/{id}/job_templates/")
    public HttpResponse<String> jobTemplates(@PathVariable String id, HttpRequest<?> request) {
        Resource inventory = ResourceController.parseId(id).flatMap(n -> ctx.resources().get(ResourceTypes.INVENTORY, n))
                .orElseThrow(ApiException::notFound);
        ApiException.require(AccessPolicies.INVENTORIES.canSee(AuthFilter.access(request), inventory));
        return templates.listChildren(request, ctx.resources().where(ResourceTypes.JOB_TEMPLATE, "inventory", inventory.id()));
    }
}
