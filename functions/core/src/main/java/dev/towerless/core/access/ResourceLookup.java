package dev.towerless.core.access;

import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads objects for access decisions, each at most once per request: a rule that asks for a
 * template's organization twice, or a page of 25 hosts of one inventory, reads it once.
 */
public final class ResourceLookup {
    private final ResourceStore store;
    private final JobStore jobs;
    private final Map<String, Optional<Resource>> seen = new HashMap<>();
    private final Map<Long, Optional<UnifiedJob>> seenJobs = new HashMap<>();
    private final Map<Long, Long> newest = new HashMap<>();

    public ResourceLookup(ResourceStore store, JobStore jobs) {
        this.store = store;
        this.jobs = jobs;
    }

    public Optional<UnifiedJob> job(long id) {
        return seenJobs.computeIfAbsent(id, jobs::find);
    }

    public Optional<Resource> find(String type, long id) {
        return seen.computeIfAbsent(type + "#" + id, k -> store.get(type, id));
    }

    public Optional<Resource> find(String type, Optional<Long> id) {
        return id.flatMap(i -> find(type, i));
    }

    /**
     * Reads, in one batch, those of these objects not read yet, and remembers the missing ones as
     * missing: a page that names 20 templates, 5 projects and 7 inventories then renders from one
     * round trip instead of 32 (every read the page's rendering and its access rules make later
     * finds them here).
     */
    public void prefetch(Map<String, ? extends java.util.Collection<Long>> idsByType) {
        Map<String, java.util.List<Long>> wanted = new HashMap<>();
        idsByType.forEach((type, ids) -> ids.stream().distinct().filter(id -> !seen.containsKey(type + "#" + id))
                .forEach(id -> wanted.computeIfAbsent(type, t -> new java.util.ArrayList<>()).add(id)));
        if (wanted.isEmpty()) {
            return;
        }
        preload(wanted, store.getMany(wanted));
    }

    /**
     * Remembers the objects {@code asked} as read: those in {@code found}, and the others as
     * missing. By {@link #prefetch}, and for objects read beside the request's token.
     */
    public void preload(Map<String, ? extends java.util.Collection<Long>> asked, Map<String, Map<Long, Resource>> found) {
        asked.forEach((type, ids) -> ids.forEach(id -> seen.putIfAbsent(type + "#" + id,
                Optional.ofNullable(found.getOrDefault(type, Map.of()).get(id)))));
    }

    /**
     * Remembers the jobs {@code asked} as read: those in {@code found}, and the others as missing
     * (jobs read beside the request's token). {@link #job} finds them, and {@link #jobsRead} hands
     * them to the store for a page's items.
     */
    public void preloadJobs(java.util.Collection<Long> asked, Map<Long, UnifiedJob> found) {
        asked.forEach(id -> seenJobs.putIfAbsent(id, Optional.ofNullable(found.get(id))));
    }

    /**
     * The job store's records of templates' newest job ids read beside the request's token
     * ({@link dev.towerless.core.ports.JointReads.Found#newest}), for the store to take as read.
     */
    public void preloadNewest(Map<Long, Long> found) {
        newest.putAll(found);
    }

    /** What {@link #preloadNewest} was given. */
    public Map<Long, Long> newestRead() {
        return Map.copyOf(newest);
    }

    /** The jobs this request has read (and found), by id. */
    public Map<Long, UnifiedJob> jobsRead() {
        Map<Long, UnifiedJob> out = new HashMap<>();
        seenJobs.forEach((id, job) -> job.ifPresent(j -> out.put(id, j)));
        return out;
    }

    /** What was read already, without reading. */
    public Optional<Resource> peek(String type, long id) {
        Optional<Resource> r = seen.get(type + "#" + id);
        return r == null ? Optional.empty() : r;
    }

    /** Records objects read in bulk (a page of a list) so rules about them read nothing more. */
    public void remember(Resource r) {
        seen.putIfAbsent(r.type() + "#" + r.id(), Optional.of(r));
    }

    public ResourceStore store() {
        return store;
    }
}
