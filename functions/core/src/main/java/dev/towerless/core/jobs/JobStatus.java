package dev.towerless.core.jobs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** AWX's unified job statuses (awx/main/models/unified_jobs.py), spelled as the API spells them. */
public enum JobStatus {
    NEW, PENDING, WAITING, RUNNING, SUCCESSFUL, FAILED, ERROR, CANCELED;

    /** AWX's ACTIVE_STATES; also the states a cancel applies to (CAN_CANCEL). */
    public static final Set<JobStatus> ACTIVE = EnumSet.of(NEW, PENDING, WAITING, RUNNING);
    public static final Set<JobStatus> FINISHED = EnumSet.of(SUCCESSFUL, FAILED, ERROR, CANCELED);

    public boolean isActive() {
        return ACTIVE.contains(this);
    }

    public boolean isFinished() {
        return FINISHED.contains(this);
    }

    /** AWX forces {@code failed=true} exactly for these. */
    public boolean countsAsFailed() {
        return this == FAILED || this == ERROR || this == CANCELED;
    }

    private final String apiName = name().toLowerCase(Locale.ROOT);

    public String apiName() {
        return apiName;
    }

    private static final java.util.Map<String, JobStatus> BY_NAME = new java.util.HashMap<>();

    static {
        for (JobStatus s : values()) {
            BY_NAME.put(s.apiName(), s);
        }
    }

    public static JobStatus fromApiName(String value) {
        JobStatus s = BY_NAME.get(value);
        if (s == null) {
            throw new IllegalArgumentException("unknown job status: " + value);
        }
        return s;
    }
}
