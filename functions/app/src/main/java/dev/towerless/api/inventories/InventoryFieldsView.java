package dev.towerless.api.inventories;

import dev.towerless.core.inventory.InventoryComputedFields;
import dev.towerless.core.inventory.InventoryDirtyMarker;
import dev.towerless.core.resources.Resource;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * An inventory's computed fields as stored by the background recompute, so reading one costs no
 * query. An inventory never computed yet (made before the recompute existed) is counted live
 * once and queued; a marker whose recompute was lost is queued again when it is read.
 */
@Singleton
public class InventoryFieldsView {
    private final InventoryComputedFields computed;
    private final InventoryDirtyMarker marker;

    public InventoryFieldsView(InventoryComputedFields computed, InventoryDirtyMarker marker) {
        this.computed = computed;
        this.marker = marker;
    }

    public void put(Resource inventory, Map<String, Object> out) {
        Optional<Map<String, Object>> stored = InventoryComputedFields.stored(inventory);
        if (stored.isPresent()) {
            out.putAll(stored.get());
            if (inventory.get(InventoryDirtyMarker.DIRTY) != null) {
                marker.requeueIfStale(inventory);
            }
            return;
        }
        out.putAll(computed.compute(inventory));
        marker.changed(inventory.id());
    }
}
