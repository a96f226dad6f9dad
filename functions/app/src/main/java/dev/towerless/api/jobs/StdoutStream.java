package dev.towerless.api.jobs;

import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.StdoutLines;
import dev.towerless.core.ports.EventStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * A job's whole stdout as a stream: events are read a page at a time as the client reads, so a
 * download of any size holds one page of events, never the whole text.
 */
final class StdoutStream extends InputStream {
    private static final int PAGE = 1000;

    private final EventStore events;
    private final long jobId;
    private final Function<String, String> render;
    private long after;
    private boolean last;
    private byte[] buffer = new byte[0];
    private int at;

    StdoutStream(EventStore events, long jobId, Function<String, String> render) {
        this.events = events;
        this.jobId = jobId;
        this.render = render;
    }

    /** Loads the next page of events that has any output; false at the end. */
    private boolean fill() {
        while (at >= buffer.length) {
            if (last) {
                return false;
            }
            List<JobEvent> page = events.after(jobId, after, PAGE);
            last = page.size() < PAGE;
            StringBuilder text = new StringBuilder();
            for (JobEvent e : page) {
                for (String piece : StdoutLines.pieces(e)) {
                    text.append(render.apply(piece)).append('\n');
                }
            }
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).counter();
            }
            buffer = text.toString().getBytes(StandardCharsets.UTF_8);
            at = 0;
        }
        return true;
    }

    @Override
    public int read() {
        return fill() ? buffer[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.length - at);
        System.arraycopy(buffer, at, b, off, n);
        at += n;
        return n;
    }
}
