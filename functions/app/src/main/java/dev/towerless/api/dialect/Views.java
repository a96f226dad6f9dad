package dev.towerless.api.dialect;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.core.access.Access;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import io.micronaut.http.HttpRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one request renders with: the caller's {@link Access} (for user_capabilities and what may be
 * shown), and a memo of looked-up objects shared with the access rules, so a page that mentions the
 * same organization 25 times reads it once.
 */
public final class Views {
    private final ApiContext ctx;
    private final Access access;
    private final Map<Long, Optional<UnifiedJob>> lastJobs = new HashMap<>();
    private List<UnifiedJob> active;
    private Map<Long, List<Resource>> schedulesByTemplate;
    private java.util.concurrent.CompletableFuture<List<Resource>> schedulesRead;
    private final Map<Long, Optional<Resource>> unifiedJobTemplates = new HashMap<>();
    /** Set for a GET: what this request prefetches becomes the hint for the same user's next GET of its URL. */
    private PrefetchHints.Recorder hint;

    public Views(ApiContext ctx, Access access) {
        this.ctx = ctx;
        this.access = access;
    }

    public static Views of(ApiContext ctx, HttpRequest<?> request) {
        Views views = new Views(ctx, AuthFilter.access(request));
        views.hint = AuthFilter.hintRecorder(request).orElse(null);
        return views;
    }

    public Access access() {
        return access;
    }

    public Optional<Resource> resource(String type, long id) {
        return access.lookup().find(type, id);
    }

    /** Reads these objects together now, so rendering a page finds each one read ({@link dev.towerless.core.access.ResourceLookup#prefetch}). */
    public void prefetch(Map<String, ? extends java.util.Collection<Long>> idsByType) {
        if (hint != null) {
            hint.record(idsByType);
        }
        access.lookup().prefetch(idsByType);
    }

    /**
     * This page of jobs, to be served with the jobs this request read already (beside its token, at
     * its hint): the store reads only the others ({@link dev.towerless.core.ports.PageRequest#readAhead}).
     */
    public dev.towerless.core.ports.PageRequest readingAhead(dev.towerless.core.ports.PageRequest page) {
        return page.withReadAhead(access.lookup().jobsRead());
    }

    /** Records the jobs a page shows, so that its next poll reads them beside its token. */
    public void showing(java.util.Collection<UnifiedJob> jobs) {
        if (hint != null) {
            hint.recordJobs(jobs.stream().map(UnifiedJob::id).toList());
        }
    }

    public Optional<UnifiedJob> job(long id) {
        return access.lookup().job(id);
    }

    /** The active jobs, read once per request however many groups or runners are rendered. */
    public List<UnifiedJob> activeJobs() {
        if (active == null) {
            active = ctx.jobs().activeShown(); // an instance group's consumed capacity: shown, never decided on
        }
        return active;
    }

    /** The newest job of a template, read once per request. */
    public Optional<UnifiedJob> lastJobOf(long templateId) {
        if (!lastJobs.containsKey(templateId)) {
            prefetchLastJobs(List.of(templateId));
        }
        return lastJobs.get(templateId);
    }

    /**
     * The newest job of each of these templates, read together ({@link dev.towerless.core.ports.JobStore#newestOfTemplates}:
     * each template's pointer to its newest job in one batch, the jobs in another) rather than
     * one template after another (a page of 20 job templates asked for 20 newest jobs in turn:
     * most of the page's time); {@link #lastJobOf} then finds them read. The templates and the
     * jobs shown are recorded in the hint, so the next poll of the page reads the pointers and
     * the jobs beside its token, and the store reads only a job launched since.
     */
    public void prefetchLastJobs(java.util.Collection<Long> templateIds) {
        List<Long> wanted = templateIds.stream().distinct().filter(t -> !lastJobs.containsKey(t)).toList();
        if (wanted.isEmpty()) {
            return;
        }
        Map<Long, UnifiedJob> newest = ctx.jobs().newestOfTemplates(wanted, access.lookup().jobsRead(), access.lookup().newestRead());
        wanted.forEach(t -> lastJobs.put(t, Optional.ofNullable(newest.get(t))));
        if (hint != null) {
            hint.recordTemplates(wanted); // the next poll reads their newest-job records with its token
        }
        showing(newest.values());
    }

    /**
     * Starts reading every schedule (what {@link #nextScheduleOf} needs) in another thread, so a
     * page of templates reads them beside its references and last jobs rather than after them.
     * Schedules are few beside the job history, and this is one Query however many a page shows.
     */
    public void prefetchSchedules() {
        if (schedulesRead == null) {
            schedulesRead = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> ctx.resources().all(dev.towerless.core.resources.ResourceTypes.SCHEDULE), SCHEDULE_READS);
        }
    }

    /** Reads started by {@link #prefetchSchedules}; a full pool runs the read in the caller's thread. */
    private static final java.util.concurrent.ExecutorService SCHEDULE_READS = dev.towerless.core.concurrency.SideReads.pool("schedule-read-ahead", 16);

    /** A template's enabled schedule that runs next, if any; every schedule is read once per request. */
    public Optional<Resource> nextScheduleOf(long templateId) {
        if (schedulesByTemplate == null) {
            prefetchSchedules();
            List<Resource> all;
            try {
                all = schedulesRead.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            schedulesByTemplate = new HashMap<>();
            for (Resource s : all) {
                s.reference("unified_job_template").ifPresent(t ->
                        schedulesByTemplate.computeIfAbsent(t, k -> new java.util.ArrayList<>()).add(s));
            }
        }
        // AWX picks the furthest-out run here (an old quirk); the soonest is what the field promises.
        return schedulesByTemplate.getOrDefault(templateId, List.of()).stream()
                .filter(s -> s.flag("enabled") && s.string("next_run").isPresent())
                .min(java.util.Comparator.comparing((Resource s) -> s.string("next_run").orElseThrow()));
    }

    /** A unified job template by id, whatever its type, read once per request. */
    public Optional<Resource> unifiedJobTemplate(long id) {
        return unifiedJobTemplates.computeIfAbsent(id, k -> dev.towerless.core.access.UnifiedJobTemplateAccess.find(access, k));
    }

    /**
     * A notification template's newest notifications, newest first, at most {@code limit}: read from
     * the template's part of the parent index, not from every notification ever sent.
     */
    public List<Resource> newestNotificationsOf(long template, int limit) {
        return ctx.resources().newestWhere(dev.towerless.core.resources.ResourceTypes.NOTIFICATION, "notification_template",
                template, limit);
    }

    public Optional<Map<String, Object>> summary(String type, long id) {
        return resource(type, id).map(r -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", r.id());
            s.put("name", r.name());
            s.put("description", r.fields().getOrDefault("description", ""));
            if ("credential".equals(type)) {
                s.put("kind", r.fields().getOrDefault("kind", ""));
                s.put("credential_type_id", r.get("credential_type"));
            }
            if ("inventory".equals(type)) {
                // AWX's SUMMARIZABLE_FK_FIELDS['inventory']: the computed fields as stored, the organization, the kind.
                dev.towerless.core.inventory.InventoryComputedFields.stored(r).ifPresent(s::putAll);
                s.put("organization_id", r.get("organization"));
                s.put("kind", r.fields().getOrDefault("kind", ""));
            }
            return s;
        });
    }

    public static Map<String, Object> jobSummary(UnifiedJob j) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", j.id());
        s.put("name", j.name());
        s.put("description", j.fields().getOrDefault("description", ""));
        s.put("status", j.status().apiName());
        s.put("failed", j.failed());
        s.put("finished", j.get("finished"));
        s.put("elapsed", j.elapsed());
        s.put("type", j.kind().type());
        return s;
    }
}
