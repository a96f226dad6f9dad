package dev.towerless.core.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.ports.DownloadStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What every {@link DownloadStore} backend must do; {@link #fetch} is how a client follows its URLs. */
public abstract class DownloadStoreContract {
    /** More than two parts of any multipart upload S3 takes (5 MiB the least), and not a multiple of one. */
    protected static final int LARGE = 17 * 1024 * 1024 + 3;

    protected abstract DownloadStore store();

    /** What a client GETting {@code url} receives. */
    public record Fetched(int status, byte[] body, String contentType, String contentDisposition) {
    }

    protected abstract Fetched fetch(URI url) throws Exception;

    /** {@code size} bytes of text lines, each numbered, so a misplaced part shows. */
    protected static byte[] text(int size) {
        byte[] out = new byte[size];
        int at = 0;
        for (int line = 0; at < size; line++) {
            byte[] l = ("line " + line + " \u001B[0;32mok\u001B[0m é\n").getBytes(StandardCharsets.UTF_8);
            int n = Math.min(l.length, size - at);
            System.arraycopy(l, 0, out, at, n);
            at += n;
        }
        return out;
    }

    @Test
    void aLargeDownloadIsFetchedByItsUrlByteForByteWithItsTypeAndFilename() throws Exception {
        DownloadStore s = store();
        byte[] content = text(LARGE);
        assertThat(s.exists("stdout/job/7/txt_download")).isFalse();
        s.put("stdout/job/7/txt_download", new ByteArrayInputStream(content), "text/plain; charset=utf-8", "job_7.txt");
        assertThat(s.exists("stdout/job/7/txt_download")).isTrue();
        assertThat(s.exists("stdout/job/7/ansi_download")).as("another key").isFalse();
        Fetched got = fetch(s.url("stdout/job/7/txt_download", Duration.ofMinutes(5)));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body().length).isEqualTo(content.length);
        assertThat(Arrays.equals(got.body(), content)).as("the same bytes").isTrue();
        assertThat(got.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(got.contentDisposition()).isEqualTo("attachment; filename=\"job_7.txt\"");
    }

    @Test
    void smallAndEmptyDownloadsAreStoredToo() throws Exception {
        DownloadStore s = store();
        s.put("stdout/ad_hoc_command/3/ansi_download", new ByteArrayInputStream("ok\n".getBytes(StandardCharsets.UTF_8)),
                "text/plain; charset=utf-8", "ad_hoc_command_3.ansi.txt");
        s.put("stdout/job/4/txt_download", new ByteArrayInputStream(new byte[0]), "text/plain; charset=utf-8", "job_4.txt");
        Fetched small = fetch(s.url("stdout/ad_hoc_command/3/ansi_download", Duration.ofMinutes(5)));
        assertThat(new String(small.body(), StandardCharsets.UTF_8)).isEqualTo("ok\n");
        assertThat(small.contentDisposition()).isEqualTo("attachment; filename=\"ad_hoc_command_3.ansi.txt\"");
        assertThat(s.exists("stdout/job/4/txt_download")).isTrue();
        assertThat(fetch(s.url("stdout/job/4/txt_download", Duration.ofMinutes(5))).body()).isEmpty();
    }

    @Test
    void aSecondPutReplacesTheFirst() throws Exception {
        DownloadStore s = store();
        s.put("stdout/job/8/txt_download", new ByteArrayInputStream(text(LARGE)), "text/plain; charset=utf-8", "job_8.txt");
        s.put("stdout/job/8/txt_download", new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)),
                "text/plain; charset=utf-8", "job_8.txt");
        assertThat(new String(fetch(s.url("stdout/job/8/txt_download", Duration.ofMinutes(5))).body(), StandardCharsets.UTF_8))
                .isEqualTo("short\n");
    }

    @Test
    void aDownloadWhoseReadingFailsIsNotStoredAtAll() {
        DownloadStore s = store();
        byte[] before = text(LARGE - 1024 * 1024); // past the first part: a multipart upload is under way when it fails
        InputStream failing = new java.io.SequenceInputStream(new ByteArrayInputStream(before), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the events store went away");
            }
        });
        assertThatThrownBy(() -> s.put("stdout/job/9/txt_download", failing, "text/plain; charset=utf-8", "job_9.txt"))
                .isInstanceOf(IOException.class).hasMessageContaining("went away");
        assertThat(s.exists("stdout/job/9/txt_download")).as("no half download to serve").isFalse();
    }
}
