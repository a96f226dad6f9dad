package dev.towerless.core.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.EventExtent;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.LineMark;
import dev.towerless.core.ports.EventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link EventStore} backend must do. */
public abstract class EventStoreContract {

    protected abstract EventStore store();

    @Test
    void returnsEventsInCounterOrderPerJob() {
        EventStore s = store();
        s.append(List.of(event(1, 3, "c"), event(1, 1, "a"), event(2, 1, "other job"), event(1, 2, "b")));
        assertThat(s.after(1, 0, 100)).extracting(JobEvent::stdout).containsExactly("a", "b", "c");
        assertThat(s.after(1, 1, 100)).extracting(JobEvent::counter).containsExactly(2L, 3L);
        assertThat(s.after(1, 0, 2)).extracting(JobEvent::counter).containsExactly(1L, 2L);
        assertThat(s.after(3, 0, 100)).isEmpty();
    }

    @Test
    void aPageOfLargeEventsIsWholePastOneMegabyte() {
        // DynamoDB ends a Query at 1 MB: 1,500 events of 2 KB of output are three of them, and a short page is not the end
        EventStore s = store();
        String output = "x".repeat(2048);
        List<JobEvent> events = new ArrayList<>();
        for (int c = 1; c <= 1_500; c++) {
            events.add(event(77, c, output));
        }
        for (int i = 0; i < events.size(); i += 500) {
            s.append(events.subList(i, i + 500));
        }
        assertThat(s.after(77, 0, 1000)).hasSize(1000).extracting(JobEvent::counter).startsWith(1L).endsWith(1000L);
        assertThat(s.after(77, 1000, 1000)).hasSize(500);
        assertThat(s.before(77, 1501, 1200)).hasSize(1200).extracting(JobEvent::counter).startsWith(1500L).endsWith(301L);
        assertThat(s.all(77)).hasSize(1500);
    }

    @Test
    void writingTheSameBatchTwiceStoresEachEventOnce() {
        EventStore s = store();
        List<JobEvent> batch = List.of(event(5, 1, "x"), event(5, 2, "y"));
        s.append(batch);
        s.append(batch);
        assertThat(s.all(5)).hasSize(2);
    }

    @Test
    void deletesEveryEventOfOneJobOnly() {
        EventStore s = store();
        List<JobEvent> many = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            many.add(event(11, i, "x"));
        }
        many.add(event(12, 1, "other"));
        s.append(many);
        assertThat(s.deleteAll(11)).isEqualTo(60);
        assertThat(s.all(11)).isEmpty();
        assertThat(s.all(12)).hasSize(1);
    }

    @Test
    void keepsEveryFieldOfAnEvent() {
        EventStore s = store();
        JobEvent e = new JobEvent(9, 4, "runner_on_failed", "u-1", "web1", "Play", "Task", "role", "fatal: boom",
                10, 12, "2026-11-28T10:00:00.000000Z", true, false, Map.of("res", Map.of("msg", "boom"), "task_action", "fail"));
        s.append(List.of(e));
        assertThat(s.all(9)).containsExactly(e);
    }

    @Test
    void pagesThroughLargeJobs() {
        EventStore s = store();
        List<JobEvent> many = new ArrayList<>();
        for (int i = 1; i <= 2_500; i++) {
            many.add(event(7, i, "line " + i));
        }
        s.append(many);
        List<JobEvent> all = s.all(7);
        assertThat(all).hasSize(2_500);
        assertThat(all.get(2_499).stdout()).isEqualTo("line 2500");
    }

    @Test
    void readsBackwardsFromACounter() {
        EventStore s = store();
        List<JobEvent> many = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            many.add(event(4, i, "line " + i));
        }
        many.add(event(5, 1, "other job"));
        s.append(many);
        assertThat(s.before(4, 31, 3)).extracting(JobEvent::counter).containsExactly(30L, 29L, 28L);
        assertThat(s.before(4, 10, 100)).extracting(JobEvent::counter).hasSize(9).startsWith(9L).endsWith(1L);
        assertThat(s.before(4, 1, 10)).isEmpty();
        assertThat(s.before(6, 100, 10)).isEmpty();
    }

    @Test
    void keepsTheLatestExtentOfAJob() {
        EventStore s = store();
        assertThat(s.extent(8)).isEmpty();
        s.putExtent(8, new EventExtent(10, 10, true, 12, 300));
        s.putExtent(8, new EventExtent(20, 21, false, 25, 610));
        assertThat(s.extent(8)).contains(new EventExtent(20, 21, false, 25, 610));
        assertThat(s.extent(9)).isEmpty();
    }

    @Test
    void keepsLineMarksByBucket() {
        EventStore s = store();
        s.putLineMarks(6, List.of(new LineMark(0, 1, 0), new LineMark(1, 40, 48)));
        s.putLineMarks(6, List.of(new LineMark(1, 40, 48), new LineMark(2, 77, 100)));
        s.putLineMarks(6, List.of());
        assertThat(s.lineMark(6, 1)).contains(new LineMark(1, 40, 48));
        assertThat(s.lineMark(6, 2)).contains(new LineMark(2, 77, 100));
        assertThat(s.lineMark(6, 3)).isEmpty();
        assertThat(s.lineMark(7, 0)).isEmpty();
    }

    @Test
    void extentAndMarksAreNoEventsAndGoWithTheJob() {
        EventStore s = store();
        s.append(List.of(event(3, 1, "a"), event(3, 2, "b")));
        s.putExtent(3, new EventExtent(2, 2, true, 2, 2));
        List<LineMark> marks = new ArrayList<>();
        for (int b = 0; b < 40; b++) {
            marks.add(new LineMark(b, 1, 0));
        }
        s.putLineMarks(3, marks);
        assertThat(s.after(3, 0, 100)).extracting(JobEvent::counter).containsExactly(1L, 2L);
        assertThat(s.before(3, Long.MAX_VALUE, 100)).extracting(JobEvent::counter).containsExactly(2L, 1L);
        assertThat(s.all(3)).hasSize(2);
        assertThat(s.deleteAll(3)).as("only events are counted").isEqualTo(2);
        assertThat(s.extent(3)).isEmpty();
        assertThat(s.lineMark(3, 0)).isEmpty();
        assertThat(s.lineMark(3, 39)).isEmpty();
    }

    static JobEvent event(long job, long counter, String stdout) {
        return new JobEvent(job, counter, "verbose", null, null, null, null, null, stdout, (int) counter - 1,
                (int) counter, "2026-11-28T10:00:00.000000Z", false, false, Map.of());
    }
}
