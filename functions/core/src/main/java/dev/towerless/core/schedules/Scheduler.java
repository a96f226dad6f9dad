package dev.towerless.core.schedules;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchPrompts;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.launch.WakeMessage;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.Topic;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import dev.towerless.core.scheduling.Parallel;
import dev.towerless.core.workflows.WorkflowManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Launches users' schedules when they are due (AWX's {@code awx_periodic_scheduler}), once per
 * tick. Each due occurrence is claimed with one conditional write that moves {@code next_run}
 * on, so two passes never launch it twice; after an outage a schedule fires once, late, then
 * keeps its rhythm, as in AWX.
 *
 * <p>The claim also records the occurrence as {@code launching} until the job exists. A pass
 * that dies in between leaves that mark behind; a later pass sees it, looks for the job (jobs
 * carry {@code scheduled_for}) and launches only if it is missing, so a crash loses no run.
 */
public final class Scheduler {
    /** AWX's SCHEDULE_MAX_JOBS: a template with this many jobs waiting or running skips the occurrence. */
    public static final int SCHEDULE_MAX_JOBS = 10;
    /**
     * A {@code launching} mark older than this was left by a pass that died: the scheduler
     * function's timeout is 60 s, so no live pass is that old.
     */
    static final Duration RECOVER_AFTER = Duration.ofSeconds(90);
    public static final String NOT_STARTED =
            "Scheduled job could not start because it was not in the right state or required manual credentials";
    private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

    private final ResourceStore resources;
    private final JobStore jobs;
    private final LaunchService launches;
    private final Topic lifecycle;
    private final Clock clock;
    private final int parallelism;
    private final WorkflowManager workflows;

    public Scheduler(ResourceStore resources, JobStore jobs, LaunchService launches, WorkflowManager workflows,
                     Topic lifecycle, Clock clock) {
        this(resources, jobs, launches, workflows, lifecycle, clock, 8);
    }

    /** {@code parallelism}: how many due occurrences are launched at once (1: in order). */
    public Scheduler(ResourceStore resources, JobStore jobs, LaunchService launches, WorkflowManager workflows,
                     Topic lifecycle, Clock clock, int parallelism) {
        this.parallelism = parallelism;
        this.workflows = workflows;
        this.resources = resources;
        this.jobs = jobs;
        this.launches = launches;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /** What one pass did, for logs and tests: runs launched, occurrences AWX's rules skipped, dead passes' runs recovered. */
    public record Result(int launched, int skipped, int recovered) {
    }

    public Result runPass() {
        Instant now = clock.instant();
        int recovered = 0;
        List<Resource> due = new ArrayList<>();
        for (Resource schedule : resources.all(ResourceTypes.SCHEDULE)) {
            Mark mark = recoverIfLeftBehind(schedule, now);
            if (mark == Mark.RECOVERED) {
                recovered++;
            }
            if (mark == Mark.TOO_RECENT) {
                continue; // a claimed run may still be launching: claiming the next would overwrite its mark
            }
            Optional<String> next = schedule.string("next_run");
            if (schedule.flag("enabled") && next.isPresent() && !Instant.parse(next.get()).isAfter(now)) {
                due.add(schedule);
            }
        }
        if (due.isEmpty()) {
            return new Result(0, 0, recovered);
        }
        Map<Long, Long> activeByTemplate = new ConcurrentHashMap<>(activeJobsByTemplate());
        // Occurrences are independent (each claim is its own conditional write): launch them side by side.
        List<Fired> fired = Parallel.map(due, parallelism, s -> fire(s, now, activeByTemplate));
        return new Result((int) fired.stream().filter(f -> f == Fired.LAUNCHED).count(),
                (int) fired.stream().filter(f -> f == Fired.SKIPPED).count(), recovered);
    }

    private enum Fired { LAUNCHED, SKIPPED, TAKEN_BY_ANOTHER_PASS }

    /** Claims and launches one due occurrence. */
    private Fired fire(Resource schedule, Instant now, Map<Long, Long> activeByTemplate) {
        String occurrence = schedule.string("next_run").orElseThrow();
        if (claim(schedule, occurrence, now).isEmpty()) {
            return Fired.TAKEN_BY_ANOTHER_PASS;
        }
        boolean launched = launch(schedule, occurrence, activeByTemplate);
        resources.updateIf(ResourceTypes.SCHEDULE, schedule.id(), "launching", occurrence,
                mapOf("launching", null, "launching_since", null));
        return launched ? Fired.LAUNCHED : Fired.SKIPPED;
    }

    /** Moves {@code next_run} past now (one conditional write) and marks the occurrence as launching. */
    private Optional<Resource> claim(Resource schedule, String occurrence, Instant now) {
        Optional<Instant> following;
        try {
            following = Recurrence.parse(schedule.string("rrule").orElse("")).nextAfter(now);
        } catch (Recurrence.InvalidRecurrenceException e) {
            LOG.warning(() -> "schedule " + schedule.id() + " has an unreadable rrule; disabling it: " + e.getMessage());
            following = Optional.empty();
        }
        return resources.updateIf(ResourceTypes.SCHEDULE, schedule.id(), "next_run", occurrence,
                mapOf("next_run", following.map(Instant::toString).orElse(null),
                        "launching", occurrence, "launching_since", Timestamps.format(now)));
    }

    /** What a schedule's {@code launching} mark says: none, maybe still in progress, or left by a dead pass. */
    private enum Mark { NONE, TOO_RECENT, CLEARED, RECOVERED }

    private Mark recoverIfLeftBehind(Resource schedule, Instant now) {
        Optional<String> occurrence = schedule.string("launching");
        Optional<String> since = schedule.string("launching_since");
        if (occurrence.isEmpty() || since.isEmpty()) {
            return Mark.NONE;
        }
        if (Timestamps.parse(since.get()).plus(RECOVER_AFTER).isAfter(now)) {
            return Mark.TOO_RECENT;
        }
        // Take the mark first: of two passes recovering at once, only one goes on.
        if (resources.updateIf(ResourceTypes.SCHEDULE, schedule.id(), "launching", occurrence.get(),
                mapOf("launching", null, "launching_since", null)).isEmpty()) {
            return Mark.TOO_RECENT;
        }
        long template = schedule.reference("unified_job_template").orElse(-1L);
        boolean exists = jobs.ofTemplate(template, 50).stream().anyMatch(j ->
                j.longField(JobFields.SCHEDULE).orElse(-1L) == schedule.id()
                        && occurrence.get().equals(j.get(JobFields.SCHEDULED_FOR)));
        if (exists) {
            return Mark.CLEARED;
        }
        LOG.warning(() -> "schedule " + schedule.id() + ": the run for " + occurrence.get() + " was claimed but never "
                + "launched (the pass died); launching it now");
        launch(schedule, occurrence.get(), activeJobsByTemplate());
        return Mark.RECOVERED;
    }

    /** Launches the schedule's template for one occurrence; false if AWX's rules skip it. */
    private boolean launch(Resource schedule, String occurrence, Map<Long, Long> activeByTemplate) {
        Optional<Resource> template = unifiedJobTemplate(schedule);
        if (template.isEmpty()) {
            // AWX deletes a template's schedules with it; here the schedule goes when it next comes due.
            LOG.info(() -> "schedule " + schedule.id() + " belonged to a deleted template; deleting it");
            resources.delete(ResourceTypes.SCHEDULE, schedule.id());
            return false;
        }
        Resource t = template.get();
        Origin origin = Origin.schedule(schedule, occurrence);
        try {
            switch (t.type()) {
                case ResourceTypes.JOB_TEMPLATE -> {
                    // Reserve a place among the template's jobs first: passes launch side by side.
                    if (activeByTemplate.merge(t.id(), 1L, Long::sum) > SCHEDULE_MAX_JOBS) {
                        activeByTemplate.merge(t.id(), -1L, Long::sum);
                        LOG.warning(() -> "schedule " + schedule.id() + ": " + t.name() + " could not be started because there "
                                + "are more than " + SCHEDULE_MAX_JOBS + " other jobs from that template waiting to run");
                        return false;
                    }
                    LaunchPrompts prompts = prompts(schedule);
                    List<String> missing = launches.resourcesNeededToStart(t, prompts);
                    if (!missing.isEmpty()) {
                        refuse(t, JobKind.JOB, origin, NOT_STARTED + ": " + String.join(" ", missing));
                        return true;
                    }
                    launches.launchJobTemplate(t, prompts, origin);
                }
                case ResourceTypes.PROJECT -> {
                    if (withinCacheTimeout(t, "scm_update_cache_timeout")) {
                        return false;
                    }
                    launches.updateProject(t, origin);
                }
                case ResourceTypes.INVENTORY_SOURCE -> {
                    if (withinCacheTimeout(t, "update_cache_timeout")) {
                        return false;
                    }
                    launches.updateInventorySource(t, origin);
                }
                case ResourceTypes.SYSTEM_JOB_TEMPLATE -> launches.launchSystemJob(t, extraData(schedule), origin);
                case ResourceTypes.WORKFLOW_JOB_TEMPLATE -> {
                    long active = activeByTemplate.getOrDefault(t.id(), 0L);
                    if (active >= SCHEDULE_MAX_JOBS) {
                        return false;
                    }
                    workflows.launch(t, extraData(schedule), schedule.string("limit").orElse(null),
                            schedule.reference("inventory").orElse(null), origin);
                }
                default -> {
                    return false;
                }
            }
            return true;
        } catch (ValidationException | IllegalArgumentException e) {
            // e.g. a required survey answer the schedule does not give
            LOG.log(Level.WARNING, "schedule " + schedule.id() + " could not launch " + t.name(), e);
            refuse(t, JobKind.JOB, origin, NOT_STARTED + ": " + e.getMessage());
            return true;
        }
    }

    private void refuse(Resource template, JobKind kind, Origin origin, String explanation) {
        UnifiedJob failed = launches.refused(template, kind, origin, explanation);
        lifecycle.publish(WakeMessage.jobFinished(failed.id(), JobStatus.FAILED.apiName()));
    }

    /** A project or source updated successfully within its cache timeout needs no scheduled update (AWX). */
    private boolean withinCacheTimeout(Resource template, String timeoutField) {
        long timeout = template.reference(timeoutField).orElse(0L);
        if (timeout <= 0) {
            return false;
        }
        Optional<UnifiedJob> last = template.reference("last_update").flatMap(jobs::find);
        return last.filter(u -> u.status() == JobStatus.SUCCESSFUL).flatMap(UnifiedJob::finished)
                .map(f -> f.plusSeconds(timeout).isAfter(clock.instant())).orElse(false);
    }

    private Map<Long, Long> activeJobsByTemplate() {
        Map<Long, Long> counts = new HashMap<>();
        for (UnifiedJob j : jobs.active()) {
            j.longField(JobFields.UNIFIED_JOB_TEMPLATE).ifPresent(t -> counts.merge(t, 1L, Long::sum));
        }
        return counts;
    }

    private Optional<Resource> unifiedJobTemplate(Resource schedule) {
        return schedule.reference("unified_job_template")
                .flatMap(id -> dev.towerless.core.resources.UnifiedJobTemplates.find(resources, id));
    }

    /** The schedule's prompts: the template's ask_* rules were checked when the schedule was saved. */
    static LaunchPrompts prompts(Resource schedule) {
        Map<String, Object> extra = extraData(schedule);
        return new LaunchPrompts(extra.isEmpty() ? null : extra, schedule.string("limit").orElse(null),
                schedule.string("job_type").orElse(null), schedule.reference("verbosity").orElse(null),
                schedule.reference("forks").orElse(null), schedule.reference("inventory").orElse(null),
                schedule.references("credentials").isEmpty() ? null : schedule.references("credentials"))
                .withMore(LaunchPrompts.moreFrom(schedule.fields()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> extraData(Resource schedule) {
        return schedule.get("extra_data") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
