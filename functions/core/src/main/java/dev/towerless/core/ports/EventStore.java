package dev.towerless.core.ports;

import dev.towerless.core.jobs.JobEvent;
import java.util.List;

/** Job events: one item per (job id, counter). Writing the same event twice is harmless. */
public interface EventStore {

    void append(List<JobEvent> events);

    /** Removes every event of a job; returns how many there were. */
    int deleteAll(long jobId);

    /** Events of a job with counter greater than {@code afterCounter}, in counter order. */
    List<JobEvent> after(long jobId, long afterCounter, int limit);

    /** Every event of a job in counter order (for stdout rendering); pages through the store. */
    default List<JobEvent> all(long jobId) {
        List<JobEvent> all = new java.util.ArrayList<>();
        long after = 0;
        while (true) {
            List<JobEvent> page = after(jobId, after, 1000);
            all.addAll(page);
            if (page.size() < 1000) {
                return all;
            }
            after = page.get(page.size() - 1).counter();
        }
    }
}
