package dev.towerless.core.inventory;

import dev.towerless.core.ports.Page;
import dev.towerless.core.ports.PageRequest;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control plane's resource store, which marks an inventory for a recompute after each host,
 * group or inventory source is added to it or removed from it (AWX's post_save/post_delete
 * signals in {@code connect_computed_field_signals}), whichever path made the change: the API,
 * bulk host creation, a copy, a cascade. Only those three types cost anything extra.
 */
public final class InventoryChangeTracking implements ResourceStore {
    private static final Logger LOG = Logger.getLogger(InventoryChangeTracking.class.getName());
    private static final Set<String> CHILDREN = Set.of(ResourceTypes.HOST, ResourceTypes.GROUP, ResourceTypes.INVENTORY_SOURCE);

    private final ResourceStore delegate;
    private final InventoryDirtyMarker marker;

    public InventoryChangeTracking(ResourceStore delegate, InventoryDirtyMarker marker) {
        this.delegate = delegate;
        this.marker = marker;
    }

    private Resource marked(Resource r) {
        if (CHILDREN.contains(r.type())) {
            r.reference(ResourceTypes.INVENTORY).ifPresent(inventory -> {
                try {
                    marker.changed(inventory);
                } catch (RuntimeException e) {
                    // The change itself is stored; the marker is left stale, so the next read or change requeues it.
                    LOG.log(Level.WARNING, "inventory " + inventory + " not queued for a recompute; it will be on its next read", e);
                }
            });
        }
        return r;
    }

    @Override
    public Resource create(String type, Map<String, Object> fields) {
        return marked(delegate.create(type, fields));
    }

    @Override
    public Resource insert(Resource resource) {
        return marked(delegate.insert(resource));
    }

    @Override
    public boolean delete(String type, long id) {
        if (!CHILDREN.contains(type)) {
            return delegate.delete(type, id);
        }
        Optional<Resource> before = delegate.get(type, id);
        boolean deleted = delegate.delete(type, id);
        if (deleted) {
            before.ifPresent(this::marked);
        }
        return deleted;
    }

    @Override
    public Optional<Resource> update(String type, long id, Map<String, Object> changes) {
        Optional<Resource> out = delegate.update(type, id, changes);
        // A source whose kind changed moves in or out of the counted ones.
        if (ResourceTypes.INVENTORY_SOURCE.equals(type) && changes.containsKey("source")) {
            out.ifPresent(this::marked);
        }
        return out;
    }

    @Override
    public Optional<Resource> get(String type, long id) {
        return delegate.get(type, id);
    }

    @Override
    public Optional<Resource> findByName(String type, String name) {
        return delegate.findByName(type, name);
    }

    @Override
    public Optional<Resource> findByNameInIndex(String type, String name) {
        return delegate.findByNameInIndex(type, name);
    }

    @Override
    public Optional<Resource> updateIf(String type, long id, String field, Object expected, Map<String, Object> changes) {
        return delegate.updateIf(type, id, field, expected, changes);
    }

    @Override
    public Map<Long, Resource> getMany(String type, Collection<Long> ids) {
        return delegate.getMany(type, ids);
    }

    @Override
    public Map<String, Map<Long, Resource>> getMany(Map<String, ? extends Collection<Long>> idsByType) {
        return delegate.getMany(idsByType);
    }

    @Override
    public Page<Resource> list(String type, PageRequest page) {
        return delegate.list(type, page);
    }

    @Override
    public List<Resource> all(String type) {
        return delegate.all(type);
    }

    @Override
    public List<Resource> where(String type, String field, Object value) {
        return delegate.where(type, field, value);
    }

    @Override
    public List<Resource> first(String type, int limit) {
        return delegate.first(type, limit);
    }

    @Override
    public List<Resource> named(String type, String name) {
        return delegate.named(type, name);
    }

    @Override
    public long count(String type) {
        return delegate.count(type);
    }

    @Override
    public long recount(String type) {
        return delegate.recount(type); // repairs a counter and index keys: nothing an inventory's hosts notice
    }

    @Override
    public long nextId(String sequence) {
        return delegate.nextId(sequence);
    }
}
