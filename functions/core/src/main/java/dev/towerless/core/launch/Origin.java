package dev.towerless.core.launch;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a job exists and who started it: AWX's {@code launch_type} and {@code launched_by}, plus
 * what links the job to what made it (the schedule and occurrence of a scheduled run, the
 * workflow and node of a workflow's child). {@code jobId} is set when the caller reserved the
 * job's id first (a workflow records it on its node before the job exists), else null.
 */
public record Origin(LaunchType launchType, Map<String, Object> fields, Long jobId) {
    /** The workflow job that spawned a job (AWX's {@code source_workflow_job}). */
    public static final String SOURCE_WORKFLOW_JOB = "source_workflow_job";
    public static final String WORKFLOW_NODE = "workflow_node";

    public static Origin user(Resource user) {
        return user(user, LaunchType.MANUAL);
    }

    public static Origin user(Resource user, LaunchType launchType) {
        return new Origin(launchType, Map.of(JobFields.LAUNCHED_BY, Map.of("id", user.id(), "name", user.name(),
                "type", "user", "url", "/api/v2/users/" + user.id() + "/")), null);
    }

    /**
     * A schedule's run for one occurrence. The occurrence is recorded on the job, so a scheduler
     * that retries after a crash can tell whether the run exists already.
     */
    public static Origin schedule(Resource schedule, String occurrence) {
        return new Origin(LaunchType.SCHEDULED, Map.of(JobFields.LAUNCHED_BY, Map.of("id", schedule.id(),
                "name", schedule.name(), "type", "schedule", "url", "/api/v2/schedules/" + schedule.id() + "/"),
                JobFields.SCHEDULE, schedule.id(), JobFields.SCHEDULED_FOR, occurrence), null);
    }

    /** A workflow's child, under the id the workflow recorded on its node. */
    public static Origin workflow(UnifiedJob workflow, long node, long jobId) {
        return new Origin(LaunchType.WORKFLOW, Map.of(JobFields.LAUNCHED_BY, Map.of("id", workflow.id(),
                "name", workflow.name(), "type", "workflow_job", "url", "/api/v2/workflow_jobs/" + workflow.id() + "/"),
                SOURCE_WORKFLOW_JOB, workflow.id(), WORKFLOW_NODE, node), jobId);
    }

    /** Nobody in particular: dependency updates and other jobs the system creates itself. */
    public static Origin system(LaunchType launchType) {
        return new Origin(launchType, Map.of(), null);
    }

    void applyTo(Map<String, Object> target) {
        fields.forEach((k, v) -> target.put(k, v instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : v));
    }
}
