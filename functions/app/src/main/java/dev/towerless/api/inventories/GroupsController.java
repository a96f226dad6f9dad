package dev.towerless.api.inventories;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
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
import java.util.List;
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
        Map<String, Object> input = Json.readObject(body);
        if (!input.containsKey("id")) {
            return createAndAttach(request, group, "hosts", hosts, input);
        }
        return associate(request, group, "hosts", ResourceTypes.HOST, body, (host, current) -> sameInventory(group, host));
    }

    /**
     * AWX's sub-list create: a body without {@code id} makes a new host or group in the group's
     * inventory and attaches it, both asked of the policies (add, then attach).
     */
    private HttpResponse<String> createAndAttach(HttpRequest<?> request, Resource group, String field, ResourceController of,
                                                 Map<String, Object> input) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>(input);
        fields.put("inventory", group.get("inventory"));
        Resource created = of.createFrom(request, fields);
        if (!policy.canAttach(AuthFilter.access(request), group, created, field)) {
            ctx.resources().delete(created.type(), created.id()); // the request is refused as a whole, as AWX's transaction
            throw ApiException.permissionDenied();
        }
        List<Long> current = new java.util.ArrayList<>(group.references(field));
        current.add(created.id());
        ctx.resources().update(ResourceTypes.GROUP, group.id(), Map.of(field, current));
        return Responses.created(of.render(created, Views.of(ctx, request)));
    }

    @jakarta.inject.Inject
    HostSummariesView summaries;

    /** AWX's {@code groups/N/job_host_summaries/}: the summaries of every host of {@code all_hosts/}. */
    @Get("/{id}/job_host_summaries/")
    public HttpResponse<String> jobHostSummaries(@PathVariable String id, HttpRequest<?> request) {
        return summaries.list(request, summaries.ofHosts(allHostIds(findVisible(id, request))));
    }

    /** Every host of the group and of the groups below it (AWX's {@code all_hosts/}). */
    @Get("/{id}/all_hosts/")
    public HttpResponse<String> allHosts(@PathVariable String id, HttpRequest<?> request) {
        Resource group = findVisible(id, request);
        return hosts.listChildren(request, new java.util.ArrayList<>(ctx.resources().getMany(ResourceTypes.HOST,
                allHostIds(group)).values()));
    }

    private java.util.Set<Long> allHostIds(Resource group) {
        Map<Long, Resource> groups = new java.util.HashMap<>();
        ctx.resources().where(ResourceTypes.GROUP, "inventory", group.reference("inventory").orElse(-1L))
                .forEach(g -> groups.put(g.id(), g));
        java.util.Set<Long> hostIds = new java.util.LinkedHashSet<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        java.util.Deque<Long> todo = new java.util.ArrayDeque<>(List.of(group.id()));
        while (!todo.isEmpty()) {
            Resource g = groups.get(todo.pop());
            if (g != null && seen.add(g.id())) {
                hostIds.addAll(g.references("hosts"));
                todo.addAll(g.references("children"));
            }
        }
        return hostIds;
    }

    @Get("/{id}/children/")
    public HttpResponse<String> listChildren(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "children", this);
    }

    @Post("/{id}/children/")
    public HttpResponse<String> associateChild(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource group = findVisible(id, request);
        Map<String, Object> input = Json.readObject(body);
        if (!input.containsKey("id")) {
            return createAndAttach(request, group, "children", this, input);
        }
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
        related.put("all_hosts", selfUrl(r) + "all_hosts/");
        related.put("job_host_summaries", selfUrl(r) + "job_host_summaries/");
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        SmartInventoryViews.refuseContent(ctx, fields.get("inventory"), "Group");
        return Map.of();
    }
}
