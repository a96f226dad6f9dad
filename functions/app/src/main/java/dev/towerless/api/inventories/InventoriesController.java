package dev.towerless.api.inventories;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.InUse;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.jobs.AdHocCommandsController;
import dev.towerless.api.labels.LabelLinks;
import dev.towerless.api.system.InstanceGroupOwnerController;
import dev.towerless.api.system.InstanceGroupsController;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code inventories/}: hosts and groups, their sources, and the ad hoc commands run on them. */
@Controller("/api/v2/inventories")
public class InventoriesController extends InstanceGroupOwnerController {
    private final HostsController hosts;
    private final AdHocCommandsController adHoc;
    private final LabelLinks labelLinks;

    private final jakarta.inject.Provider<GroupsController> groups;
    private final jakarta.inject.Provider<InventorySourcesController> sources;

    public InventoriesController(ApiContext ctx, HostsController hosts, InstanceGroupsController instanceGroups, AdHocCommandsController adHoc,
                                 jakarta.inject.Provider<GroupsController> groups,
                                 jakarta.inject.Provider<InventorySourcesController> sources, LabelLinks labelLinks) {
        super(ctx, Schemas.INVENTORY, instanceGroups);
        this.hosts = hosts;
        this.adHoc = adHoc;
        this.labelLinks = labelLinks;
        this.groups = groups;
        this.sources = sources;
    }

    /** AWX refuses to delete an inventory while jobs, syncs or ad hoc commands on it are active. */
    @Override
    protected void beforeDelete(Resource r) {
        InUse.refuseIfActive(ctx, j -> j.longField("inventory").orElse(-1L) == r.id());
    }

    /** AWX's InventoryDetail.destroy: 202, the inventory pending deletion until a background task has removed it. */
    @Override
    protected HttpResponse<String> deleteAccepted(Resource r, HttpRequest<?> request) {
        return InventoryDeletion.schedule(deletions, r, request);
    }

    @Get("/{id}/groups/")
    public HttpResponse<String> listGroups(@PathVariable String id, HttpRequest<?> request) {
        return groups.get().listChildren(request, ctx.resources().where(ResourceTypes.GROUP, "inventory", findVisible(id, request).id()));
    }

    @Post("/{id}/groups/")
    public HttpResponse<String> createGroup(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource inventory = findVisible(id, request);
        Map<String, Object> input = new LinkedHashMap<>(Json.readObject(body));
        input.put("inventory", inventory.id());
        return groups.get().create(request, Json.write(input));
    }

    @Get("/{id}/root_groups/")
    public HttpResponse<String> listRootGroups(@PathVariable String id, HttpRequest<?> request) {
        List<Resource> all = ctx.resources().where(ResourceTypes.GROUP, "inventory", findVisible(id, request).id());
        java.util.Set<Long> children = new java.util.HashSet<>();
        all.forEach(g -> children.addAll(g.references("children")));
        return groups.get().listChildren(request, all.stream().filter(g -> !children.contains(g.id())).toList());
    }

    @Get("/{id}/inventory_sources/")
    public HttpResponse<String> listSources(@PathVariable String id, HttpRequest<?> request) {
        return sources.get().listChildren(request,
                ctx.resources().where(ResourceTypes.INVENTORY_SOURCE, "inventory", findVisible(id, request).id()));
    }

    @Get("/{id}/ad_hoc_commands/")
    public HttpResponse<String> listAdHoc(@PathVariable String id, HttpRequest<?> request) {
        Resource inventory = findVisible(id, request);
        return adHoc.listWithField(request, dev.towerless.core.jobs.JobFields.INVENTORY, inventory.id());
    }

    @Post("/{id}/ad_hoc_commands/")
    public HttpResponse<String> runAdHoc(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource inventory = findVisible(id, request);
        Map<String, Object> input = new LinkedHashMap<>(Json.readObject(body));
        input.put("inventory", inventory.id());
        return adHoc.create(request, Json.write(input));
    }

    @Get("/{id}/labels/")
    public HttpResponse<String> listLabels(@PathVariable String id, HttpRequest<?> request) {
        return labelLinks.list(request, findVisible(id, request));
    }

    @Post("/{id}/labels/")
    public HttpResponse<String> attachLabel(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return labelLinks.post(request, findVisible(id, request), policy, body);
    }

    @Get("/{id}/hosts/")
    public HttpResponse<String> listHosts(@PathVariable String id, HttpRequest<?> request) {
        Resource inventory = findVisible(id, request);
        if (dev.towerless.core.inventory.SmartInventories.isSmart(inventory)) {
            Views views = Views.of(ctx, request);
            return hosts.listOf(request, SmartInventoryViews.visibleHosts(ctx, views.access(), inventory), views);
        }
        return hosts.listChildren(request, ctx.resources().where(ResourceTypes.HOST, "inventory", inventory.id()));
    }

    @Post("/{id}/hosts/")
    public HttpResponse<String> createHost(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource inventory = findVisible(id, request);
        Map<String, Object> input = new LinkedHashMap<>(Json.readObject(body));
        input.put("inventory", inventory.id());
        return hosts.create(request, Json.write(input));
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        String self = selfUrl(r);
        for (String sub : List.of("hosts", "groups", "inventory_sources", "job_templates", "ad_hoc_commands", "labels")) {
            related.put(sub, self + sub + "/");
        }
    }

    @Override
    protected void addSummary(Resource r, Map<String, Object> summary, Views views) {
        summary.put("labels", LabelLinks.summary(r.references("labels"), views));
    }

    @jakarta.inject.Inject
    InventoryFieldsView computedFields;

    /** AWX's computed fields, as the background recompute stored them (InventoryFieldsView). */
    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        computedFields.put(r, out);
        out.put("pending_deletion", r.flag(dev.towerless.core.deletion.Deletions.PENDING_DELETION));
        SmartInventoryViews.computedFields(r, out);
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        return SmartInventoryViews.checkHostFilter(fields, null);
    }

    @Override
    protected void checkUpdate(dev.towerless.core.access.Access access, Resource existing, Map<String, Object> input) {
        SmartInventoryViews.refuseKindChange(existing, input);
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        return SmartInventoryViews.checkHostFilter(changes, existing);
    }

    @Override
    protected Resource afterCreate(Resource created, HttpRequest<?> request) {
        SmartInventoryViews.saved(ctx, created);
        return ctx.resources().get(created.type(), created.id()).orElse(created);
    }

    @Override
    protected void afterUpdate(Resource before, Resource after) {
        SmartInventoryViews.saved(ctx, after);
    }

    @jakarta.inject.Inject
    jakarta.inject.Provider<dev.towerless.api.templates.JobTemplatesController> jobTemplates;

    /** {@code inventories/N/job_templates/}: the job templates that run on the inventory, those the caller may see. */
    @Get("/{id}/job_templates/")
    public HttpResponse<String> jobTemplates(@PathVariable String id, HttpRequest<?> request) {
        Resource inventory = findVisible(id, request);
        return jobTemplates.get().listChildren(request, ctx.resources().where(ResourceTypes.JOB_TEMPLATE, "inventory", inventory.id()));
    }

    @Override
    protected boolean copyable() {
        return true;
    }
}
