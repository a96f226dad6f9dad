package dev.towerless.api.inventories;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.annotation.Controller;
import java.util.Map;

/** {@code hosts/}: the machines of an inventory. */
@Controller("/api/v2/hosts")
public class HostsController extends ResourceController {
    private final jakarta.inject.Provider<InventoriesController> inventories;

    public HostsController(ApiContext ctx, jakarta.inject.Provider<InventoriesController> inventories) {
        super(ctx, Schemas.HOST);
        this.inventories = inventories;
    }

    @jakarta.inject.Inject
    HostSummariesView summaries;

    /** AWX's HostDetail.delete: not while its inventory is being deleted. */
    @Override
    protected void beforeDelete(Resource r) {
        InventoryDeletion.refuseIfPending(ctx.resources(), r);
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("job_events", selfUrl(r) + "job_events/");
        HostSummariesView.hostRelated(r, related);
        related.put("smart_inventories", selfUrl(r) + "smart_inventories/");
    }

    @Override
    protected void addSummary(Resource r, Map<String, Object> summary, dev.towerless.api.dialect.Views views) {
        summaries.hostSummary(r, summary, views);
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, dev.towerless.api.dialect.Views views) {
        HostSummariesView.hostFields(r, out);
    }

    /** AWX's {@code hosts/N/job_host_summaries/}: the host's summaries, newest first. */
    @io.micronaut.http.annotation.Get("/{id}/job_host_summaries/")
    public io.micronaut.http.HttpResponse<String> jobHostSummaries(@io.micronaut.http.annotation.PathVariable String id,
                                                                   io.micronaut.http.HttpRequest<?> request) {
        Resource host = findVisible(id, request);
        return summaries.list(request, summaries.store().ofHost(host.id(), 10_000));
    }

    /** The smart inventories whose membership holds this host (AWX's HostSmartInventoriesList). */
    @io.micronaut.http.annotation.Get("/{id}/smart_inventories/")
    public io.micronaut.http.HttpResponse<String> smartInventories(@io.micronaut.http.annotation.PathVariable String id,
                                                                   io.micronaut.http.HttpRequest<?> request) {
        return inventories.get().listChildren(request, SmartInventoryViews.smartInventoriesOf(ctx, findVisible(id, request)));
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input,
                                                io.micronaut.http.HttpRequest<?> request) {
        SmartInventoryViews.refuseContent(ctx, fields.get("inventory"), "Host");
        return Map.of();
    }

    @Override
    protected Resource afterCreate(Resource created, io.micronaut.http.HttpRequest<?> request) {
        SmartInventoryViews.memberships(ctx).hostChanged(null, created);
        return created;
    }

    @Override
    protected void afterUpdate(Resource before, Resource after) {
        SmartInventoryViews.memberships(ctx).hostChanged(before, after);
    }

    @Override
    protected void afterDelete(Resource deleted) {
        SmartInventoryViews.memberships(ctx).hostChanged(deleted, null);
    }
}
