package dev.towerless.core.ports;

import dev.towerless.core.jobs.EventExtent;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.LineMark;
import java.util.List;
import java.util.Optional;

/**
 * Job events: one item per (job id, counter), counters from 1. Writing the same event twice is
 * harmless. Beside the events a job has an {@link EventExtent} and {@link LineMark}s, written by
 * whoever writes its events (the runner), so that counts, pages and stdout ranges are read
 * without reading every event; they are never returned as events.
 */
public interface EventStore {

    void append(List<JobEvent> events);

    /** Removes every event of a job, its extent and its marks; returns how many events there were. */
    int deleteAll(long jobId);

    /** Events of a job with counter greater than {@code afterCounter}, in counter order. */
    List<JobEvent> after(long jobId, long afterCounter, int limit);

    /** Events of a job with counter less than {@code beforeCounter}, highest counter first. */
    List<JobEvent> before(long jobId, long beforeCounter, int limit);

    /** Records the job's extent, replacing the one before (the writer's latest word). */
    void putExtent(long jobId, EventExtent extent);

    Optional<EventExtent> extent(long jobId);

    /** Records line marks; writing a mark again is harmless. */
    void putLineMarks(long jobId, List<LineMark> marks);

    /** The mark of one bucket (line {@code bucket × LINES_PER_MARK}), if recorded. */
    Optional<LineMark> lineMark(long jobId, long bucket);

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
