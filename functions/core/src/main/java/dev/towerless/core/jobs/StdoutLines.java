package dev.towerless.core.jobs;

import java.util.ArrayList;
import java.util.List;

/**
 * How {@code stdout/} numbers a job's lines: the events' non-empty {@code stdout} in counter
 * order, each followed by a newline, so an event holds one line more than it has newlines and an
 * event with no output holds none. (ansible-runner's own {@code start_line}/{@code end_line} count
 * the blank lines it dropped from {@code stdout}, so they are not these numbers.)
 *
 * <p>{@link Ledger} follows a job's events as they are written, in counter order, and yields the
 * {@link EventExtent} and the {@link LineMark}s a reader needs.
 */
public final class StdoutLines {
    /** One mark every this many lines: a range read skips at most this many lines' events. */
    public static final int LINES_PER_MARK = 50;

    private StdoutLines() {
    }

    /** The lines an event adds to stdout. */
    public static int lines(JobEvent e) {
        String s = e.stdout();
        if (s.isEmpty()) {
            return 0;
        }
        int n = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** The event's lines, without their newlines. */
    public static String[] pieces(JobEvent e) {
        return e.stdout().isEmpty() ? new String[0] : e.stdout().split("\n", -1);
    }

    /** Follows one job's events in counter order. Not thread-safe; one writer per job. */
    public static final class Ledger {
        private long events;
        private long lastCounter;
        private boolean contiguous = true;
        private long lines;
        private long chars;

        public Ledger() {
        }

        /** Resumes from a stored extent (its marks are already stored). */
        public Ledger(EventExtent from) {
            this.events = from.events();
            this.lastCounter = from.lastCounter();
            this.contiguous = from.contiguous();
            this.lines = from.lines();
            this.chars = from.chars();
        }

        /** Counts the events (in counter order) and returns the marks of the lines they begin. */
        public List<LineMark> add(List<JobEvent> batch) {
            List<LineMark> marks = new ArrayList<>();
            for (JobEvent e : batch) {
                if (e.counter() != lastCounter + 1) {
                    contiguous = false; // a reader then falls back to reading the events themselves
                }
                lastCounter = Math.max(lastCounter, e.counter());
                events++;
                int n = lines(e);
                // every bucket boundary inside [lines, lines + n) points at this event
                for (long b = (lines + LINES_PER_MARK - 1) / LINES_PER_MARK; b * LINES_PER_MARK < lines + n; b++) {
                    marks.add(new LineMark(b, e.counter(), lines));
                }
                lines += n;
                chars += e.stdout().codePointCount(0, e.stdout().length());
            }
            return marks;
        }

        public EventExtent extent() {
            return new EventExtent(events, lastCounter, contiguous, lines, chars);
        }
    }
}
