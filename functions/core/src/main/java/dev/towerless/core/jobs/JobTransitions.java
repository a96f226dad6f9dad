package dev.towerless.core.jobs;

import static dev.towerless.core.jobs.JobStatus.CANCELED;
import static dev.towerless.core.jobs.JobStatus.ERROR;
import static dev.towerless.core.jobs.JobStatus.FAILED;
import static dev.towerless.core.jobs.JobStatus.NEW;
import static dev.towerless.core.jobs.JobStatus.PENDING;
import static dev.towerless.core.jobs.JobStatus.RUNNING;
import static dev.towerless.core.jobs.JobStatus.SUCCESSFUL;
import static dev.towerless.core.jobs.JobStatus.WAITING;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * AWX's unified-job state machine (research §1.4) and the fields AWX derives on every save
 * (§1.2): {@code failed}, {@code started}, {@code finished}, {@code elapsed}, {@code modified}.
 *
 * <p>The result of {@link #changesFor} is exactly what the store writes in one conditional
 * update guarded by the job's current status, so a transition is never applied twice.
 */
public final class JobTransitions {
    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = new EnumMap<>(JobStatus.class);

    static {
        ALLOWED.put(NEW, EnumSet.of(PENDING, FAILED, CANCELED));
        // pending → running only for workflow jobs (checked below): nothing runs them in a container.
        ALLOWED.put(PENDING, EnumSet.of(WAITING, RUNNING, FAILED, CANCELED));
        // waiting → error: the launcher could not start a runner at all; waiting → pending: not yet
        // (ECS throttled the launch or had no capacity), so the job waits for a later pass in its place.
        ALLOWED.put(WAITING, EnumSet.of(PENDING, RUNNING, FAILED, ERROR, CANCELED));
        ALLOWED.put(RUNNING, EnumSet.of(SUCCESSFUL, FAILED, ERROR, CANCELED));
        for (JobStatus finished : JobStatus.FINISHED) {
            ALLOWED.put(finished, EnumSet.noneOf(JobStatus.class));
        }
    }

    private JobTransitions() {
    }

    public static boolean isAllowed(JobKind kind, JobStatus from, JobStatus to) {
        if (kind == JobKind.WORKFLOW_APPROVAL && from == PENDING) {
            // An approval waits in pending until someone approves (successful), denies or lets it expire (failed).
            return to == SUCCESSFUL || to == FAILED || to == CANCELED;
        }
        if (from == PENDING && to == RUNNING) {
            return kind == JobKind.WORKFLOW_JOB;
        }
        if ((from == PENDING && to == WAITING) || (from == WAITING && to == PENDING)) {
            return kind.runsInRunner();
        }
        return ALLOWED.get(from).contains(to);
    }

    /**
     * The field changes that move {@code job} to {@code to} at {@code now}, including the
     * derived fields. {@code extra} (e.g. rc, job_explanation, scm_revision) is merged in.
     *
     * @throws IllegalTransitionException if AWX's state machine forbids the move
     */
    public static Map<String, Object> changesFor(UnifiedJob job, JobStatus to, Instant now,
                                                 Map<String, Object> extra) {
        JobStatus from = job.status();
        if (!isAllowed(job.kind(), from, to)) {
            throw new IllegalTransitionException(from, to);
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put(JobFields.STATUS, to.apiName());
        changes.put(JobFields.FAILED, to.countsAsFailed());
        changes.put(JobFields.MODIFIED, Timestamps.format(now));
        Instant started = job.started().orElse(null);
        if (to == RUNNING && started == null) {
            started = now;
            changes.put(JobFields.STARTED, Timestamps.format(now));
        }
        if (to.isFinished() && job.finished().isEmpty()) {
            changes.put(JobFields.FINISHED, Timestamps.format(now));
            // AWX computes elapsed only when both stamps exist; a job canceled while pending has 0.
            changes.put(JobFields.ELAPSED, started == null ? 0.0 : Timestamps.elapsedSeconds(started, now));
        }
        if (to.isFinished() && job.get(JobFields.RUN_SECRETS) != null) {
            // Whoever ends the job (runner, reaper, cancel, task manager), its sealed secrets go with the same write.
            changes.put(JobFields.RUN_SECRETS, null);
        }
        changes.putAll(extra);
        return changes;
    }

    public static Map<String, Object> changesFor(UnifiedJob job, JobStatus to, Instant now) {
        return changesFor(job, to, now, Map.of());
    }
}
