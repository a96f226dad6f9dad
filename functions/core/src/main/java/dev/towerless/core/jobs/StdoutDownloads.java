package dev.towerless.core.jobs;

import dev.towerless.core.ports.DownloadStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a whole {@code txt_download}/{@code ansi_download} is answered. Without a threshold (the
 * local stack) it is streamed, as always. With one (on AWS, where Lambda answers at most 6 MB) a
 * download over it is written to the {@link DownloadStore} under
 * {@code stdout/<type>/<id>/<format>} and answered with a short-lived URL for it; a finished job's
 * is written once and reused, a running job's is written anew each time under a key of its own, so
 * a partial text is never served as the finished one.
 *
 * <p>The size that counts is the Lambda response's: the text travels as a JSON string, where a
 * newline or quote takes 2 bytes and an escape character (ANSI colours) 6. The job's extent bounds
 * it cheaply (at most 6 bytes per character and line); a download the bound cannot clear is read
 * until it either ends under the threshold (answered whole, as one response) or passes it (written
 * to the store from where the reading stopped).
 */
public final class StdoutDownloads {
    /** Every key is under this prefix (the API function may write nothing else of the bucket). */
    public static final String PREFIX = "stdout/";
    /** A few minutes: long enough to follow the redirect, short enough that a copied link soon dies. */
    public static final Duration URL_LIFETIME = Duration.ofMinutes(5);
    /** Below Lambda's 6 MB (6,291,456 bytes) response limit, with room for the headers. */
    public static final long DEFAULT_THRESHOLD = 5_000_000;
    public static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    /** The most a character or a line (its newline) can take in the Lambda response: {@code \u001b}. */
    static final int WORST_BYTES_PER_CHARACTER = 6;

    /** How to answer. */
    public sealed interface Answer permits Stream, Whole, Redirect {
    }

    /** Stream the text from the events, as without a threshold. */
    public record Stream() implements Answer {
    }

    /** The whole text, read to learn its size and found under the threshold. */
    public record Whole(byte[] text) implements Answer {
    }

    /** Send the client to this URL (302 Found): the stored text, with the download's type and filename. */
    public record Redirect(URI location) implements Answer {
    }

    private final DownloadStore store;
    private final long threshold;
    private final Clock clock;

    private StdoutDownloads(DownloadStore store, long threshold, Clock clock) {
        this.store = store;
        this.threshold = threshold;
        this.clock = clock;
    }

    /** Every download streamed (no store). */
    public static StdoutDownloads streaming() {
        return new StdoutDownloads(null, Long.MAX_VALUE, Clock.systemUTC());
    }

    /** Downloads whose response would pass {@code threshold} bytes go through {@code store}. */
    public static StdoutDownloads redirectingOver(long threshold, DownloadStore store, Clock clock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("the download threshold must be at least 1 byte, not " + threshold);
        }
        return new StdoutDownloads(Objects.requireNonNull(store), threshold, clock);
    }

    /** AWX's name for the file (UnifiedJobStdout): {@code job_5.txt}, {@code project_update_7.ansi.txt}. */
    public static String filename(UnifiedJob job, String format) {
        return job.kind().type() + "_" + job.id() + ("ansi_download".equals(format) ? ".ansi" : "") + ".txt";
    }

    /** The finished job's key: {@code stdout/job/5/txt_download}. */
    public static String key(UnifiedJob job, String format) {
        return PREFIX + job.kind().type() + "/" + job.id() + "/" + format;
    }

    /**
     * How to answer the whole download of {@code job} in {@code format}, whose events' extent is
     * {@code extent}; {@code text} opens the rendered text (read from the events) when needed.
     */
    public Answer answer(UnifiedJob job, String format, EventExtent extent, Supplier<InputStream> text) throws IOException {
        if (store == null || mostBytes(extent) <= threshold) {
            return new Stream();
        }
        boolean finished = job.status().isFinished();
        String key = finished ? key(job, format)
                // a running job's text grows: its own key each time, never the one a finished job's reuses
                : PREFIX + job.kind().type() + "/" + job.id() + "/running-" + clock.millis() + "/" + format;
        if (finished && store.exists(key)) {
            return new Redirect(store.url(key, URL_LIFETIME));
        }
        try (InputStream in = text.get()) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            if (fitsUnderThreshold(in, head)) {
                return new Whole(head.toByteArray());
            }
            store.put(key, new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), in), CONTENT_TYPE,
                    filename(job, format));
        }
        return new Redirect(store.url(key, URL_LIFETIME));
    }

    /** The most bytes the text can take in the response, from its characters and lines. */
    static long mostBytes(EventExtent extent) {
        long units = extent.chars() + extent.lines();
        return units > Long.MAX_VALUE / WORST_BYTES_PER_CHARACTER ? Long.MAX_VALUE : units * WORST_BYTES_PER_CHARACTER;
    }

    /** Reads {@code in} into {@code head} until it ends (true) or its response size passes the threshold (false). */
    private boolean fitsUnderThreshold(InputStream in, ByteArrayOutputStream head) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long size = 0;
        int n;
        while ((n = in.read(chunk)) >= 0) {
            head.write(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                size += responseBytes(chunk[i] & 0xff);
            }
            if (size > threshold) {
                return false;
            }
        }
        return true;
    }

    /** The bytes one byte of UTF-8 text takes in a JSON string (other than ASCII, UTF-8 bytes go as they are). */
    static int responseBytes(int b) {
        if (b == '"' || b == '\\' || b == '\n' || b == '\r' || b == '\t' || b == '\b' || b == '\f') {
            return 2;
        }
        return b < 0x20 || b == 0x7f ? 6 : 1;
    }
}
