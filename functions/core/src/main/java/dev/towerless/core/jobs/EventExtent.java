package dev.towerless.core.jobs;

/**
 * What the writer of a job's events knows about them after its last stored batch: how many it
 * stored, the highest counter, whether the counters ran 1, 2, 3… without a gap, and the job's
 * stdout size in lines (as {@code stdout/} numbers them) and characters (AWX's size check). A
 * reader serves counts, pages and line ranges from it instead of reading every event.
 */
public record EventExtent(long events, long lastCounter, boolean contiguous, long lines, long chars) {
    public static final EventExtent EMPTY = new EventExtent(0, 0, true, 0, 0);

    /** True if counter {@code c} (1-based) is the {@code c}-th event: a page is found by arithmetic. */
    public boolean countersAreOrdinals() {
        return contiguous && events == lastCounter;
    }
}
