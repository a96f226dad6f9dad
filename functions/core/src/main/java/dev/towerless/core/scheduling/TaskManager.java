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
import dev.towerless.core.ports.Topic;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides which pending jobs start now and starts them (AWX's dependency manager and task manager
 * in one pass): update-on-launch dependencies, AWX's blocking rules, instance-group capacity,
 * oldest first, at most {@code startLimit} starts. Starting is pending → waiting, a conditional
 * write, so two managers can never start one job twice; then a runner is launched.
 *
 * <p>Only one pass runs at a time (a lease in the store). A wake-up that arrives while a pass
 * runs asks the holder for one more pass rather than being dropped.
 */
public final class TaskManager {
    public static final String LEASE_NAME = "task-manager";
    /** The instance group every installation has (created at bootstrap, id 1 as in AWX). */
    public static final long DEFAULT_INSTANCE_GROUP = 1;
    /** AWX explains why a job is pending only after it has waited this long. */
    static final Duration EXPLAIN_AFTER = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(TaskManager.class.getName());
    /** Log phrases the stack's metric filters count (infra-cdk Monitoring): keep them stable. */
    public static final String LAUNCH_FAILED = "could not launch a runner";
    public static final String LAUNCH_UNCONFIRMED = "runner launch unconfirmed";
    /**
     * A job ECS keeps turning away (each pass's first turned-away launch counts one) ends in error
     * after this many, so a refusal misread as "for now" cannot keep it pending for ever.
     */
    static final int MAX_LAUNCH_ATTEMPTS = 100;

    private final JobStore jobs;
    private final ResourceStore resources;
    private final RunnerLauncher launcher;
    private final LeaseStore leases;
    private final Clock clock;
    private final TaskManagerSettings settings;
    private final java.util.function.Supplier<String> holders;
    private final DependencyManager dependencies;
    private final PassStep workflows;
    /** Jobs the manager ends itself (a failed dependency, a runner that could not launch) are announced here. */
    private final Topic lifecycle;

    public TaskManager(JobStore jobs, ResourceStore resources, RunnerLauncher launcher, LeaseStore leases, Topic lifecycle,
                       Clock clock, TaskManagerSettings settings, String holder) {
        this(jobs, resources, launcher, leases, lifecycle, clock, settings, () -> holder);
    }

    /**
     * {@code holders} names the lease holder of each {@link #schedule()}: a fresh name per call,
     * so that Lambda containers restored from one SnapStart snapshot never share one.
     */
    public TaskManager(JobStore jobs, ResourceStore resources, RunnerLauncher launcher, LeaseStore leases, Topic lifecycle,
                       Clock clock, TaskManagerSettings settings, java.util.function.Supplier<String> holders) {
        this(jobs, resources, launcher, leases, lifecycle, clock, settings, holders, PassStep.NONE);
    }

    /** {@code workflows} runs at the end of every pass over its active jobs (the workflow manager). */
    public TaskManager(JobStore jobs, ResourceStore resources, RunnerLauncher launcher, LeaseStore leases, Topic lifecycle,
                       Clock clock, TaskManagerSettings settings, java.util.function.Supplier<String> holders,
                       PassStep workflows) {
        this.workflows = workflows;
        this.lifecycle = lifecycle;
        this.jobs = jobs;
        this.resources = resources;
        this.launcher = launcher;
        this.leases = leases;
        this.clock = clock;
        this.settings = settings;
        this.holders = holders;
        this.dependencies = new DependencyManager(jobs, resources, clock, settings.parallelism());
    }

    /** Runs passes until no rerun is requested, or skips if another invocation is running. */
    public PassResult schedule() {
        String holder = holders.get();
        if (!acquireOrHandOver(holder)) {
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

    private boolean acquireOrHandOver(String holder) {
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
        long t0 = System.nanoTime();
        Pass pass = new Pass(jobs.active());
        long t1 = System.nanoTime();
        int failed = 0;
        int blocked = 0;
        int considered = 0;
        boolean more = false;
        for (UnifiedJob job : pass.pending) {
            if (pass.toStart.size() >= settings.startLimit() || !clock.instant().isBefore(deadline)) {
                more = true;
                break;
            }
            considered++;
            switch (decide(job, pass)) {
                case ENDED -> failed++;
                case WAITS -> blocked++;
                case TO_START, LOST_RACE -> { }
            }
        }
        long t2 = System.nanoTime();
        int started = Parallel.count(pass.toStart, settings.parallelism(), s -> start(s.job(), s.changes(), pass));
        // Workflows advance under the same lease; the jobs they spawn wake the next pass.
        workflows.run(pass.active);
        long t3 = System.nanoTime();
        return new PassResult(false, considered, started, failed, blocked, pass.deferred.get(), more,
                Duration.between(begin, clock.instant()),
                new PassResult.Phases(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Duration.ofNanos(t3 - t2)));
    }

    private enum Outcome { TO_START, ENDED, WAITS, LOST_RACE }

    private record Start(UnifiedJob job, Map<String, Object> changes) {
    }

    private Outcome decide(UnifiedJob job, Pass pass) {
        Resource project = job.longField(JobFields.PROJECT).map(pass.projects::get).orElse(null);
        for (Resource target : pass.dependencyTargetsOf(job, project)) {
            if (DependencyManager.unprocessed(job, target)) {
                return Outcome.WAITS; // its dependencies are decided by a later pass
            }
            Optional<UnifiedJob> dependency = unfinishedOrFailedDependency(job, target, pass);
            if (dependency.isPresent()) {
                UnifiedJob d = dependency.get();
                if (d.status().isActive()) {
                    explainIfOld(job, JobExplanations.blockedBy(d), pass);
                    return Outcome.WAITS;
                }
                return end(job, d) ? Outcome.ENDED : Outcome.LOST_RACE;
            }
        }
        Optional<UnifiedJob> blocker = pass.blocking.blockerOf(job);
        if (blocker.isPresent()) {
            explainIfOld(job, JobExplanations.blockedBy(blocker.get()), pass);
            return Outcome.WAITS;
        }
        Map<String, Object> changes = new HashMap<>();
        if (job.kind() == JobKind.JOB) {
            Optional<String> failure = recordRevision(project, changes);
            if (failure.isPresent()) {
                return fail(job, failure.get()) ? Outcome.ENDED : Outcome.LOST_RACE;
            }
        }
        Optional<Long> group = pass.capacity.place(job);
        if (group.isEmpty()) {
            explainIfOld(job, JobExplanations.NOT_ENOUGH_CAPACITY, pass);
            return Outcome.WAITS;
        }
        changes.put(JobFields.INSTANCE_GROUP, group.get());
        if (!job.jobExplanation().isEmpty()) {
            changes.put(JobFields.JOB_EXPLANATION, ""); // a job that starts no longer waits for anything
        }
        // Decided now, started after the loop (in parallel): what it holds counts for the jobs after it.
        pass.toStart.add(new Start(job, changes));
        pass.blocking.hold(job.with(changes));
        pass.capacity.consume(group.get(), Capacity.impact(job));
        return Outcome.TO_START;
    }

    /** The first of the job's own dependencies that has not succeeded, if any. */
    private Optional<UnifiedJob> unfinishedOrFailedDependency(UnifiedJob job, Resource target, Pass pass) {
        for (long id : DependencyManager.dependenciesOf(job, target)) {
            UnifiedJob d = pass.known.computeIfAbsent(id, k -> jobs.find(k).orElse(null));
            if (d != null && d.status() != JobStatus.SUCCESSFUL) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** A dependency that failed fails the job; one that was canceled cancels it (AWX's chained cancel). */
    private boolean end(UnifiedJob job, UnifiedJob dependency) {
        boolean canceled = dependency.status() == JobStatus.CANCELED;
        JobStatus to = canceled ? JobStatus.CANCELED : JobStatus.FAILED;
        String why = canceled ? JobExplanations.previousTaskCanceled(dependency) : JobExplanations.previousTaskFailed(dependency);
        return announced(jobs.updateIfStatus(job.id(), JobStatus.PENDING, JobTransitions.changesFor(job, to, clock.instant(),
                Map.of(JobFields.JOB_EXPLANATION, why))));
    }

    /**
     * AWX writes why a job is pending only once it has waited 30 s, so jobs that start within
     * seconds cost no writes; and only when the reason changed.
     */
    private void explainIfOld(UnifiedJob job, String why, Pass pass) {
        // Timestamps are fixed-width ISO strings: comparing them as text avoids parsing every job's.
        if (((String) job.get(JobFields.CREATED)).compareTo(pass.explainIfCreatedBefore) < 0 && !why.equals(job.jobExplanation())) {
            jobs.updateIfStatus(job.id(), JobStatus.PENDING, Map.of(JobFields.JOB_EXPLANATION, why));
        }
    }

    /** A playbook job runs the project's recorded revision; without one it cannot start. */
    private Optional<String> recordRevision(Resource project, Map<String, Object> changes) {
        if (project == null) {
            return Optional.of(JobExplanations.INVALID_PROJECT);
        }
        Optional<String> revision = project.string(JobFields.SCM_REVISION);
        if (revision.isPresent()) {
            changes.put(JobFields.SCM_REVISION, revision.get());
            return Optional.empty();
        }
        Optional<UnifiedJob> lastUpdate = project.reference("last_update").flatMap(jobs::find);
        return Optional.of(lastUpdate.filter(u -> u.status().countsAsFailed())
                .map(JobExplanations::previousTaskFailed)
                .orElse(JobExplanations.MISSING_REVISION));
    }

    private boolean start(UnifiedJob job, Map<String, Object> changes, Pass pass) {
        if (pass.launchTurnedAway) {
            // ECS turned a launch of this pass away (throttled, no capacity): asking again at once would be
            // turned away too, so the rest stay pending, in their order, for the next pass.
            pass.deferred.incrementAndGet();
            return false;
        }
        Instant now = clock.instant();
        Map<String, Object> toWaiting = JobTransitions.changesFor(job, JobStatus.WAITING, now, changes);
        Optional<UnifiedJob> waiting = jobs.updateIfStatus(job.id(), JobStatus.PENDING, toWaiting);
        if (waiting.isEmpty()) {
            return false; // canceled meanwhile, or another manager started it
        }
        try {
            String runner = launcher.launch(job.id());
            // The runner records its own task id when it claims the job: no second write here.
            LOG.fine(() -> job + " started on " + runner);
            return true;
        } catch (RunnerLauncher.PreStartFailed e) {
            // AWX's task manager: "<why>. Task failed pre-start check.", and the job is failed.
            Map<String, Object> toFailed = JobTransitions.changesFor(waiting.get(), JobStatus.FAILED, clock.instant(),
                    Map.of(JobFields.JOB_EXPLANATION, e.getMessage() + " Task failed pre-start check."));
            announced(jobs.updateIfStatus(job.id(), JobStatus.WAITING, toFailed));
            return false;
        } catch (RunnerLauncher.LaunchException e) {
            return switch (e.outcome()) {
                case RETRY_LATER -> {
                    pass.launchTurnedAway = true;
                    long attempts = waiting.get().longField(JobFields.LAUNCH_ATTEMPTS).orElse(0L) + 1;
                    if (attempts >= MAX_LAUNCH_ATTEMPTS) {
                        LOG.log(Level.WARNING, LAUNCH_FAILED + " for " + job + " after " + attempts + " attempts", e);
                        Map<String, Object> toError = JobTransitions.changesFor(waiting.get(), JobStatus.ERROR, clock.instant(),
                                Map.of(JobFields.JOB_EXPLANATION, JobExplanations.launchFailed(
                                        "turned away " + attempts + " times, last: " + e.getMessage())));
                        announced(jobs.updateIfStatus(job.id(), JobStatus.WAITING, toError));
                        yield false;
                    }
                    pass.deferred.incrementAndGet();
                    LOG.info(() -> "launch of " + job + " turned away for now, back to pending: " + e.getMessage());
                    backToPending(waiting.get(), e.getMessage());
                    yield false;
                }
                case UNKNOWN -> {
                    // Waiting it stays: a runner that did start claims it; otherwise the reaper ends it, explained.
                    LOG.log(Level.WARNING, LAUNCH_UNCONFIRMED + " for " + job + "; it stays waiting", e);
                    yield true;
                }
                case FAILED -> {
                    LOG.log(Level.WARNING, LAUNCH_FAILED + " for " + job, e);
                    Map<String, Object> toError = JobTransitions.changesFor(waiting.get(), JobStatus.ERROR, clock.instant(),
                            Map.of(JobFields.JOB_EXPLANATION, JobExplanations.launchFailed(e.getMessage())));
                    announced(jobs.updateIfStatus(job.id(), JobStatus.WAITING, toError));
                    yield false;
                }
            };
        }
    }

    /**
     * Waiting → pending, one conditional write: the job keeps its place (oldest first), says why it
     * has not started, drops the bundle sealed for this launch (the next one seals its own) and
     * counts the attempt, so the next launch is a new request to ECS rather than a repeat of this one.
     */
    private void backToPending(UnifiedJob waiting, String reason) {
        Map<String, Object> extra = new HashMap<>();
        extra.put(JobFields.JOB_EXPLANATION, JobExplanations.launchDeferred(reason));
        extra.put(JobFields.LAUNCH_ATTEMPTS, waiting.longField(JobFields.LAUNCH_ATTEMPTS).orElse(0L) + 1);
        extra.put(JobFields.RUN_SECRETS, null);
        jobs.updateIfStatus(waiting.id(), JobStatus.WAITING, JobTransitions.changesFor(waiting, JobStatus.PENDING, clock.instant(), extra));
    }

    private boolean fail(UnifiedJob job, String explanation) {
        Map<String, Object> changes = JobTransitions.changesFor(job, JobStatus.FAILED, clock.instant(),
                Map.of(JobFields.JOB_EXPLANATION, explanation));
        return announced(jobs.updateIfStatus(job.id(), JobStatus.PENDING, changes));
    }

    /** Publishes that a job the manager ended has finished (its error notifications follow). */
    /** More work done in a pass over the active jobs it loaded (AWX's workflow manager runs here). */
    @FunctionalInterface
    public interface PassStep {
        PassStep NONE = active -> { };

        void run(List<UnifiedJob> active);
    }

    private boolean announced(Optional<UnifiedJob> ended) {
        ended.ifPresent(j -> {
            try {
                lifecycle.publish(dev.towerless.core.launch.WakeMessage.jobFinished(j.id(), j.status().apiName()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not announce that " + j + " ended", e);
            }
        });
        return ended.isPresent();
    }

    /**
     * What one pass reads up front, so deciding each job costs no store round trip: the active
     * jobs (one query), their projects (one batch read), the instance groups (one query).
     */
    private final class Pass {
        final List<UnifiedJob> pending;
        /** Every active job the pass loaded, plus the updates it created. */
        final List<UnifiedJob> active;
        final Map<Long, Resource> projects;
        final Map<Long, Resource> sources = new HashMap<>();
        final Map<Long, List<Resource>> sourcesByInventory = new HashMap<>();
        final Map<Long, UnifiedJob> known = new HashMap<>();
        final List<Start> toStart = new ArrayList<>();
        /** Set by the first launch ECS turned away; the pass's other starts then wait for the next pass. */
        volatile boolean launchTurnedAway;
        final java.util.concurrent.atomic.AtomicInteger deferred = new java.util.concurrent.atomic.AtomicInteger();
        final String explainIfCreatedBefore = dev.towerless.core.jobs.Timestamps.format(clock.instant().minus(EXPLAIN_AFTER));
        final BlockingRules blocking;
        final Capacity capacity;

        Pass(List<UnifiedJob> activeJobs) {
            active = new ArrayList<>(activeJobs);
            projects = new HashMap<>(resources.getMany(ResourceTypes.PROJECT, active.stream()
                    .map(j -> j.longField(JobFields.PROJECT)).flatMap(Optional::stream).distinct().toList()));
            List<UnifiedJob> waitingToStart = new ArrayList<>(active.stream()
                    .filter(j -> j.status() == JobStatus.PENDING && j.kind().runsInRunner()).toList());
            resources.all(ResourceTypes.INVENTORY_SOURCE).forEach(s -> sources.put(s.id(), s));
            List<UnifiedJob> created = dependencies.process(waitingToStart, projects, sources, active);
            sources.values().forEach(s -> s.reference(JobFields.INVENTORY).ifPresent(i ->
                    sourcesByInventory.computeIfAbsent(i, k -> new ArrayList<>()).add(s)));
            active.addAll(created);
            waitingToStart.addAll(created);
            waitingToStart.sort(JobOrder.OLDEST_FIRST);
            pending = waitingToStart;
            active.forEach(j -> known.put(j.id(), j));
            Map<Long, Resource> groups = new HashMap<>();
            resources.all(ResourceTypes.INSTANCE_GROUP).forEach(g -> groups.put(g.id(), g));
            blocking = new BlockingRules(active);
            capacity = new Capacity(groups, DEFAULT_INSTANCE_GROUP, active);
        }

        /** Where a job's own dependencies are recorded: its project, and its inventory's sources (jobs only). */
        List<Resource> dependencyTargetsOf(UnifiedJob job, Resource project) {
            if (job.kind() != JobKind.JOB && job.kind() != JobKind.INVENTORY_UPDATE) {
                return List.of();
            }
            List<Resource> targets = new ArrayList<>();
            if (project != null) {
                targets.add(project);
            }
            if (job.kind() == JobKind.JOB) {
                job.longField(JobFields.INVENTORY).map(sourcesByInventory::get).ifPresent(targets::addAll);
            }
            return targets;
        }
    }
}
