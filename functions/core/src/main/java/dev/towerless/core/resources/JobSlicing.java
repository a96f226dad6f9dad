package dev.towerless.core.resources;

/**
 * AWX's job slicing splits a job's inventory over several jobs run as one workflow. Towerless does
 * not slice yet, so a slice count above 1 is refused where it is given (template, prompt,
 * schedule, node) rather than stored and silently run as one job.
 */
public final class JobSlicing {
    private JobSlicing() {
    }

    /** Why this slice count cannot be used, or null when it can (null, 0 and 1 mean one job). */
    public static String problem(Object count) {
        if (count instanceof Number n) {
            if (n.longValue() < 0) {
                return "Ensure this value is greater than or equal to 0.";
            }
            if (n.longValue() > 1) {
                return "Towerless does not slice jobs yet: job_slice_count must be 1.";
            }
        }
        return null;
    }
}
