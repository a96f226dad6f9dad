package dev.towerless.core.ports;

import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.UnifiedJob;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Unified jobs of every kind. Every write is a single-item conditional write. */
public interface JobStore {

    /** Stores a new job; fails with {@link ConflictException} if the id is taken. */
    void insert(UnifiedJob job);

    Optional<UnifiedJob> find(long id);

    /** Several jobs in one round trip; missing ids are left out. */
    Map<Long, UnifiedJob> findMany(java.util.Collection<Long> ids);

    /**
     * Applies {@code changes} only if the job's status is still {@code expected}; returns the
     * job as written, or empty if the job is missing or someone else moved it first.
     */
    Optional<UnifiedJob> updateIfStatus(long id, JobStatus expected, Map<String, Object> changes);

    /**
     * As {@link #updateIfStatus}, and only if {@code field} still holds {@code seen} ({@code null}:
     * absent), so a decision taken on a read (a heartbeat too old) still holds when it is written.
     */
    Optional<UnifiedJob> updateIfStatusAndUnchanged(long id, JobStatus expected, String field, Object seen,
                                                    Map<String, Object> changes);

    /**
     * Applies {@code changes} only if the job is still active (new, pending, waiting, running);
     * for fields other writers do not own, such as {@code cancel_flag} or {@code job_explanation}.
     */
    Optional<UnifiedJob> updateIfActive(long id, Map<String, Object> changes);

    /**
     * Sets {@code field} only if the job has no value for it yet; returns the job as stored
     * afterwards, holding either this value or the one another writer set first. Empty if the job
     * is missing. (A claim: of two handlers of a duplicated message, one wins.)
     */
    Optional<UnifiedJob> setIfAbsent(long id, String field, Object value);

    /** All jobs in new, pending, waiting or running, oldest first: one query on a sparse index. */
    List<UnifiedJob> active();

    /**
     * The active jobs for a view that only shows them ({@code ping/}, {@code instances/}, an
     * instance group's consumed capacity), never for a decision (the task manager, the reaper,
     * "in use" checks read {@link #active}). A store that counts its jobs may answer a history in
     * which nothing is unfinished from its counters alone, so a job that a failed launch's
     * bookkeeping left uncounted can be missing here until the nightly repair.
     */
    default List<UnifiedJob> activeShown() {
        return active();
    }

    /**
     * Jobs of one kind by id. Reads the page's keys (and, for page N, the keys before it) and the
     * page's items; the count comes from counters the store keeps, never from reading the kind.
     */
    Page<UnifiedJob> list(JobKind kind, PageRequest page);

    /**
     * Jobs of these kinds in one id order ({@code unified_jobs/}), as {@link #list(JobKind, PageRequest)}:
     * reads the keys up to the end of the page and the page's items; the count from counters.
     */
    Page<UnifiedJob> list(java.util.Set<JobKind> kinds, PageRequest page);

    /**
     * Jobs of these kinds in any of these statuses, in one id order ({@code ?status=failed},
     * {@code ?status__in=}): reads the keys of those (kind, status) pairs up to the end of the
     * page, merged in id order, and the page's items; the count as {@link #count(JobKind, JobStatus)}
     * summed. No status: an empty page.
     */
    Page<UnifiedJob> list(java.util.Set<JobKind> kinds, java.util.Set<JobStatus> statuses, PageRequest page);

    /**
     * Jobs of these kinds launched one of these ways ({@code launch_type}), in AWX's
     * {@code order_by=-finished} ({@code page.descending()}) or {@code order_by=finished}: the page
     * AWX's UI asks for its Jobs screen ({@code unified_jobs/?not__launch_type=sync&order_by=-finished}).
     * As in PostgreSQL, where a missing {@code finished} sorts above every time, unfinished jobs
     * come first newest first and last oldest first; jobs finished at the same instant, and the
     * unfinished ones among themselves, are in id order the same way. Reads the active jobs
     * (which the task manager keeps few), the finished jobs' keys up to the end of the page and the
     * page's items; the count from the (kind, launch type) counters. No launch type: an empty page.
     */
    Page<UnifiedJob> byFinished(java.util.Set<JobKind> kinds, java.util.Set<dev.towerless.core.jobs.LaunchType> launchTypes,
                                PageRequest page);

    /**
     * Jobs of these kinds whose {@code field} (one of {@link dev.towerless.core.jobs.JobFilters#FIELDS})
     * holds one of these values ({@link dev.towerless.core.jobs.JobFilters#valueOf}'s spelling), in one
     * id order: {@code ?inventory=N}, {@code ?project=N}, {@code ?launch_type=X}. Reads the keys the
     * store keeps for each (kind, value), merged, up to the end of the page, and the page's items;
     * the count from their counters. No value: an empty page. Empty instead while the store has not
     * yet listed every job an older version stored ({@link #repairIndexKeys} does, nightly): the
     * caller then walks, rather than show a page that misses them.
     */
    Optional<Page<UnifiedJob>> withField(java.util.Set<JobKind> kinds, String field, java.util.Set<String> values,
                                         PageRequest page);

    /**
     * Gives every job the index keys this version writes with each status change but an older
     * version did not ({@code ?status=} and {@code order_by=-finished} pages miss such a job until
     * then), and the {@link #withField} keys an older version did not write; each status-key write conditional
     * on the job's status still being the one read, so it is safe beside live writers and to run
     * again. Returns how many keys and entries it wrote. The nightly cleanup runs it.
     */
    long repairIndexKeys();

    /** Deletes a job only if it has finished (a running job is never removed under its runner). */
    boolean deleteIfFinished(long id);

    /** Every job of one kind, in id order (housekeeping; an API list uses {@link #walk}). */
    List<UnifiedJob> all(JobKind kind);

    /**
     * Up to {@code budget} jobs of these kinds in id order (newest first if {@code descending}),
     * for listings no key serves: the caller filters them. {@link Walk#complete()} says whether
     * every job of the kinds was read.
     */
    default Walk walk(java.util.Set<JobKind> kinds, boolean descending, int budget) {
        return walk(kinds, descending, budget, j -> true, budget);
    }

    /**
     * As {@link #walk(java.util.Set, boolean, int)}, keeping only the jobs {@code keep} accepts and
     * stopping as soon as {@code enough} are kept (a page of a filter whose count is known
     * otherwise): reads about {@code enough} / (the share of jobs kept) jobs, at most {@code budget}.
     */
    Walk walk(java.util.Set<JobKind> kinds, boolean descending, int budget,
              java.util.function.Predicate<UnifiedJob> keep, int enough);

    /**
     * How many jobs of one kind are in one status: a finished status from its counter, an active
     * one from the active jobs (which the task manager keeps few).
     */
    long count(JobKind kind, JobStatus status);

    /** What {@link #walk} read: the jobs, and whether there were no more. */
    record Walk(List<UnifiedJob> jobs, boolean complete) {
    }

    /** Jobs launched from one template (job template, project, inventory source), newest first. */
    List<UnifiedJob> ofTemplate(long templateId, int limit);

    /**
     * The newest job of each of these templates that has one (a page of templates shows each
     * one's {@code last_job}): a store reads the templates' newest keys together and their jobs
     * in one batch, rather than a read after a read for each.
     */
    default Map<Long, UnifiedJob> newestOfTemplates(java.util.Collection<Long> templateIds) {
        Map<Long, UnifiedJob> out = new java.util.HashMap<>();
        templateIds.stream().distinct().forEach(t -> ofTemplate(t, 1).stream().findFirst().ifPresent(j -> out.put(t, j)));
        return out;
    }

    /**
     * As {@link #newestOfTemplates(java.util.Collection)}, given the jobs the request has read
     * already (those its page showed last time, read beside its token): a store that knows each
     * template's newest id takes the job from here rather than reading it again. What it answers
     * is still each template's newest job now.
     */
    default Map<Long, UnifiedJob> newestOfTemplates(java.util.Collection<Long> templateIds, Map<Long, UnifiedJob> readAhead) {
        return newestOfTemplates(templateIds);
    }

    /**
     * As {@link #newestOfTemplates(java.util.Collection, Map)}, given also the store's own records
     * of some templates' newest job ids read beside the token ({@link JointReads.Found#newest}): a
     * store that keeps them reads only the others'.
     */
    default Map<Long, UnifiedJob> newestOfTemplates(java.util.Collection<Long> templateIds, Map<Long, UnifiedJob> readAhead,
                                                    Map<Long, Long> newestRead) {
        return newestOfTemplates(templateIds, readAhead);
    }

    /**
     * Jobs launched from any of these templates (a restricted user's {@code jobs/}: the templates
     * they may read), paged by id across them, counted from their counters. No template: an empty page.
     */
    Page<UnifiedJob> ofTemplates(java.util.Set<Long> templateIds, PageRequest page);

    /** Jobs launched from one template, paged by id, with a maintained count. */
    Page<UnifiedJob> ofTemplate(long templateId, PageRequest page);

    /**
     * Recounts every counter the store keeps from the jobs themselves and rewrites those that
     * drifted (a writer that died between a job's write and its counter's); returns the counters
     * it corrected, by name, with their right values. The nightly cleanup runs it.
     */
    Map<String, Long> repairCounts();
}
