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
    public HostsController(ApiContext ctx) {
        super(ctx, Schemas.HOST);
    }

    /** AWX's HostDetail.delete: not while its inventory is being deleted. */
    @Override
    protected void beforeDelete(Resource r) {
        InventoryDeletion.refuseIfPending(ctx.resources(), r);
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("job_events", selfUrl(r) + "job_events/");
    }
}
