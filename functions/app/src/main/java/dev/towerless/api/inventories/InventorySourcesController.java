package dev.towerless.api.inventories;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.notifications.NotificationAssociationsController;
import dev.towerless.api.schedules.SchedulesController;
import dev.towerless.api.templates.LastUpdateView;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Inventory sources: CRUD, {@code update/} (a sync now) and their {@code inventory_updates/}. */
@Controller("/api/v2/inventory_sources")
public class InventorySourcesController extends ResourceController {
    private final InventoryUpdatesController updates;

    public InventorySourcesController(ApiContext ctx, InventoryUpdatesController updates) {
        super(ctx, Schemas.INVENTORY_SOURCE);
        this.updates = updates;
    }

    @Get("/{id}/update/")
    public HttpResponse<String> canUpdate(@PathVariable String id, HttpRequest<?> request) {
        // AWX's can_update: whether the caller may start an update, as the POST below decides
        Resource source = findVisible(id, request);
        return Responses.ok(Map.of("can_update", policy.canStart(AuthFilter.access(request), source)
                && InventorySourceChecks.updatable(ctx, source)));
    }

    @Post("/{id}/update/")
    public HttpResponse<String> update(@PathVariable String id, HttpRequest<?> request) {
        Resource source = findVisible(id, request);
        ApiException.require(policy.canStart(AuthFilter.access(request), source));
        if (!InventorySourceChecks.updatable(ctx, source)) { // AWX: http_method_not_allowed
            throw ApiException.methodNotAllowed("POST");
        }
        UnifiedJob update = ctx.launches().updateInventorySource(source, Origin.user(AuthFilter.user(request)));
        Map<String, Object> out = new LinkedHashMap<>(updates.render(update, Views.of(ctx, request)));
        out.put("inventory_update", update.id());
        return Responses.json(HttpStatus.ACCEPTED, out);
    }

    @Get("/{id}/inventory_updates/")
    public HttpResponse<String> inventoryUpdates(@PathVariable String id, HttpRequest<?> request) {
        return updates.listOfTemplate(request, findVisible(id, request).id());
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        InventorySourceChecks.check(ctx, fields, input);
        return Map.of();
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        Map<String, Object> merged = new LinkedHashMap<>(existing.fields());
        merged.putAll(changes);
        InventorySourceChecks.check(ctx, merged, input);
        return Map.of();
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        NotificationAssociationsController.addRelated(selfUrl(r), related);
        related.put("update", selfUrl(r) + "update/");
        related.put("inventory_updates", selfUrl(r) + "inventory_updates/");
        r.reference("last_update").ifPresent(u -> related.put("last_update", ApiContext.url("inventory_updates", u)));
    }

    @Override
    protected void addSummary(Resource r, Map<String, Object> summary, Views views) {
        LastUpdateView.summary(lastUpdate(r, views), summary);
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        SchedulesController.addTo(r, out, views);
        LastUpdateView.fields(lastUpdate(r, views), out);
    }

    private Optional<UnifiedJob> lastUpdate(Resource r, Views views) {
        return r.reference("last_update").flatMap(views::job).filter(j -> j.kind() == JobKind.INVENTORY_UPDATE);
    }

    /** Before the source's own fields are judged: AWX's field validator answers this alone. */
    @Override
    protected void beforeCreate(dev.towerless.core.access.Access access, Map<String, Object> input) {
        SmartInventoryViews.refuseContent(ctx, input.get("inventory"), "Inventory Source");
    }

    @Override
    protected boolean showsNextSchedule() {
        return true;
    }
}
