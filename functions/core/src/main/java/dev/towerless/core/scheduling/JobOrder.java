package dev.towerless.core.scheduling;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.UnifiedJob;
import java.util.Comparator;

/**
 * AWX's order of work: oldest {@code created} first, ties by id. {@link #key} is the same order
 * as a string, so a position in it can be stored (the dependency manager's watermarks).
 */
public final class JobOrder {
    public static final Comparator<UnifiedJob> OLDEST_FIRST =
            Comparator.comparing((UnifiedJob j) -> (String) j.get(JobFields.CREATED)).thenComparingLong(UnifiedJob::id);

    private JobOrder() {
    }

    public static String key(UnifiedJob job) {
        return job.orderKey();
    }
}
