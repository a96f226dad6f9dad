package dev.towerless.api.inventories;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.Map;

/** Groups of an inventory: CRUD, their {@code hosts/} and {@code children/} (association endpoints). */
@Controller("/api/v2/groups")
public class GroupsController extends ResourceController {
    private final HostsController hosts;

    public GroupsController(ApiContext ctx, HostsController hosts) {
        super(ctx, Schemas.GROUP);
        this.hosts = hosts;
    }

    @Get("/{id}/hosts/")
    public HttpResponse<String> listHosts(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "hosts", hosts);
    }

    @Post("/{id}/hosts/")
    public HttpResponse<String> associateHost(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource group = findVisible(id, request);
        return associate(request, group, "hosts", ResourceTypes.HOST, body, (host, current) -> sameInventory(group, host));
    }

    @Get("/{id}/children/")
    public HttpResponse<String> listChildren(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "children", this);
    }

    @Post("/{id}/children/")
    public HttpResponse<String> associateChild(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource group = findVisible(id, request);
        return associate(request, group, "children", ResourceTypes.GROUP, body, (child, current) -> {
            sameInventory(group, child);
            if (child.id() == group.id()) {
                throw ApiException.badRequest("Cannot associate a group with itself.");
            }
        });
    }

    private static void sameInventory(Resource group, Resource other) {
        if (!group.get("inventory").equals(other.get("inventory"))) {
            throw ApiException.badRequest("Cannot associate objects of different inventories.");
        }
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("hosts", selfUrl(r) + "hosts/");
        related.put("children", selfUrl(r) + "children/");
    }
}
