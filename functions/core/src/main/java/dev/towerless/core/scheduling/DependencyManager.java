package dev.towerless.core.scheduling;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.InventoryUpdates;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.launch.ProjectUpdates;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * AWX's dependency manager (research §2.3): a pending job whose project updates on launch, or
 * whose inventory has sources that update on launch, gets those updates first; an SCM inventory
 * update gets its source project's. For each it reuses an update in flight, skips one that
 * succeeded within the cache window, or creates a new one ({@code launch_type=dependency}).
 *
 * <p>Decisions are recorded per project or source, not per job: a watermark (the newest job
 * processed, in {@link JobOrder}) and, per dependency update, the range of jobs it serves. A pass
 * over ten thousand pending jobs therefore writes once per project or source. The watermark write
 * is conditional, so two passes can never process the same jobs twice.
 */
public final class DependencyManager {
    public static final String WATERMARK = "dependency_watermark";
    public static final String DEPENDENCY_UPDATES = "dependency_updates";

    private final JobStore jobs;
    private final ResourceStore resources;
    private final Clock clock;
    private final int parallelism;

    public DependencyManager(JobStore jobs, ResourceStore resources, Clock clock, int parallelism) {
        this.jobs = jobs;
        this.resources = resources;
        this.clock = clock;
        this.parallelism = parallelism;
    }

    public DependencyManager(JobStore jobs, ResourceStore resources, Clock clock) {
        this(jobs, resources, clock, 1);
    }

    /** What can be updated on launch: a project or an inventory source. */
    enum Kind {
        PROJECT(ResourceTypes.PROJECT, "scm_update_on_launch", "scm_update_cache_timeout", JobKind.PROJECT_UPDATE, JobFields.PROJECT),
        SOURCE(ResourceTypes.INVENTORY_SOURCE, "update_on_launch", "update_cache_timeout", JobKind.INVENTORY_UPDATE,
                "inventory_source");

        final String type;
        final String flag;
        final String cacheField;
        final JobKind updateKind;
        final String updateRef;

        Kind(String type, String flag, String cacheField, JobKind updateKind, String updateRef) {
            this.type = type;
            this.flag = flag;
            this.cacheField = cacheField;
            this.updateKind = updateKind;
            this.updateRef = updateRef;
        }

        static Kind of(Resource r) {
            return ResourceTypes.PROJECT.equals(r.type()) ? PROJECT : SOURCE;
        }
    }

    private record Target(Kind kind, Resource resource, List<UnifiedJob> pending) {
    }

    /**
     * Processes the pending jobs' update-on-launch dependencies. {@code projects} and
     * {@code sources} are the pass's caches and are refreshed with what this writes; returns the
     * updates it created (pending).
     */
    public List<UnifiedJob> process(List<UnifiedJob> pending, Map<Long, Resource> projects, Map<Long, Resource> sources,
                                    List<UnifiedJob> active) {
        List<Target> targets = targets(pending, projects, sources);
        Map<Long, UnifiedJob> lastUpdates = jobs.findMany(targets.stream()
                .map(t -> t.resource().reference("last_update")).flatMap(Optional::stream).toList());
        // Targets are independent items: decide and write them in parallel.
        List<Optional<Decided>> decided = Parallel.map(targets, parallelism, t -> decide(t, active, lastUpdates));
        List<UnifiedJob> created = new ArrayList<>();
        for (Optional<Decided> d : decided) {
            d.ifPresent(x -> {
                (Kind.of(x.resource()) == Kind.PROJECT ? projects : sources).put(x.resource().id(), x.resource());
                x.created().ifPresent(created::add);
            });
        }
        return created;
    }

    /** Projects and sources that update on launch, each with the pending jobs it serves. */
    private static List<Target> targets(List<UnifiedJob> pending, Map<Long, Resource> projects, Map<Long, Resource> sources) {
        Map<Long, List<UnifiedJob>> byProject = new TreeMap<>();
        Map<Long, List<UnifiedJob>> byInventory = new TreeMap<>();
        for (UnifiedJob j : pending) {
            if (j.kind() == JobKind.JOB || j.kind() == JobKind.INVENTORY_UPDATE) {
                j.longField(JobFields.PROJECT).ifPresent(p -> byProject.computeIfAbsent(p, k -> new ArrayList<>()).add(j));
            }
            if (j.kind() == JobKind.JOB) {
                j.longField(JobFields.INVENTORY).ifPresent(i -> byInventory.computeIfAbsent(i, k -> new ArrayList<>()).add(j));
            }
        }
        List<Target> targets = new ArrayList<>();
        byProject.forEach((id, jobs) -> {
            Resource p = projects.get(id);
            if (p != null && p.flag(Kind.PROJECT.flag)) {
                targets.add(new Target(Kind.PROJECT, p, jobs));
            }
        });
        for (Resource s : sources.values()) {
            List<UnifiedJob> served = s.reference(JobFields.INVENTORY).map(byInventory::get).orElse(null);
            if (served != null && s.flag(Kind.SOURCE.flag)) {
                targets.add(new Target(Kind.SOURCE, s, served));
            }
        }
        return targets;
    }

    private record Decided(Resource resource, Optional<UnifiedJob> created) {
    }

    /** One target's decision for its unprocessed pending jobs, written with a conditional watermark. */
    private Optional<Decided> decide(Target t, List<UnifiedJob> active, Map<Long, UnifiedJob> lastUpdates) {
        Resource target = t.resource();
        String watermark = target.string(WATERMARK).orElse("");
        List<UnifiedJob> unprocessed = t.pending().stream().filter(j -> JobOrder.key(j).compareTo(watermark) > 0)
                .sorted(JobOrder.OLDEST_FIRST).toList();
        if (unprocessed.isEmpty()) {
            return Optional.empty();
        }
        Optional<UnifiedJob> latest = latestUpdate(t, active, lastUpdates);
        boolean needNew;
        UnifiedJob dependency = null;
        if (latest.isEmpty() || latest.get().status().countsAsFailed()) {
            needNew = true;
        } else if (latest.get().status().isActive()) {
            needNew = false;
            dependency = latest.get();
        } else {
            needNew = !withinCache(latest.get(), target, t.kind());
        }
        if (needNew) {
            long id = resources.nextId(LaunchService.JOB_SEQUENCE);
            dependency = t.kind() == Kind.PROJECT
                    ? ProjectUpdates.newUpdate(id, target, LaunchType.DEPENDENCY, clock.instant())
                    : dev.towerless.core.organizations.HostLimit.stamped(resources,
                            InventoryUpdates.newUpdate(id, target, LaunchType.DEPENDENCY, clock.instant()));
            jobs.insert(dependency);
        }
        String from = JobOrder.key(unprocessed.get(0));
        String to = JobOrder.key(unprocessed.get(unprocessed.size() - 1));
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put(WATERMARK, to);
        changes.put(DEPENDENCY_UPDATES, entries(target, dependency, from, to, t.pending()));
        if (needNew) {
            changes.put("current_update", dependency.id());
            changes.put("last_update", dependency.id());
        }
        Optional<Resource> written = resources.updateIf(t.kind().type, target.id(), WATERMARK, target.get(WATERMARK), changes);
        if (written.isEmpty()) {
            // Another pass processed these jobs first; the update made here serves nobody.
            if (needNew) {
                jobs.updateIfStatus(dependency.id(), JobStatus.PENDING,
                        JobTransitions.changesFor(dependency, JobStatus.CANCELED, clock.instant()));
            }
            return Optional.empty();
        }
        return Optional.of(new Decided(written.get(), needNew ? Optional.of(dependency) : Optional.empty()));
    }

    /** The update(s) a job waits for on this project or source: those whose recorded range covers it. */
    public static List<Long> dependenciesOf(UnifiedJob job, Resource target) {
        String key = JobOrder.key(job);
        List<Long> out = new ArrayList<>();
        for (Map<String, Object> entry : entries(target)) {
            if (key.compareTo((String) entry.get("from")) >= 0 && key.compareTo((String) entry.get("to")) <= 0) {
                out.add(((Number) entry.get("update")).longValue());
            }
        }
        return out;
    }

    /** True if the dependency manager has not looked at this job for this project or source yet. */
    public static boolean unprocessed(UnifiedJob job, Resource target) {
        return target.flag(Kind.of(target).flag) && JobOrder.key(job).compareTo(target.string(WATERMARK).orElse("")) > 0;
    }

    private static Optional<UnifiedJob> latestUpdate(Target t, List<UnifiedJob> active, Map<Long, UnifiedJob> lastUpdates) {
        List<UnifiedJob> candidates = new ArrayList<>();
        for (UnifiedJob j : active) {
            if (j.kind() == t.kind().updateKind && j.longField(t.kind().updateRef).orElse(-1L) == t.resource().id()) {
                candidates.add(j);
            }
        }
        t.resource().reference("last_update").map(lastUpdates::get).ifPresent(candidates::add);
        return candidates.stream()
                .filter(j -> t.kind() != Kind.PROJECT || "check".equals(j.get(JobFields.JOB_TYPE)))
                .max(Comparator.comparingLong(UnifiedJob::id));
    }

    /** AWX's should_update_again: a successful update is good for the cache timeout in seconds. */
    private boolean withinCache(UnifiedJob update, Resource target, Kind kind) {
        long cache = target.reference(kind.cacheField).orElse(0L);
        Instant finished = update.finished().orElse(Instant.MIN);
        return cache > 0 && !finished.plus(Duration.ofSeconds(cache)).isBefore(clock.instant());
    }

    /** The target's dependency ranges, with this pass's added and ranges nobody needs any more dropped. */
    private static List<Map<String, Object>> entries(Resource target, UnifiedJob dependency, String from, String to,
                                                     List<UnifiedJob> pendingOfTarget) {
        String oldestPending = pendingOfTarget.stream().map(JobOrder::key).min(String::compareTo).orElse(from);
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> e : entries(target)) {
            if (((String) e.get("to")).compareTo(oldestPending) >= 0) {
                kept.add(e);
            }
        }
        if (dependency != null) {
            Map<String, Object> last = kept.isEmpty() ? null : kept.get(kept.size() - 1);
            if (last != null && ((Number) last.get("update")).longValue() == dependency.id()) {
                last = new LinkedHashMap<>(last);
                last.put("to", to);
                kept.set(kept.size() - 1, last);
            } else {
                kept.add(Map.of("update", dependency.id(), "from", from, "to", to));
            }
        }
        return kept;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Resource target) {
        Object v = target.get(DEPENDENCY_UPDATES);
        return v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
