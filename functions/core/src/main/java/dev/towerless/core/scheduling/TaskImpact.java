package dev.towerless.core.scheduling;

import dev.towerless.core.jobs.JobKind;

/**
 * AWX's task impact (research §3.3): what a job costs of an instance group's fork budget.
 * Computed once at creation and cached on the job, as AWX does.
 */
public final class TaskImpact {
    /** AWX uses 5 forks when a template leaves forks at 0. */
    static final int DEFAULT_FORKS = 5;

    private TaskImpact() {
    }

    /** @param hosts the inventory's host count, or -1 if the job has no inventory */
    public static int of(JobKind kind, long hosts, long forks) {
        int f = forks > 0 ? (int) forks : DEFAULT_FORKS;
        return switch (kind) {
            case JOB -> (int) Math.min(hosts < 0 ? f : hosts, f) + 1;
            case AD_HOC_COMMAND -> (int) Math.min(hosts <= 0 ? DEFAULT_FORKS : hosts, f) + 1;
            case PROJECT_UPDATE, INVENTORY_UPDATE -> 1;
            case SYSTEM_JOB -> 5;
            case WORKFLOW_JOB, WORKFLOW_APPROVAL -> 0;
        };
    }
}
