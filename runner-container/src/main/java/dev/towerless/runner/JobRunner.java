package dev.towerless.runner;

import dev.towerless.core.housekeeping.Cleanup;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.WakeMessage;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.Topic;
import dev.towerless.core.resources.VariablesCodec;
import dev.towerless.core.runplane.RunSecrets;
import dev.towerless.core.security.SecretBox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one job to its end: claim it (waiting → running, conditional, so a duplicate launch
 * does nothing), run it, store its final status with an explanation whatever happens, and tell
 * the lifecycle topic so the task manager runs again at once.
 */
public final class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());

    private final JobStore jobs;
    private final ResourceStore resources;
    private final EventStore events;
    private final HeartbeatStore heartbeats;
    private final Topic lifecycle;
    /** Opens this job's sealed secrets (and nothing else): given by the launcher for jobs that run user code. */
    private final Optional<String> runKey;
    /** Probed after the claim (a few processes started), so the claim is not delayed by it; null until then. */
    private Sandbox sandbox;
    private final VariablesCodec variables;
    private final Clock clock;
    private final String runnerId;
    private final Duration heartbeatPeriod;
    private final String runnerTask;

    public JobRunner(JobStore jobs, HeartbeatStore heartbeats, ResourceStore resources, EventStore events, Topic lifecycle,
                     Optional<String> runKey, VariablesCodec variables, Clock clock, String runnerId, Duration heartbeatPeriod,
                     String runnerTask) {
        this(jobs, heartbeats, resources, events, lifecycle, runKey, null, variables, clock, runnerId, heartbeatPeriod, runnerTask);
    }

    JobRunner(JobStore jobs, HeartbeatStore heartbeats, ResourceStore resources, EventStore events, Topic lifecycle,
              Optional<String> runKey, Sandbox sandbox, VariablesCodec variables, Clock clock, String runnerId,
              Duration heartbeatPeriod, String runnerTask) {
        this.jobs = jobs;
        this.heartbeats = heartbeats;
        this.resources = resources;
        this.events = events;
        this.lifecycle = lifecycle;
        this.runKey = runKey;
        this.sandbox = sandbox;
        this.variables = variables;
        this.clock = clock;
        this.runnerId = runnerId;
        this.heartbeatPeriod = heartbeatPeriod;
        this.runnerTask = runnerTask;
    }

    /** @return the job's final status, or empty if this runner had nothing to do */
    public Optional<JobStatus> run(long jobId) {
        Optional<UnifiedJob> found = jobs.find(jobId);
        if (found.isEmpty()) {
            LOG.warning(() -> "job " + jobId + " does not exist; nothing to run");
            return Optional.empty();
        }
        UnifiedJob job = found.get();
        if (job.status() != JobStatus.WAITING) {
            LOG.info(() -> job + " is not waiting; another runner has it or it ended");
            return Optional.empty();
        }
        if (job.cancelFlag()) {
            return finishFrom(job, JobStatus.WAITING, Outcome.of(JobStatus.CANCELED, ""));
        }
        Optional<UnifiedJob> claimed = jobs.updateIfStatus(jobId, JobStatus.WAITING,
                JobTransitions.changesFor(job, JobStatus.RUNNING, clock.instant(), Map.of(JobFields.EXECUTION_NODE, runnerId, JobFields.RUNNER_TASK, runnerTask)));
        if (claimed.isEmpty()) {
            LOG.info(() -> job + " was claimed or canceled by someone else first");
            return Optional.empty();
        }
        LOG.info(() -> job + " claimed by " + runnerId + " " + sinceStart() + " ms after the runner started");
        // "started" notifications: announced off the critical path, so ansible starts no later for it.
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                lifecycle.publish(WakeMessage.jobStarted(jobId));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not announce that " + job + " started; its started notifications are lost", e);
            }
        });
        return finishFrom(claimed.get(), JobStatus.RUNNING, execute(claimed.get()));
    }

    private Outcome execute(UnifiedJob job) {
        Path dir = null;
        EventShipper shipper = new EventShipper(events, 500, Duration.ofMillis(200));
        ProcessControl control = new ProcessControl(Duration.ofSeconds(10));
        Outcome outcome;
        try (Heartbeat heartbeat = new Heartbeat(jobs, heartbeats, job.id(), runnerId, heartbeatPeriod, clock, control)) {
            // Short: ssh control sockets live under it and a socket path has at most 107 characters.
            dir = PrivateFiles.createDirectory("tl-" + job.id() + "-");
            PrivateFiles.mkdirs(dir.resolve("tmp"));
            if (sandbox == null) {
                sandbox = Sandbox.detect(System.getenv());
            }
            RunSecrets bundle = runSecrets(job);
            JobCredentials credentials = new JobCredentials(bundle);
            credentials.addSecrets(surveyPasswords(job, bundle));
            credentials.openRuntimePasswords(job.get(JobFields.START_ARGS));
            RunContext ctx = new RunContext(job, resources, credentials, dir, shipper, variables, clock, control, sandbox);
            Optional<String> refusal = job.kind() == JobKind.SYSTEM_JOB || job.kind() == JobKind.PROJECT_UPDATE
                    ? Optional.empty() : sandbox.refusal();
            outcome = refusal.isPresent() ? Outcome.of(JobStatus.ERROR, refusal.get()) : switch (job.kind()) {
                case PROJECT_UPDATE -> ProjectUpdateRun.run(ctx);
                case JOB -> PlaybookRun.run(ctx);
                case AD_HOC_COMMAND -> AdHocRun.run(ctx);
                case INVENTORY_UPDATE -> InventoryUpdateRun.run(ctx);
                case SYSTEM_JOB -> SystemJobRun.run(ctx, new Cleanup(jobs, events, resources, clock), jobs);
                default -> Outcome.of(JobStatus.ERROR, "This runner cannot run " + job.kind().type() + " jobs yet.");
            };
        } catch (Exception | LinkageError e) {
            LOG.log(Level.SEVERE, "run of " + job + " failed", e);
            outcome = Outcome.of(JobStatus.ERROR, "Towerless runner error: " + e).with(JobFields.RESULT_TRACEBACK, trace(e));
        } finally {
            if (sandbox != null) {
                sandbox.remove(dir);
            } else {
                PrivateFiles.deleteTree(dir);
            }
        }
        try {
            shipper.close();
            outcome = outcome.with(JobFields.EMITTED_EVENTS, shipper.shipped());
        } catch (RuntimeException e) {
            outcome = Outcome.of(JobStatus.ERROR, "Job output could not be stored: " + e.getMessage())
                    .with(JobFields.RESULT_TRACEBACK, trace(e));
        }
        return outcome;
    }

    /**
     * The job's sealed bundle opened with this runner's key. A system job runs no user code and
     * needs none; any other job without one (a runner started by hand, a wrong key) cannot run.
     */
    private RunSecrets runSecrets(UnifiedJob job) {
        if (job.kind() == JobKind.SYSTEM_JOB) {
            return RunSecrets.none();
        }
        String bundle = job.string(JobFields.RUN_SECRETS).orElseThrow(() -> new IllegalStateException(
                "the job carries no run secrets: it was not started by the task manager"));
        String key = runKey.orElseThrow(() -> new IllegalStateException("this runner was started without the job's run key"));
        return RunSecrets.open(bundle, key, variables);
    }

    /** Survey answers of type password: secrets like a credential's, never shown. */
    private List<String> surveyPasswords(UnifiedJob job, RunSecrets bundle) {
        List<String> names = new java.util.ArrayList<>();
        if (job.get("survey_passwords") instanceof List<?> l) {
            l.forEach(n -> names.add(String.valueOf(n)));
        }
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, Object> vars = variables.parse(job.string(JobFields.EXTRA_VARS).orElse(""));
        return names.stream().map(vars::get).filter(java.util.Objects::nonNull).map(String::valueOf)
                .map(v -> SecretBox.isSealed(v) ? bundle.opened(v).orElse(null) : v).filter(java.util.Objects::nonNull).toList();
    }

    private Optional<JobStatus> finishFrom(UnifiedJob job, JobStatus expected, Outcome outcome) {
        Map<String, Object> extra = new LinkedHashMap<>(outcome.fields());
        extra.put(JobFields.JOB_EXPLANATION, outcome.explanation());
        Map<String, Object> changes = JobTransitions.changesFor(job, outcome.status(), clock.instant(), extra);
        boolean mayBeCanceled = expected == JobStatus.RUNNING && outcome.status() != JobStatus.CANCELED;
        // A cancel that lands after ansible's last heartbeat but before this write still wins, as in
        // AWX (which reads the flag when the run ends): the write holds only while the flag is as claimed.
        Optional<UnifiedJob> written = mayBeCanceled
                ? jobs.updateIfStatusAndUnchanged(job.id(), expected, JobFields.CANCEL_FLAG, job.get(JobFields.CANCEL_FLAG), changes)
                : jobs.updateIfStatus(job.id(), expected, changes);
        if (written.isEmpty() && mayBeCanceled) {
            Optional<UnifiedJob> now = jobs.find(job.id());
            if (now.isPresent() && now.get().status() == expected && now.get().cancelFlag()) {
                LOG.info(() -> job + " was canceled as it ended; it ends canceled");
                return finishFrom(now.get(), expected, new Outcome(JobStatus.CANCELED, "", outcome.fields()));
            }
        }
        if (written.isEmpty()) {
            // Someone else (the reaper, a cancel) ended it first; their word stands.
            LOG.warning(() -> job + " was ended by someone else; not overwriting its status");
            return jobs.find(job.id()).map(UnifiedJob::status);
        }
        try {
            lifecycle.publish(WakeMessage.jobFinished(job.id(), outcome.status().apiName()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not publish that " + job + " finished; the next tick will notice", e);
        }
        return Optional.of(outcome.status());
    }

    /** Milliseconds since this JVM started: start-up cost is part of every job's latency. */
    static long sinceStart() {
        return System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    private static String trace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
