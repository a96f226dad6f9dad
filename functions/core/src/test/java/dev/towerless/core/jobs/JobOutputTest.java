package dev.towerless.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.testing.FakeStores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JobOutputTest {
    private final FakeStores.Events store = new FakeStores.Events();
    private final JobOutput output = new JobOutput(store);

    /** Events as ansible writes them: one-line results, silent task starts, multi-line debug output, colour. */
    private static List<JobEvent> chatty(long job, int n) {
        Random r = new Random(14);
        List<JobEvent> out = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
            String stdout = switch (r.nextInt(5)) {
                case 0 -> "";
                case 1 -> "\u001B[0;32mok: [host-" + c + "]\u001B[0m";
                case 2 -> "TASK [t" + c + "] ***\nline a\n\nline c";
                case 3 -> "trailing newline " + c + "\n";
                default -> "x".repeat(r.nextInt(3) * 120 + 1) + " " + c;
            };
            out.add(new JobEvent(job, c, "runner_on_ok", null, null, null, null, null, stdout, 0, 0,
                    "2026-11-28T10:00:00.000000Z", false, false, Map.of()));
        }
        return out;
    }

    /** The whole text as stdout/ has always rendered it: each non-empty stdout and a newline. */
    private static List<String> wholeLines(List<JobEvent> events) {
        StringBuilder all = new StringBuilder();
        events.stream().filter(e -> !e.stdout().isEmpty()).forEach(e -> all.append(e.stdout()).append('\n'));
        String[] lines = all.toString().split("\n", -1);
        return Arrays.asList(lines).subList(0, all.length() == 0 ? 0 : lines.length - 1);
    }

    private void write(List<JobEvent> events, int batch) {
        JobOutput.Writer writer = new JobOutput.Writer(store);
        for (int i = 0; i < events.size(); i += batch) {
            writer.append(events.subList(i, Math.min(events.size(), i + batch)));
        }
    }

    @Test
    void everyRangeReadFromTheMarksEqualsTheSameLinesOfTheWholeText() {
        List<JobEvent> events = chatty(1, 3_000);
        write(events, 500);
        List<String> whole = wholeLines(events);
        assertThat(whole.size()).isGreaterThan(3_000);
        EventExtent extent = output.extent(1).orElseThrow();
        assertThat(extent.lines()).isEqualTo(whole.size());
        assertThat(extent.events()).isEqualTo(3_000);
        assertThat(extent.chars()).isEqualTo(events.stream().mapToLong(e -> e.stdout().length()).sum());
        Random r = new Random(1);
        for (int i = 0; i < 300; i++) {
            int from = r.nextInt(whole.size());
            int to = Math.min(whole.size(), from + 1 + r.nextInt(i % 10 == 0 ? 2_000 : 60));
            assertThat(output.lines(1, from, to)).as("lines %d to %d", from, to).contains(whole.subList(from, to));
        }
        assertThat(output.lines(1, 0, whole.size())).contains(whole);
        assertThat(output.lines(1, whole.size() - 1, whole.size())).contains(List.of(whole.get(whole.size() - 1)));
    }

    /**
     * Read before the extent says where the output ends, a range is the same lines as read after it,
     * or a prefix of them (one read of events may hold fewer), never other lines; past the end it is
     * the lines up to the end.
     */
    @Test
    void aRangeReadAheadIsThoseLinesOrAPrefixOfThem() {
        List<JobEvent> events = chatty(1, 3_000);
        write(events, 500);
        List<String> whole = wholeLines(events);
        Random r = new Random(2);
        int exact = 0;
        for (int i = 0; i < 300; i++) {
            int from = r.nextInt(whole.size());
            int to = from + 1 + r.nextInt(i % 10 == 0 ? 2_000 : 60);
            List<String> want = whole.subList(from, Math.min(whole.size(), to));
            List<String> ahead = output.linesAhead(1, from, to).orElseThrow();
            assertThat(want).as("lines %d to %d", from, to).startsWith(ahead.toArray(String[]::new));
            exact += ahead.size() == want.size() ? 1 : 0;
        }
        assertThat(exact).as("the short ranges a UI pages by are whole").isGreaterThan(250);
        assertThat(output.linesAhead(1, whole.size() - 5, whole.size() + 50)).contains(whole.subList(whole.size() - 5, whole.size()));
        assertThat(output.linesAhead(3, 0, 10)).as("no marks").isEmpty();
    }

    /** A page takes the events read for it beside the extent only where they start where it does. */
    @Test
    void aGuessedPageIsTakenOnlyWhereItStartsWhereThePageDoes() {
        write(chatty(7, 1_000), 250);
        for (boolean descending : List.of(false, true)) {
            for (int page : List.of(1, 3, 50, 51)) {
                int p = page;
                Optional<JobOutput.EventPage> plain = output.page(7, 0, Long.MAX_VALUE, descending, p, 20);
                assertThat(output.page(7, 0, Long.MAX_VALUE, descending, p, 20,
                        () -> output.pageGuess(7, 0, Long.MAX_VALUE, descending, p, 20)))
                        .as("page %d %s", p, descending ? "descending" : "ascending").isEqualTo(plain);
                assertThat(output.page(7, 0, Long.MAX_VALUE, descending, p, 20,
                        () -> output.pageGuess(7, 0, Long.MAX_VALUE, false, p + 1, 20)))
                        .as("another page's events are not taken").isEqualTo(plain);
            }
        }
        assertThat(output.page(7, 100, 131, true, 1, 20, () -> output.pageGuess(7, 100, 131, true, 1, 20)).orElseThrow().events())
                .extracting(JobEvent::counter).startsWith(130L).endsWith(111L);
        assertThat(output.pageGuess(7, 0, Long.MAX_VALUE, true, 2, 20)).as("only the extent places a later descending page").isNull();
    }

    @Test
    void whatARunnerRecordedWithoutMarksOrWithAGapIsNotTrusted() {
        write(chatty(2, 100), 30);
        assertThat(output.extent(2)).isPresent();
        store.putExtent(2, new EventExtent(99, 100, true, 10, 10)); // a lost event: counters are no ordinals
        assertThat(output.extent(2)).isEmpty();
        assertThat(output.page(2, 0, Long.MAX_VALUE, false, 1, 20)).isEmpty();
        assertThat(output.lines(3, 0, 10)).as("no marks").isEmpty();

        List<JobEvent> gap = new ArrayList<>(chatty(4, 50));
        gap.remove(10);
        write(gap, 25);
        assertThat(output.extent(4)).as("a writer that saw a gap says so").isEmpty();
    }

    @Test
    void aMarkThatDoesNotHoldItsLineIsRefused() {
        List<JobEvent> events = chatty(5, 400);
        write(events, 100);
        store.putLineMarks(5, List.of(new LineMark(3, 1, 0))); // points at the first event for line 150
        assertThat(output.lines(5, 160, 170)).isEmpty();
    }

    @Test
    void eventsStoredAfterTheExtentAreCountedWhileTheirBatchIsWritten() {
        List<JobEvent> events = chatty(6, 120);
        write(events.subList(0, 100), 100);
        store.append(events.subList(100, 120)); // the runner's next batch, extent not yet updated
        assertThat(output.extent(6).orElseThrow().events()).isEqualTo(120);
        assertThat(output.page(6, 0, Long.MAX_VALUE, true, 1, 5).orElseThrow().events())
                .extracting(JobEvent::counter).containsExactly(120L, 119L, 118L, 117L, 116L);
    }

    @Test
    void pagesAndCountsByCounterArithmetic() {
        write(chatty(7, 1_000), 250);
        JobOutput.EventPage p3 = output.page(7, 0, Long.MAX_VALUE, false, 3, 20).orElseThrow();
        assertThat(p3.count()).isEqualTo(1_000);
        assertThat(p3.events()).extracting(JobEvent::counter).hasSize(20).startsWith(41L).endsWith(60L);
        JobOutput.EventPage desc = output.page(7, 0, Long.MAX_VALUE, true, 2, 10).orElseThrow();
        assertThat(desc.events()).extracting(JobEvent::counter).startsWith(990L).endsWith(981L);
        JobOutput.EventPage window = output.page(7, 100, 131, false, 2, 20).orElseThrow();
        assertThat(window.count()).isEqualTo(30);
        assertThat(window.events()).extracting(JobEvent::counter).containsExactly(121L, 122L, 123L, 124L, 125L, 126L,
                127L, 128L, 129L, 130L);
        assertThat(output.page(7, 0, Long.MAX_VALUE, false, 51, 20).orElseThrow().events()).isEmpty();
        assertThat(output.page(7, 2_000, Long.MAX_VALUE, false, 1, 20).orElseThrow().count()).isZero();
    }

    @Test
    void rememberingAWholeReadServesTheNextOne() {
        List<JobEvent> events = chatty(8, 500);
        store.append(events);
        assertThat(output.extent(8)).isEmpty();
        output.remember(8, store.all(8));
        List<String> whole = wholeLines(events);
        assertThat(output.extent(8).orElseThrow().lines()).isEqualTo(whole.size());
        assertThat(output.lines(8, 200, 260)).contains(whole.subList(200, 260));
    }
}
