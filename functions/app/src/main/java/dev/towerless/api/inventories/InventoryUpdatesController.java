package dev.towerless.api.inventories;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.jobs.UnifiedJobController;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.annotation.Controller;
import java.util.Map;

/** {@code inventory_updates/}. */
@Controller("/api/v2/inventory_updates")
public class InventoryUpdatesController extends UnifiedJobController {
    public InventoryUpdatesController(ApiContext ctx) {
        super(ctx, JobKind.INVENTORY_UPDATE);
    }

    @Override
    protected void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views) {
        link(j, JobFields.INVENTORY, ResourceTypes.INVENTORY, "inventories", related, summary, views);
        link(j, "inventory_source", ResourceTypes.INVENTORY_SOURCE, "inventory_sources", related,
                summary, views);
        link(j, JobFields.PROJECT, ResourceTypes.PROJECT, "projects", related, summary, views);
    }
}
