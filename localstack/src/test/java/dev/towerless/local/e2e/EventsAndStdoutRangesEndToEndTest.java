package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.api.jobs.UnifiedJobController;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobOutput;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import dev.towerless.local.bench.ItemsRead;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * stdout/ ranges and events pages of jobs of thousands of lines, through HTTP: the same text as
 * the whole stdout cut where asked, read from the line marks (a few dozen items, not the job);
 * events paged by counter; downloads whole; AWX's "too large to display".
 */
class EventsAndStdoutRangesEndToEndTest {
    private final ApiClient api = LocalStackFixture.admin();
    private final ResourceStore store = LocalStackFixture.stack().context().getBean(ResourceStore.class);
    private final JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
    private final EventStore events = LocalStackFixture.stack().context().getBean(EventStore.class);

    private long finishedJob() {
        long id = store.nextId(LaunchService.JOB_SEQUENCE);
        Instant now = Instant.now();
        UnifiedJob j = UnifiedJob.newPending(id, JobKind.JOB, "chatty-" + id, LaunchType.MANUAL, now, Map.of());
        jobs.insert(j.with(Map.of(JobFields.STATUS, JobStatus.SUCCESSFUL.apiName(), JobFields.FINISHED, Timestamps.format(now))));
        return id;
    }

    /** Ansible-like output: results in colour, silent events, multi-line tasks, blank lines. */
    private static List<JobEvent> chatty(long job, int n) {
        Random r = new Random(job);
        List<JobEvent> out = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
            String stdout = switch (r.nextInt(4)) {
                case 0 -> "";
                case 1 -> "\u001B[0;32mok: [host-" + c + "] <b>&amp;</b>\u001B[0m";
                case 2 -> "\nTASK [task " + c + "] ***\nchanged: [web]\n";
                default -> "verbose " + c;
            };
            out.add(new JobEvent(job, c, c % 3 == 0 ? "runner_on_ok" : "verbose", "u-" + c, c % 2 == 0 ? "web" : null,
                    null, null, null, stdout, 0, 0, "2026-11-28T10:00:00.000000Z", c % 7 == 0, false, Map.of()));
        }
        return out;
    }

    private void writeAsTheRunner(List<JobEvent> all) {
        JobOutput.Writer writer = new JobOutput.Writer(events);
        for (int i = 0; i < all.size(); i += 500) {
            writer.append(all.subList(i, Math.min(all.size(), i + 500)));
        }
    }

    private static List<String> lines(String text) {
        List<String> l = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        l.remove(l.size() - 1);
        return l;
    }

    private static String join(List<String> lines) {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    @Test
    void rangesOfAJobOfThousandsOfLinesAreTheSameLinesOfTheWholeTextAndReadOnlyNearThem() {
        long job = finishedJob();
        writeAsTheRunner(chatty(job, 3_000));
        String base = "jobs/" + job + "/stdout/";
        List<String> ansi = lines(api.get(base + "?format=ansi").body());
        List<String> txt = lines(api.get(base + "?format=txt").body());
        assertThat(ansi).hasSizeGreaterThan(3_000).hasSameSizeAs(txt);
        assertThat(txt).noneMatch(l -> l.contains("\u001B"));
        Random r = new Random(3);
        for (int i = 0; i < 25; i++) {
            int from = i == 0 ? 0 : i == 1 ? ansi.size() - 7 : r.nextInt(ansi.size());
            int to = from + 1 + r.nextInt(80);
            String q = "?start_line=" + from + "&end_line=" + to;
            List<String> wantAnsi = ansi.subList(from, Math.min(to, ansi.size()));
            List<String> wantTxt = txt.subList(from, Math.min(to, txt.size()));
            assertThat(api.get(base + q + "&format=ansi").body()).as(q).isEqualTo(join(wantAnsi));
            assertThat(api.get(base + q + "&format=txt").body()).as(q).isEqualTo(join(wantTxt));
            Map<String, Object> json = api.get(base + q + "&format=json").json();
            assertThat(json.get("content")).isEqualTo(join(wantTxt));
            assertThat(json.get("range")).isEqualTo(Map.of("start", from, "end", Math.min(to, txt.size()), "absolute_end", txt.size()));
            assertThat(api.get(base + q + "&format=html").body()).contains("<pre>" + join(wantTxt)
                    .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</pre>");
            assertThat(api.get(base + q + "&format=txt_download").body()).isEqualTo(join(wantTxt));
        }
        assertThat(api.get(base + "?start_line=" + (txt.size() + 5) + "&format=json").json().get("range"))
                .isEqualTo(Map.of("start", txt.size() + 5, "end", txt.size() + 5, "absolute_end", txt.size()));
        long items = eventItemsRead(() -> api.get(base + "?format=json&start_line=1500&end_line=1520"));
        assertThat(items).as("20 lines read from the mark before them, not 3,000 events").isLessThan(2 * 20 + 60);
    }

    /**
     * A job's output polled (the UI's output pane, {@code awx jobs stdout} while it runs): from the
     * second poll of a URL the job comes in the token's batch read, one read call less than a URL
     * asked for the first time, and the same answer.
     */
    @Test
    void aPolledRangeOrPageOfOutputReadsTheJobBesideTheToken() {
        long job = finishedJob();
        writeAsTheRunner(chatty(job, 600));
        for (String kind : List.of("stdout/?format=json&start_line=", "job_events/?page_size=20&page=")) {
            String base = "jobs/" + job + "/" + kind;
            boolean stdout = kind.startsWith("stdout");
            long unhinted = Long.MAX_VALUE;
            for (int i = 2; i <= 4; i++) { // the fewest of three: the stack's own passes may read meanwhile
                String url = base + (stdout ? (100 * i) + "&end_line=" + (100 * i + 20) : i);
                unhinted = Math.min(unhinted, ItemsRead.callsDuring(() -> assertThat(api.get(url).status()).isEqualTo(200)));
            }
            String polled = base + (stdout ? "300&end_line=320" : "3");
            String first = api.get(polled).body();
            long hinted = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                hinted = Math.min(hinted, ItemsRead.callsDuring(() -> assertThat(api.get(polled).body()).isEqualTo(first)));
            }
            assertThat(hinted).as(polled).isEqualTo(unhinted - 1);
            if (stdout) {
                assertThat(api.get(polled).json().get("range")).isEqualTo(Map.of("start", 300, "end", 320, "absolute_end",
                        lines(api.get("jobs/" + job + "/stdout/?format=txt").body()).size()));
            } else {
                assertThat(counters(api.get(polled).json())).as("page 3 of 20").hasSize(20).startsWith(41).endsWith(60);
            }
        }
    }

    @Test
    void eventsWrittenWithoutAnExtentAreReadWholeOnceThenServedByTheirMarks() {
        long job = finishedJob();
        List<JobEvent> all = chatty(job, 2_000);
        for (int i = 0; i < all.size(); i += 500) {
            events.append(all.subList(i, i + 500)); // an older runner: events only
        }
        String base = "jobs/" + job + "/stdout/";
        List<String> whole = lines(api.get(base + "?format=ansi&start_line=0&end_line=100000").body());
        long items = eventItemsRead(() ->
                assertThat(api.get(base + "?format=ansi&start_line=700&end_line=720").body()).isEqualTo(join(whole.subList(700, 720))));
        assertThat(items).isLessThan(100);
        assertThat(api.get(base + "?format=ansi").body()).isEqualTo(join(whole));
    }

    @Test
    void eventsArePagedAndCountedByCounter() {
        long job = finishedJob();
        writeAsTheRunner(chatty(job, 2_500));
        String list = "jobs/" + job + "/job_events/";
        Map<String, Object> page3 = api.get(list + "?page=3&page_size=20").json();
        assertThat(page3.get("count")).isEqualTo(2_500);
        assertThat(counters(page3)).hasSize(20).startsWith(41).endsWith(60);
        assertThat(page3.get("next")).asString().contains("page=4");
        assertThat(counters(api.get(list + "?order_by=-counter&page_size=5").json())).containsExactly(2500, 2499, 2498, 2497, 2496);
        Map<String, Object> after = api.get(list + "?counter__gt=2490&page_size=200").json();
        assertThat(after.get("count")).isEqualTo(10);
        assertThat(counters(after)).startsWith(2491).endsWith(2500);
        assertThat(counters(api.get(list + "?counter__gte=10&counter__lt=13&order_by=counter").json())).containsExactly(10, 11, 12);
        long items = eventItemsRead(() -> api.get(list + "?page=100&page_size=20"));
        assertThat(items).as("a deep page reads its own events").isLessThanOrEqualTo(2 * 20 + 5);
        // other filters still work, through the bounded scan
        Map<String, Object> failed = api.get(list + "?failed=true&page_size=200").json();
        assertThat(failed.get("count")).isEqualTo(2_500 / 7);
        assertThat(api.get(list + "?host_name=web&event=runner_on_ok&page_size=1").json().get("count")).isEqualTo(2_500 / 6);
    }

    /**
     * Items of the events table (events, extents, line marks) one request reads: the fewest of
     * three, as the stack's own passes and other tests' running jobs read and write meanwhile.
     */
    private static long eventItemsRead(Runnable request) {
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            fewest = Math.min(fewest, ItemsRead.during(request, table -> table.endsWith("events")));
        }
        return fewest;
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> counters(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("results")).stream().map(e -> ((Number) e.get("counter")).intValue()).toList();
    }

    @Test
    void aFilteredListOfAHugeJobSaysItLookedAtItsFirstEventsOnly() throws Exception {
        long job = finishedJob();
        List<JobEvent> all = new ArrayList<>();
        for (int c = 1; c <= UnifiedJobController.EVENT_SCAN_BUDGET + 50; c++) {
            all.add(new JobEvent(job, c, "runner_on_ok", null, null, null, null, null, "ok " + c, 0, 0,
                    "2026-11-28T10:00:00.000000Z", c > UnifiedJobController.EVENT_SCAN_BUDGET, false, Map.of()));
        }
        writeAsTheRunner(all);
        HttpResponse<String> filtered = raw("jobs/" + job + "/job_events/?failed=true");
        assertThat(filtered.headers().firstValue(UnifiedJobController.SCAN_HEADER)).contains(
                Integer.toString(UnifiedJobController.EVENT_SCAN_BUDGET));
        assertThat(raw("jobs/" + job + "/job_events/?page=2").headers().firstValue(UnifiedJobController.SCAN_HEADER)).isEmpty();
        HttpResponse<String> download = raw("jobs/" + job + "/stdout/?format=txt_download");
        assertThat(download.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"job_" + job + ".txt\"");
        assertThat(lines(download.body())).hasSize(all.size()).endsWith("ok " + all.size());
    }

    @Test
    void displayFormatsRefuseAStdoutOverTheDisplayLimitAsAwxDoes() {
        long job = finishedJob();
        writeAsTheRunner(chatty(job, 200));
        String base = "jobs/" + job + "/stdout/";
        String whole = api.get(base + "?format=txt_download").body();
        assertThat(api.patch("settings/jobs/", Map.of("STDOUT_MAX_BYTES_DISPLAY", 100)).status()).isEqualTo(200);
        try {
            assertThat(api.get(base + "?format=txt").body()).matches(
                    "Standard Output too large to display \\(\\d+ bytes\\), only download supported for sizes over 100 bytes\\.");
            Map<String, Object> json = api.get(base + "?format=json&start_line=0&end_line=5").json();
            assertThat(json.get("range")).isEqualTo(Map.of("start", 0, "end", 1, "absolute_end", 1));
            assertThat(json.get("content")).asString().startsWith("Standard Output too large to display");
            assertThat(api.get(base + "?format=txt_download").body()).isEqualTo(whole);
        } finally {
            api.patch("settings/jobs/", Map.of("STDOUT_MAX_BYTES_DISPLAY", 1048576));
        }
        assertThat(api.get(base + "?format=txt").body()).isEqualTo(whole);
    }

    private static HttpResponse<String> raw(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(LocalStackFixture.stack().apiUrl() + path))
                .header("Authorization", "Bearer " + LocalStackFixture.stack().adminToken()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
