package dev.towerless.core.inventory;

import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Marks an inventory's computed fields as out of date, coalescing: the inventory item carries
 * {@link #DIRTY} (when it was marked) from the first change until a recompute takes it. Only the
 * change that finds it clean writes (one conditional write) and queues a recompute; every later
 * change only reads, because the recompute clears the marker <em>before</em> it reads the
 * inventory, so whatever a change wrote before seeing the marker is in what it reads
 * (docs/inventory-computed-fields.md). A burst of a thousand job ends thus costs a few writes.
 */
public final class InventoryDirtyMarker {
    /** Set while a recompute is owed: when the inventory was marked (ISO timestamp). */
    public static final String DIRTY = "computed_dirty";
    /**
     * A marker this old has lost its message (a send that failed after the write, a consumer that
     * gave up): the next change or read of the inventory queues the recompute again.
     */
    public static final Duration STALE_AFTER = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(InventoryDirtyMarker.class.getName());
    /** A marker whose message could not be sent: stale from the start. */
    static final String UNQUEUED = "1970-01-01T00:00:00.000000Z";

    private final ResourceStore resources;
    private final MessageQueue recomputes;
    private final Clock clock;

    public InventoryDirtyMarker(ResourceStore resources, MessageQueue recomputes, Clock clock) {
        this.resources = resources;
        this.recomputes = recomputes;
        this.clock = clock;
    }

    /** Call after the change is stored. True if this call queued a recompute. */
    public boolean changed(long inventoryId) {
        Optional<Resource> inventory = resources.get(ResourceTypes.INVENTORY, inventoryId);
        if (inventory.isEmpty()) {
            return false;
        }
        Object dirty = inventory.get().get(DIRTY);
        if (dirty != null) {
            return requeueIfStale(inventory.get());
        }
        String now = Timestamps.format(clock.instant());
        if (resources.updateIf(ResourceTypes.INVENTORY, inventoryId, DIRTY, null, Map.of(DIRTY, now)).isEmpty()) {
            return false; // another change marked it first; its recompute reads after ours
        }
        try {
            recomputes.send(new InventoryChanged(inventoryId).body());
        } catch (RuntimeException e) {
            // Date the mark back, so the next change, read or redelivery requeues it at once; if even that fails,
            // the marker turns stale by itself after STALE_AFTER.
            resources.updateIf(ResourceTypes.INVENTORY, inventoryId, DIRTY, now, Map.of(DIRTY, UNQUEUED));
            throw e;
        }
        return true;
    }

    /** A marker older than {@link #STALE_AFTER} is queued again (a message was lost); true if it was. */
    public boolean requeueIfStale(Resource inventory) {
        Object dirty = inventory.get(DIRTY);
        if (!(dirty instanceof String since)) {
            return false;
        }
        Instant marked;
        try {
            marked = Timestamps.parse(since);
        } catch (RuntimeException e) {
            marked = Instant.EPOCH;
        }
        if (Duration.between(marked, clock.instant()).compareTo(STALE_AFTER) < 0) {
            return false;
        }
        // Moving the marker's time on first means one of several readers requeues it, not all.
        if (resources.updateIf(ResourceTypes.INVENTORY, inventory.id(), DIRTY, since,
                Map.of(DIRTY, Timestamps.format(clock.instant()))).isEmpty()) {
            return false;
        }
        try {
            recomputes.send(new InventoryChanged(inventory.id()).body());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not requeue the computed fields of inventory " + inventory.id(), e);
            return false;
        }
        return true;
    }
}
