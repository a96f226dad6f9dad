package dev.towerless.core.jobs;

import dev.towerless.core.ports.EventStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a job's events and stdout by what their writer recorded beside them (its
 * {@link EventExtent} and {@link LineMark}s), so a page of events or a range of lines costs the
 * events it returns plus a constant, not the whole job. Every shortcut is checked against the
 * events it reads (counters where the arithmetic puts them, lines where the mark says); when a
 * check fails or nothing was recorded the answer is empty and the caller reads every event, as
 * before. {@link #remember} then records what that read learned, for a finished job.
 */
public final class JobOutput {
    /** Events stored after the recorded extent (a batch being written) that a reader will follow. */
    static final int TAIL_LIMIT = 1000;

    private final EventStore events;

    public JobOutput(EventStore events) {
        this.events = events;
    }

    /** The job's extent including events stored since it was recorded; empty if it cannot be trusted. */
    public Optional<EventExtent> extent(long jobId) {
        Optional<EventExtent> stored = events.extent(jobId);
        if (stored.isEmpty() || !stored.get().countersAreOrdinals()) {
            return Optional.empty();
        }
        List<JobEvent> tail = events.after(jobId, stored.get().lastCounter(), TAIL_LIMIT);
        if (tail.isEmpty()) {
            return stored;
        }
        if (tail.size() == TAIL_LIMIT) {
            return Optional.empty();
        }
        StdoutLines.Ledger ledger = new StdoutLines.Ledger(stored.get());
        ledger.add(tail);
        EventExtent now = ledger.extent();
        return now.countersAreOrdinals() ? Optional.of(now) : Optional.empty();
    }

    /** One page of events and how many match: counters in (gt, lt), page from 1, by counter. */
    public record EventPage(List<JobEvent> events, long count) {
    }

    /**
     * Page {@code page} of the events with {@code gt < counter < lt}, ascending or descending by
     * counter: with counters 1..n (checked), page p starts at a counter found by arithmetic.
     */
    public Optional<EventPage> page(long jobId, long gt, long lt, boolean descending, int page, int size) {
        return page(jobId, gt, lt, descending, page, size, () -> null);
    }

    /**
     * The events a page starts with where the query alone places them, read without the extent:
     * ascending, from counter {@code gt + 1} plus the pages before; descending, page 1 below
     * {@code lt}. Read beside the extent (the page's {@code guessed}), a page costs one round trip
     * after the token rather than two. Null where only the extent can place the page.
     */
    public List<JobEvent> pageGuess(long jobId, long gt, long lt, boolean descending, int page, int size) {
        if (descending) {
            return page == 1 ? events.before(jobId, lt, size) : null;
        }
        return events.after(jobId, Math.max(1, gt + 1) + (long) (page - 1) * size - 1, size);
    }

    /**
     * As {@link #page(long, long, long, boolean, int, int)}, taking the page from {@code guessed}
     * ({@link #pageGuess}, read meanwhile) when it starts where the extent puts the page and
     * holds enough events; otherwise reading them as before.
     */
    public Optional<EventPage> page(long jobId, long gt, long lt, boolean descending, int page, int size,
                                    java.util.function.Supplier<List<JobEvent>> guessed) {
        Optional<EventExtent> extent = extent(jobId);
        if (extent.isEmpty()) {
            return Optional.empty();
        }
        long lo = Math.max(1, gt + 1);
        long hi = Math.min(extent.get().events(), lt - 1);
        long count = Math.max(0, hi - lo + 1);
        long skip = (long) (page - 1) * size;
        if (skip >= count) {
            return Optional.of(new EventPage(List.of(), count));
        }
        int want = (int) Math.min(size, count - skip);
        long first = descending ? hi - skip : lo + skip;
        List<JobEvent> guess = guessed.get();
        List<JobEvent> got;
        if (guess != null && guess.size() >= want && guess.get(0).counter() == first) {
            got = guess.subList(0, want);
        } else if (descending) {
            got = events.before(jobId, first + 1, want);
        } else {
            got = events.after(jobId, first - 1, want);
        }
        if (got.size() != want) {
            return Optional.empty();
        }
        for (int i = 0; i < got.size(); i++) {
            if (got.get(i).counter() != (descending ? first - i : first + i)) {
                return Optional.empty();
            }
        }
        return Optional.of(new EventPage(got, count));
    }

    /**
     * Stdout lines [from, to) without their newlines, read from the mark before {@code from}; the
     * caller keeps {@code to} within the extent's lines. Empty if no mark serves it.
     */
    public Optional<List<String>> lines(long jobId, long from, long to) {
        return lines(jobId, from, to, false);
    }

    /**
     * Lines from {@code from} as {@link #lines} reads them, before the extent says where the output
     * ends (so beside its read): one read of events after the mark, never more, which may hold fewer
     * than {@code to - from} lines (the output ends sooner, or its events hold fewer lines); the
     * caller takes them only if they are as many as it needs. Empty where no mark serves {@code from}.
     */
    public Optional<List<String>> linesAhead(long jobId, long from, long to) {
        return lines(jobId, from, to, true);
    }

    private Optional<List<String>> lines(long jobId, long from, long to, boolean onePage) {
        if (from >= to) {
            return Optional.of(List.of());
        }
        long bucketLine = (from / StdoutLines.LINES_PER_MARK) * StdoutLines.LINES_PER_MARK;
        Optional<LineMark> mark = events.lineMark(jobId, from / StdoutLines.LINES_PER_MARK);
        if (mark.isEmpty() || mark.get().line() > bucketLine) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        long line = mark.get().line();
        long expect = mark.get().counter();
        long after = expect - 1;
        boolean first = true;
        while (line < to) {
            int want = (int) Math.max(1, Math.min(TAIL_LIMIT, to - line));
            List<JobEvent> page = events.after(jobId, after, want);
            if (page.isEmpty()) {
                return Optional.empty(); // fewer lines than recorded
            }
            for (JobEvent e : page) {
                if (e.counter() != expect) {
                    return Optional.empty();
                }
                String[] pieces = StdoutLines.pieces(e);
                if (first && line + pieces.length <= bucketLine) {
                    return Optional.empty(); // the mark's event does not hold the mark's line
                }
                first = false;
                for (int i = 0; i < pieces.length; i++) {
                    long n = line + i;
                    if (n >= from && n < to) {
                        out.add(pieces[i]);
                    }
                }
                line += pieces.length;
                expect++;
                if (line >= to) {
                    break;
                }
            }
            after = page.get(page.size() - 1).counter();
            if (onePage) {
                return Optional.of(out);
            }
        }
        return out.size() == to - from ? Optional.of(out) : Optional.empty();
    }

    /**
     * Records the extent and marks of a finished job whose events were all read (events written
     * before extents existed, or by a writer that kept none), so the next read is served by them.
     */
    public void remember(long jobId, List<JobEvent> all) {
        StdoutLines.Ledger ledger = new StdoutLines.Ledger();
        List<LineMark> marks = ledger.add(all);
        events.putLineMarks(jobId, marks);
        events.putExtent(jobId, ledger.extent());
    }

    /**
     * Writes events and, after them, what a reader needs to find them: the marks of the lines they
     * begin and the job's new extent. Batches of one job arrive in counter order (the runner's one
     * event queue); a redelivered batch only makes the extent non-contiguous, so readers fall back.
     */
    public static final class Writer {
        private final EventStore store;
        private final Map<Long, StdoutLines.Ledger> ledgers = new HashMap<>();

        public Writer(EventStore store) {
            this.store = store;
        }

        public synchronized void append(List<JobEvent> batch) {
            store.append(batch);
            Map<Long, List<JobEvent>> byJob = new java.util.LinkedHashMap<>();
            for (JobEvent e : batch) {
                byJob.computeIfAbsent(e.jobId(), j -> new ArrayList<>()).add(e);
            }
            byJob.forEach((job, events) -> {
                StdoutLines.Ledger ledger = ledgers.computeIfAbsent(job, j -> new StdoutLines.Ledger());
                List<LineMark> marks = ledger.add(events);
                store.putLineMarks(job, marks); // marks before the extent that covers them
                store.putExtent(job, ledger.extent());
            });
        }
    }
}
