package dev.towerless.core.scheduling;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
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
 * AWX's dependency manager for projects that update on launch (research §2.3): for pending jobs
 * it reuses an update in flight, skips one that succeeded within {@code scm_update_cache_timeout},
 * or creates a new one ({@code launch_type=dependency}).
 *
 * <p>Decisions are recorded per project, not per job: a watermark (the newest job processed, in
 * {@link JobOrder}) and, per dependency update, the range of jobs it serves. A pass over ten
 * thousand pending jobs therefore writes once per project. The watermark write is conditional, so
 * two passes can never process the same jobs twice.
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

    /**
     * Processes the pending jobs of projects that update on launch. {@code projects} is the pass's
     * cache and is refreshed with what this writes; returns the updates it created (pending).
     */
    public List<UnifiedJob> process(List<UnifiedJob> pending, Map<Long, Resource> projects, List<UnifiedJob> active) {
        Map<Long, List<UnifiedJob>> byProject = new TreeMap<>();
        for (UnifiedJob j : pending) {
            if (j.kind() == JobKind.JOB) {
                j.longField(JobFields.PROJECT).ifPresent(p -> byProject.computeIfAbsent(p, k -> new ArrayList<>()).add(j));
            }
        }
        // Each project's latest update: one in flight, or the one it records as last (one batch read).
        Map<Long, UnifiedJob> lastUpdates = jobs.findMany(byProject.keySet().stream().map(projects::get)
                .filter(p -> p != null && p.flag("scm_update_on_launch"))
                .map(p -> p.reference("last_update")).flatMap(Optional::stream).toList());
        // Projects are independent items: decide and write them in parallel.
        List<Map.Entry<Long, List<UnifiedJob>>> work = new ArrayList<>(byProject.entrySet());
        List<Optional<Decided>> decided = Parallel.map(work, parallelism, e -> decide(e.getKey(), e.getValue(),
                projects.get(e.getKey()), active, lastUpdates));
        List<UnifiedJob> created = new ArrayList<>();
        for (Optional<Decided> d : decided) {
            d.ifPresent(x -> {
                projects.put(x.project().id(), x.project());
                x.created().ifPresent(created::add);
            });
        }
        return created;
    }

    private record Decided(Resource project, Optional<UnifiedJob> created) {
    }

    /** One project's decision for its unprocessed pending jobs, written with a conditional watermark. */
    private Optional<Decided> decide(long projectId, List<UnifiedJob> pendingOfProject, Resource project,
                                     List<UnifiedJob> active, Map<Long, UnifiedJob> lastUpdates) {
        if (project == null || !project.flag("scm_update_on_launch")) {
            return Optional.empty();
        }
        String watermark = project.string(WATERMARK).orElse("");
        List<UnifiedJob> unprocessed = pendingOfProject.stream().filter(j -> JobOrder.key(j).compareTo(watermark) > 0)
                .sorted(JobOrder.OLDEST_FIRST).toList();
        if (unprocessed.isEmpty()) {
            return Optional.empty();
        }
        Optional<UnifiedJob> latest = latestCheckUpdate(project, active, lastUpdates);
        boolean needNew;
        UnifiedJob dependency = null;
        if (latest.isEmpty() || latest.get().status().countsAsFailed()) {
            needNew = true;
        } else if (latest.get().status().isActive()) {
            needNew = false;
            dependency = latest.get();
        } else {
            needNew = !withinCache(latest.get(), project);
        }
        if (needNew) {
            dependency = ProjectUpdates.newUpdate(resources.nextId(LaunchService.JOB_SEQUENCE), project,
                    LaunchType.DEPENDENCY, clock.instant());
            jobs.insert(dependency);
        }
        String from = JobOrder.key(unprocessed.get(0));
        String to = JobOrder.key(unprocessed.get(unprocessed.size() - 1));
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put(WATERMARK, to);
        changes.put(DEPENDENCY_UPDATES, entries(project, dependency, from, to, pendingOfProject));
        if (needNew) {
            changes.put("current_update", dependency.id());
            changes.put("last_update", dependency.id());
        }
        Optional<Resource> written = resources.updateIf(ResourceTypes.PROJECT, projectId, WATERMARK,
                project.get(WATERMARK), changes);
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

    /** The update(s) a job waits for: those whose recorded range covers it. Empty if none. */
    public static List<Long> dependenciesOf(UnifiedJob job, Resource project) {
        String key = JobOrder.key(job);
        List<Long> out = new ArrayList<>();
        for (Map<String, Object> entry : entries(project)) {
            if (key.compareTo((String) entry.get("from")) >= 0 && key.compareTo((String) entry.get("to")) <= 0) {
                out.add(((Number) entry.get("update")).longValue());
            }
        }
        return out;
    }

    /** True if the dependency manager has not looked at this job yet. */
    public static boolean unprocessed(UnifiedJob job, Resource project) {
        return project.flag("scm_update_on_launch") && JobOrder.key(job).compareTo(project.string(WATERMARK).orElse("")) > 0;
    }

    private static Optional<UnifiedJob> latestCheckUpdate(Resource project, List<UnifiedJob> active,
                                                         Map<Long, UnifiedJob> lastUpdates) {
        List<UnifiedJob> candidates = new ArrayList<>();
        for (UnifiedJob j : active) {
            if (j.kind() == JobKind.PROJECT_UPDATE && j.longField(JobFields.PROJECT).orElse(-1L) == project.id()) {
                candidates.add(j);
            }
        }
        project.reference("last_update").map(lastUpdates::get).ifPresent(candidates::add);
        return candidates.stream().filter(j -> "check".equals(j.get(JobFields.JOB_TYPE)))
                .max(Comparator.comparingLong(UnifiedJob::id));
    }

    /** AWX's should_update_again: a successful update is good for {@code scm_update_cache_timeout} seconds. */
    private boolean withinCache(UnifiedJob update, Resource project) {
        long cache = project.reference("scm_update_cache_timeout").orElse(0L);
        Instant finished = update.finished().orElse(Instant.MIN);
        return cache > 0 && !finished.plus(Duration.ofSeconds(cache)).isBefore(clock.instant());
    }

    /** The project's dependency ranges, with this pass's added and ranges nobody needs any more dropped. */
    private static List<Map<String, Object>> entries(Resource project, UnifiedJob dependency, String from, String to,
                                                     List<UnifiedJob> pendingOfProject) {
        String oldestPending = pendingOfProject.stream().map(JobOrder::key).min(String::compareTo).orElse(from);
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> e : entries(project)) {
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
    private static List<Map<String, Object>> entries(Resource project) {
        Object v = project.get(DEPENDENCY_UPDATES);
        return v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
