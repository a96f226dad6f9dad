package dev.towerless.core.launch;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.resources.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a job exists and who started it: AWX's {@code launch_type} and {@code launched_by}, plus
 * the schedule behind a scheduled run (shown as the job's {@code schedule}).
 */
public record Origin(LaunchType launchType, Map<String, Object> launchedBy, Long schedule, String scheduledFor) {

    public static Origin user(Resource user) {
        return user(user, LaunchType.MANUAL);
    }

    public static Origin user(Resource user, LaunchType launchType) {
        return new Origin(launchType, Map.of("id", user.id(), "name", user.name(), "type", "user",
                "url", "/api/v2/users/" + user.id() + "/"), null, null);
    }

    /**
     * A schedule's run for one occurrence. The occurrence is recorded on the job, so a scheduler
     * that retries after a crash can tell whether the run exists already.
     */
    public static Origin schedule(Resource schedule, String occurrence) {
        return new Origin(LaunchType.SCHEDULED, Map.of("id", schedule.id(), "name", schedule.name(), "type", "schedule",
                "url", "/api/v2/schedules/" + schedule.id() + "/"), schedule.id(), occurrence);
    }

    /** Nobody in particular: dependency updates and other jobs the system creates itself. */
    public static Origin system(LaunchType launchType) {
        return new Origin(launchType, Map.of(), null, null);
    }

    void applyTo(Map<String, Object> fields) {
        if (!launchedBy.isEmpty()) {
            fields.put(JobFields.LAUNCHED_BY, new LinkedHashMap<>(launchedBy));
        }
        if (schedule != null) {
            fields.put(JobFields.SCHEDULE, schedule);
            fields.put(JobFields.SCHEDULED_FOR, scheduledFor);
        }
    }
}
