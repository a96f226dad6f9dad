package dev.towerless.api.system;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.core.resources.ResourceSchema;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

/**
 * A resource with preferred instance groups (job templates, inventories, organizations): AWX's
 * {@code instance_groups/} list and association endpoint, in the order the task manager tries them.
 */
public abstract class InstanceGroupOwnerController extends ResourceController {
    private final InstanceGroupsController instanceGroups;

    protected InstanceGroupOwnerController(ApiContext ctx, ResourceSchema schema, InstanceGroupsController instanceGroups) {
        super(ctx, schema);
        this.instanceGroups = instanceGroups;
    }

    @Get("/{id}/instance_groups/")
    public HttpResponse<String> listInstanceGroups(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "instance_groups", instanceGroups);
    }

    @Post("/{id}/instance_groups/")
    public HttpResponse<String> associateInstanceGroup(@PathVariable String id, HttpRequest<?> request,
                                                       @Nullable @Body String body) {
        return associate(request, findVisible(id, request), "instance_groups", ResourceTypes.INSTANCE_GROUP, body, (g, current) -> { });
    }
}
