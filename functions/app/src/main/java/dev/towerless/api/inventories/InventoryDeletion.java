package dev.towerless.api.inventories;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.core.deletion.Deletions;
import dev.towerless.core.resources.Resource;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import java.util.Map;

/** AWX's answers around an inventory's background deletion (InventoryDetail.destroy, HostDetail.delete). */
final class InventoryDeletion {
    private InventoryDeletion() {
    }

    /** 202 once the inventory is marked pending deletion; 400 if it already was (AWX's schedule_deletion RuntimeError). */
    static HttpResponse<String> schedule(Deletions deletions, Resource inventory, HttpRequest<?> request) {
        if (!deletions.scheduleInventoryDeletion(inventory, AuthFilter.user(request).id())) {
            throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("error", "Inventory is already pending deletion."));
        }
        return HttpResponse.status(HttpStatus.ACCEPTED);
    }

    /** AWX's HostDetail.delete: a host of an inventory being deleted is not deleted on its own. */
    static void refuseIfPending(dev.towerless.core.ports.ResourceStore resources, Resource host) {
        host.reference("inventory").flatMap(i -> resources.get(dev.towerless.core.resources.ResourceTypes.INVENTORY, i))
                .filter(Deletions::pendingDeletion).ifPresent(i -> {
                    throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("error", "The inventory for this host is already being deleted."));
                });
    }
}
