package dev.towerless.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.testing.FakeDownloadStore;
import dev.towerless.core.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StdoutDownloadsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final FakeDownloadStore store = new FakeDownloadStore(clock);
    private final StdoutDownloads downloads = StdoutDownloads.redirectingOver(1000, store, clock);
    private final AtomicInteger renders = new AtomicInteger();

    private static UnifiedJob job(long id, JobKind kind, JobStatus status) {
        return UnifiedJob.newPending(id, kind, "j", LaunchType.MANUAL, Instant.parse("2026-12-01T09:00:00Z"), Map.of())
                .with(Map.of(JobFields.STATUS, status.apiName()));
    }

    private Supplier<InputStream> text(String s) {
        return () -> {
            renders.incrementAndGet();
            return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
        };
    }

    private static EventExtent extent(String s) {
        return new EventExtent(1, 1, true, s.chars().filter(c -> c == '\n').count(), s.length());
    }

    @Test
    void withoutAThresholdEveryDownloadStreams() throws Exception {
        String big = "x".repeat(100_000) + "\n";
        assertThat(StdoutDownloads.streaming().answer(job(1, JobKind.JOB, JobStatus.SUCCESSFUL), "txt_download", extent(big),
                text(big))).isInstanceOf(StdoutDownloads.Stream.class);
        assertThat(renders).hasValue(0);
    }

    @Test
    void aDownloadTheExtentProvesSmallStreamsWithoutBeingRead() throws Exception {
        String small = "ok\n".repeat(50); // 150 characters and 50 lines: at most 1,200 bytes... over 1,000
        String smaller = "ok\n".repeat(40); // at most 960
        assertThat(downloads.answer(job(1, JobKind.JOB, JobStatus.SUCCESSFUL), "txt_download", extent(smaller), text(smaller)))
                .isInstanceOf(StdoutDownloads.Stream.class);
        assertThat(renders).hasValue(0);
        StdoutDownloads.Answer read = downloads.answer(job(1, JobKind.JOB, JobStatus.SUCCESSFUL), "txt_download", extent(small),
                text(small));
        assertThat(read).as("the bound could not clear it: read, and found small").isInstanceOf(StdoutDownloads.Whole.class);
        assertThat(new String(((StdoutDownloads.Whole) read).text(), StandardCharsets.UTF_8)).isEqualTo(small);
        assertThat(store.puts()).isZero();
    }

    @Test
    void aFinishedJobsLargeDownloadIsStoredOnceUnderItsKeyAndReused() throws Exception {
        String big = "line\n".repeat(400);
        UnifiedJob job = job(5, JobKind.PROJECT_UPDATE, JobStatus.FAILED);
        StdoutDownloads.Answer first = downloads.answer(job, "ansi_download", extent(big), text(big));
        assertThat(first).isInstanceOf(StdoutDownloads.Redirect.class);
        assertThat(store.keys()).containsExactly("stdout/project_update/5/ansi_download");
        FakeDownloadStore.Stored stored = store.fetch(((StdoutDownloads.Redirect) first).location()).orElseThrow();
        assertThat(new String(stored.content(), StandardCharsets.UTF_8)).isEqualTo(big);
        assertThat(stored.filename()).isEqualTo("project_update_5.ansi.txt");
        assertThat(stored.contentType()).isEqualTo("text/plain; charset=utf-8");

        StdoutDownloads.Answer second = downloads.answer(job, "ansi_download", extent(big), text(big));
        assertThat(second).isInstanceOf(StdoutDownloads.Redirect.class);
        assertThat(renders).as("the second download is not read again").hasValue(1);
        assertThat(store.puts()).isEqualTo(1);
        clock.advance(StdoutDownloads.URL_LIFETIME.plusSeconds(1));
        assertThat(store.fetch(((StdoutDownloads.Redirect) second).location())).as("the URL lives minutes").isEmpty();
    }

    @Test
    void aRunningJobsDownloadIsWrittenAnewEachTimeAndNeverUnderTheFinishedKey() throws Exception {
        UnifiedJob running = job(6, JobKind.JOB, JobStatus.RUNNING);
        String early = "line\n".repeat(300);
        String later = early + "more\n".repeat(300);
        var a = (StdoutDownloads.Redirect) downloads.answer(running, "txt_download", extent(early), text(early));
        clock.advance(Duration.ofSeconds(3));
        var b = (StdoutDownloads.Redirect) downloads.answer(running, "txt_download", extent(later), text(later));
        assertThat(new String(store.fetch(b.location()).orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo(later);
        assertThat(new String(store.fetch(a.location()).orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo(early);
        assertThat(store.exists(StdoutDownloads.key(running, "txt_download"))).isFalse();

        UnifiedJob finished = running.with(Map.of(JobFields.STATUS, JobStatus.SUCCESSFUL.apiName()));
        String all = later + "PLAY RECAP\n";
        var c = (StdoutDownloads.Redirect) downloads.answer(finished, "txt_download", extent(all), text(all));
        assertThat(new String(store.fetch(c.location()).orElseThrow().content(), StandardCharsets.UTF_8))
                .as("the finished text, not a running copy").isEqualTo(all);
    }

    @Test
    void theSizeThatCountsIsTheResponsesWhereEscapesAndNewlinesWeighMore() throws Exception {
        // 600 bytes of text, but each ESC takes 6 bytes in Lambda's JSON response and each newline 2: 3,150 in all
        String ansi = "\u001B\u001B\u001B\u001B\u001B\u001B\u001B\u001B\u001B\u001B\n".repeat(50)
                + "x".repeat(50);
        assertThat(ansi.getBytes(StandardCharsets.UTF_8)).hasSizeLessThan(1000);
        assertThat(downloads.answer(job(7, JobKind.AD_HOC_COMMAND, JobStatus.SUCCESSFUL), "ansi_download", extent(ansi), text(ansi)))
                .isInstanceOf(StdoutDownloads.Redirect.class);
        assertThat(StdoutDownloads.filename(job(7, JobKind.AD_HOC_COMMAND, JobStatus.SUCCESSFUL), "txt_download"))
                .isEqualTo("ad_hoc_command_7.txt");
    }
}
