package dev.towerless.core.inventory;

import dev.towerless.core.jobs.HostSummary;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.HostSummaryStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What AWX's {@code _update_host_summary_from_stats} does when a job's {@code playbook_on_stats}
 * arrives, done once per job when it has finished: one summary per host of the stats (ids fixed
 * by the stats, so doing it twice stores the same items), then each host's {@code last_job},
 * {@code last_job_host_summary} and whether that summary failed, then the inventory is marked
 * for a recompute. A host moves only forward: a job older than the host's {@code last_job} does
 * not overwrite it, so jobs finishing out of order leave the newest one (one conditional write per host).
 */
public final class JobHostSummaries {
    /** On a finished job: the counter of its {@code playbook_on_stats} event (the runner records it). */
    public static final String STATS_EVENT = "stats_event_counter";
    public static final String LAST_JOB = "last_job";
    public static final String LAST_SUMMARY = "last_job_host_summary";
    private static final int ATTEMPTS = 5;
    /** How long an inventory's hosts, as last read, serve the next batches (see {@link #hostsOf}). */
    static final Duration HOST_INDEX_TTL = Duration.ofSeconds(30);
    private final Map<Long, HostIndex> hostIndex = new java.util.concurrent.ConcurrentHashMap<>();

    private final JobStore jobs;
    private final EventStore events;
    private final ResourceStore resources;
    private final HostSummaryStore summaries;
    private final InventoryDirtyMarker marker;
    private final Clock clock;

    public JobHostSummaries(JobStore jobs, EventStore events, ResourceStore resources, HostSummaryStore summaries,
                            InventoryDirtyMarker marker, Clock clock) {
        this.jobs = jobs;
        this.events = events;
        this.resources = resources;
        this.summaries = summaries;
        this.marker = marker;
        this.clock = clock;
    }

    /** What one batch of finished jobs did. */
    public record Recorded(int jobs, int summaries, int hostWrites, Set<Long> inventories) {
    }

    /**
     * Records the summaries of each finished playbook job among {@code jobIds}, reading each
     * inventory's hosts once for the batch, and marks each touched inventory once.
     */
    public Recorded recordFinished(Collection<Long> jobIds) {
        Map<Long, UnifiedJob> found = jobs.findMany(jobIds);
        Map<Long, List<UnifiedJob>> byInventory = new LinkedHashMap<>();
        for (UnifiedJob j : found.values()) {
            if (j.kind() == JobKind.JOB && j.status().isFinished() && j.longField(JobFields.INVENTORY).isPresent()
                    && j.longField(STATS_EVENT).isPresent()) {
                byInventory.computeIfAbsent(j.longField(JobFields.INVENTORY).get(), k -> new ArrayList<>()).add(j);
            }
        }
        int jobCount = 0;
        int written = 0;
        int hostWrites = 0;
        for (Map.Entry<Long, List<UnifiedJob>> e : byInventory.entrySet()) {
            // Oldest first, so within a batch the newest job is the one each host keeps.
            List<UnifiedJob> ordered = e.getValue().stream().sorted(java.util.Comparator.comparingLong(UnifiedJob::id)).toList();
            Map<Long, Map<String, Map<String, Integer>>> stats = new HashMap<>();
            Set<String> names = new java.util.HashSet<>();
            for (UnifiedJob job : ordered) {
                Map<String, Map<String, Integer>> counts = statsOf(job);
                stats.put(job.id(), counts);
                names.addAll(counts.keySet());
            }
            Map<String, Resource> hostsByName = hostsOf(e.getKey(), names);
            for (UnifiedJob job : ordered) {
                List<HostSummary> rows = rowsOf(job, stats.get(job.id()), hostsByName);
                summaries.putAll(rows);
                written += rows.size();
                jobCount++;
                for (HostSummary s : rows) {
                    if (s.hostId() != null) {
                        Optional<Resource> moved = pointHostAt(s, hostsByName.get(s.hostName()));
                        if (moved.isPresent()) {
                            hostWrites++;
                            hostsByName.put(moved.get().name(), moved.get());
                        }
                    }
                }
            }
        }
        for (Long inventory : byInventory.keySet()) {
            marker.changed(inventory);
        }
        return new Recorded(jobCount, written, hostWrites, byInventory.keySet());
    }

    /**
     * The summaries a finished job will have once its "job finished" is handled, computed from its
     * stats without writing anything (the same ids and hosts), for a read that arrives first.
     */
    public List<HostSummary> unrecorded(UnifiedJob job) {
        if (job.kind() != JobKind.JOB || !job.status().isFinished() || job.longField(STATS_EVENT).isEmpty()
                || job.longField(JobFields.INVENTORY).isEmpty()) {
            return List.of();
        }
        Map<String, Resource> hostsByName = new HashMap<>();
        resources.where(ResourceTypes.HOST, ResourceTypes.INVENTORY, job.longField(JobFields.INVENTORY).get())
                .forEach(h -> hostsByName.put(h.name(), h));
        return summariesOf(job, hostsByName);
    }

    /** The per-host counts of the job's stats event; empty if the event is not there (a job without stats has none, as in AWX). */
    private Map<String, Map<String, Integer>> statsOf(UnifiedJob job) {
        long counter = job.longField(STATS_EVENT).orElseThrow();
        return events.after(job.id(), counter - 1, 1).stream()
                .filter(ev -> ev.counter() == counter && "playbook_on_stats".equals(ev.event())).findFirst()
                .map(ev -> HostSummary.countsByHost(ev.eventData())).orElse(Map.of());
    }

    List<HostSummary> summariesOf(UnifiedJob job, Map<String, Resource> hostsByName) {
        return rowsOf(job, statsOf(job), hostsByName);
    }

    private List<HostSummary> rowsOf(UnifiedJob job, Map<String, Map<String, Integer>> counts, Map<String, Resource> hostsByName) {
        String created = job.string(JobFields.FINISHED).orElse(Timestamps.format(clock.instant()));
        List<HostSummary> rows = new ArrayList<>();
        int ordinal = 0;
        for (Map.Entry<String, Map<String, Integer>> h : new java.util.TreeMap<>(counts).entrySet()) {
            Resource host = hostsByName.get(h.getKey());
            rows.add(new HostSummary(HostSummary.idFor(job.id(), ordinal++), job.id(), host == null ? null : host.id(),
                    h.getKey(), h.getValue(), created));
        }
        return rows;
    }

    /**
     * The inventory's hosts by name. A consumer's container lives on between batches, so the
     * last read is kept for {@link #HOST_INDEX_TTL} and read again when it lacks a name the stats
     * report (a host added since): a burst of job ends reads a large inventory's hosts a few
     * times, not once per batch. A host deleted since is found out by its write (the summary keeps
     * its id, which no longer resolves, so it shows {@code host: null}).
     */
    private Map<String, Resource> hostsOf(long inventory, Set<String> names) {
        HostIndex cached = hostIndex.get(inventory);
        if (cached == null || Duration.between(cached.readAt(), clock.instant()).compareTo(HOST_INDEX_TTL) > 0
                || !cached.byName().keySet().containsAll(names)) {
            Map<String, Resource> byName = new java.util.concurrent.ConcurrentHashMap<>();
            resources.where(ResourceTypes.HOST, ResourceTypes.INVENTORY, inventory).forEach(h -> byName.put(h.name(), h));
            cached = new HostIndex(byName, clock.instant());
            if (hostIndex.size() > 1000) {
                hostIndex.clear();
            }
            hostIndex.put(inventory, cached);
        }
        return cached.byName();
    }

    private record HostIndex(Map<String, Resource> byName, java.time.Instant readAt) {
    }

    /** Points the host at this job's summary unless it already shows a newer job; the host as written, if written. */
    private Optional<Resource> pointHostAt(HostSummary s, Resource known) {
        // The first try trusts the host as the inventory query returned it; a refused write reads it again.
        Optional<Resource> host = Optional.ofNullable(known);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) {
                host = resources.get(ResourceTypes.HOST, s.hostId());
            }
            if (host.isEmpty()) {
                return Optional.empty();
            }
            Object seen = host.get().get(LAST_JOB);
            long current = seen instanceof Number n ? n.longValue() : -1L;
            if (current > s.jobId() || (current == s.jobId() && Long.valueOf(s.id()).equals(asLong(host.get().get(LAST_SUMMARY))))) {
                return Optional.empty(); // a newer job's summary, or this one already (a redelivery)
            }
            Map<String, Object> changes = Map.of(LAST_JOB, s.jobId(), LAST_SUMMARY, s.id(),
                    InventoryComputedFields.HOST_FAILED, s.failed());
            Optional<Resource> written = resources.updateIf(ResourceTypes.HOST, s.hostId(), LAST_JOB, seen, changes);
            if (written.isPresent()) {
                return written;
            }
        }
        throw new IllegalStateException("host " + s.hostId() + " kept changing; job " + s.jobId() + " is retried");
    }

    private static Long asLong(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    /** The inventories of these finished jobs whose computed fields a finish changes by itself (an inventory sync). */
    public static Set<Long> syncedInventories(Collection<UnifiedJob> finished) {
        Set<Long> out = new LinkedHashSet<>();
        for (UnifiedJob j : finished) {
            if (j.kind() == JobKind.INVENTORY_UPDATE && j.status().isFinished()) {
                j.longField(JobFields.INVENTORY).ifPresent(out::add);
            }
        }
        return out;
    }
}
