package dev.towerless.core.scheduling;

import dev.towerless.core.jobs.JobExplanations;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.LeaseStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.RunnerLauncher;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides which pending jobs start now and starts them: pending → waiting (a conditional write,
 * so two managers can never start one job twice), then a runner is launched for each.
 *
 * <p>Only one pass runs at a time (a lease in the store). A wake-up that arrives while a pass
 * runs asks the holder for one more pass rather than being dropped.
 */
public final class TaskManager {
    public static final String LEASE_NAME = "task-manager";
    private static final Logger LOG = Logger.getLogger(TaskManager.class.getName());

    private final JobStore jobs;
    private final ResourceStore resources;
    private final RunnerLauncher launcher;
    private final LeaseStore leases;
    private final Clock clock;
    private final TaskManagerSettings settings;
    private final String holder;

    public TaskManager(JobStore jobs, ResourceStore resources, RunnerLauncher launcher, LeaseStore leases,
                       Clock clock, TaskManagerSettings settings, String holder) {
        this.jobs = jobs;
        this.resources = resources;
        this.launcher = launcher;
        this.leases = leases;
        this.clock = clock;
        this.settings = settings;
        this.holder = holder;
    }

    /** Runs passes until no rerun is requested, or skips if another invocation is running. */
    public PassResult schedule() {
        if (!acquireOrHandOver()) {
            return PassResult.skippedPass();
        }
        PassResult last;
        try {
            do {
                last = runPass();
                if (last.moreRemaining()) {
                    leases.requestRerun(LEASE_NAME);
                }
            } while (!leases.releaseUnlessRerunRequested(LEASE_NAME, holder));
        } catch (RuntimeException e) {
            leases.release(LEASE_NAME, holder);
            throw e;
        }
        return last;
    }

    private boolean acquireOrHandOver() {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (leases.tryAcquire(LEASE_NAME, holder, settings.leaseTtl())) {
                return true;
            }
            if (leases.requestRerun(LEASE_NAME)) {
                return false;
            }
            // The holder released between our two calls: try to take the lease again.
        }
        return false;
    }

    /** One pass over the active jobs, oldest first. Public for deterministic tests. */
    public PassResult runPass() {
        Instant begin = clock.instant();
        Instant deadline = begin.plus(settings.budget());
        List<UnifiedJob> active = jobs.active();
        PassState state = new PassState(active);
        int started = 0;
        int failed = 0;
        int blocked = 0;
        int considered = 0;
        boolean more = false;
        for (UnifiedJob job : active) {
            if (job.status() != JobStatus.PENDING || !job.kind().runsInRunner()) {
                continue;
            }
            if (started >= settings.startLimit() || !clock.instant().isBefore(deadline)) {
                more = true;
                break;
            }
            considered++;
            Optional<UnifiedJob> blocker = state.blockerOf(job);
            if (blocker.isPresent()) {
                blocked++;
                continue;
            }
            Decision decision = prepare(job, state);
            if (decision.failure != null) {
                if (fail(job, decision.failure)) {
                    failed++;
                }
                continue;
            }
            if (start(job, decision.changes)) {
                started++;
                state.markStarted(job);
            }
        }
        return new PassResult(false, considered, started, failed, blocked, more,
                Duration.between(begin, clock.instant()));
    }

    /** What a job needs recorded before it may start, or why it cannot start at all. */
    private Decision prepare(UnifiedJob job, PassState state) {
        if (job.kind() != JobKind.JOB) {
            return Decision.go(Map.of());
        }
        Optional<Resource> project = job.longField(JobFields.PROJECT).flatMap(state::project);
        if (project.isEmpty()) {
            return Decision.fail(JobExplanations.INVALID_PROJECT);
        }
        Optional<String> revision = project.get().string(JobFields.SCM_REVISION);
        if (revision.isEmpty()) {
            Optional<UnifiedJob> lastUpdate = project.get().reference("last_update").flatMap(jobs::find);
            return Decision.fail(lastUpdate.filter(u -> u.status().countsAsFailed())
                    .map(JobExplanations::previousTaskFailed)
                    .orElse(JobExplanations.MISSING_REVISION));
        }
        return Decision.go(Map.of(JobFields.SCM_REVISION, revision.get()));
    }

    private boolean start(UnifiedJob job, Map<String, Object> changes) {
        Instant now = clock.instant();
        Map<String, Object> toWaiting = JobTransitions.changesFor(job, JobStatus.WAITING, now, changes);
        Optional<UnifiedJob> waiting = jobs.updateIfStatus(job.id(), JobStatus.PENDING, toWaiting);
        if (waiting.isEmpty()) {
            return false; // canceled meanwhile, or another manager started it
        }
        try {
            String runner = launcher.launch(job.id());
            LOG.fine(() -> job + " started on " + runner);
            // For operators and the reaper: which task runs the job. The runner may have claimed it already.
            jobs.updateIfActive(job.id(), Map.of(JobFields.RUNNER_TASK, runner));
            return true;
        } catch (RunnerLauncher.LaunchException e) {
            LOG.log(Level.WARNING, "could not launch a runner for " + job, e);
            Map<String, Object> toError = JobTransitions.changesFor(waiting.get(), JobStatus.ERROR, clock.instant(),
                    Map.of(JobFields.JOB_EXPLANATION, JobExplanations.launchFailed(e.getMessage())));
            jobs.updateIfStatus(job.id(), JobStatus.WAITING, toError);
            return false;
        }
    }

    private boolean fail(UnifiedJob job, String explanation) {
        Map<String, Object> changes = JobTransitions.changesFor(job, JobStatus.FAILED, clock.instant(),
                Map.of(JobFields.JOB_EXPLANATION, explanation));
        return jobs.updateIfStatus(job.id(), JobStatus.PENDING, changes).isPresent();
    }

    private record Decision(Map<String, Object> changes, String failure) {
        static Decision go(Map<String, Object> changes) {
            return new Decision(changes, null);
        }

        static Decision fail(String explanation) {
            return new Decision(Map.of(), explanation);
        }
    }

    /** What the pass knows: which projects and templates are busy, and resources read so far. */
    private final class PassState {
        private final Map<Long, UnifiedJob> activeUpdateOfProject = new HashMap<>();
        private final Set<Long> templatesInUse = new HashSet<>();
        private final Map<Long, Optional<Resource>> projects = new HashMap<>();

        PassState(List<UnifiedJob> active) {
            for (UnifiedJob j : active) {
                if (j.kind() == JobKind.PROJECT_UPDATE) {
                    j.longField(JobFields.PROJECT).ifPresent(p -> activeUpdateOfProject.putIfAbsent(p, j));
                } else if (j.status() == JobStatus.WAITING || j.status() == JobStatus.RUNNING) {
                    j.longField(JobFields.UNIFIED_JOB_TEMPLATE).ifPresent(templatesInUse::add);
                }
            }
        }

        /** AWX's blocking rules that this pass knows: a job waits for its project's update,
         *  one job per template unless allow_simultaneous, one update per project at a time. */
        Optional<UnifiedJob> blockerOf(UnifiedJob job) {
            Optional<Long> project = job.longField(JobFields.PROJECT);
            if (job.kind() == JobKind.JOB) {
                Optional<UnifiedJob> update = project.map(activeUpdateOfProject::get);
                if (update.isPresent()) {
                    return update;
                }
                boolean simultaneous = Boolean.TRUE.equals(job.get(JobFields.ALLOW_SIMULTANEOUS));
                Optional<Long> template = job.longField(JobFields.UNIFIED_JOB_TEMPLATE);
                if (!simultaneous && template.isPresent() && templatesInUse.contains(template.get())) {
                    return Optional.of(job); // blocked by a sibling; the pass only counts it
                }
            }
            if (job.kind() == JobKind.PROJECT_UPDATE && project.isPresent()) {
                UnifiedJob first = activeUpdateOfProject.get(project.get());
                if (first != null && first.id() != job.id()) {
                    return Optional.of(first);
                }
            }
            return Optional.empty();
        }

        void markStarted(UnifiedJob job) {
            job.longField(JobFields.UNIFIED_JOB_TEMPLATE).ifPresent(templatesInUse::add);
        }

        Optional<Resource> project(long id) {
            return projects.computeIfAbsent(id, k -> resources.get(ResourceTypes.PROJECT, k));
        }
    }
}
