package dev.towerless.core.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.HostSummary;
import dev.towerless.core.ports.HostSummaryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link HostSummaryStore} backend must do. */
public abstract class HostSummaryStoreContract {

    protected abstract HostSummaryStore store();

    static HostSummary summary(long job, int ordinal, Long host, String name, int failures) {
        return new HostSummary(HostSummary.idFor(job, ordinal), job, host, name,
                Map.of("ok", 3, "failures", failures, "changed", 1), "2026-12-01T10:00:00.000000Z");
    }

    @Test
    void keepsEveryFieldAndFindsBySummaryId() {
        HostSummaryStore s = store();
        HostSummary web1 = summary(7, 0, 41L, "web1", 1);
        HostSummary orphan = summary(7, 1, null, "added-by-add_host", 0);
        s.putAll(List.of(web1, orphan));
        assertThat(s.find(web1.id())).contains(web1);
        assertThat(s.find(orphan.id())).contains(orphan);
        assertThat(s.find(HostSummary.idFor(8, 0))).isEmpty();
        assertThat(s.find(web1.id()).orElseThrow().failed()).isTrue();
    }

    @Test
    void writingTheSameSummariesAgainStoresThemOnce() {
        HostSummaryStore s = store();
        List<HostSummary> rows = List.of(summary(3, 0, 1L, "a", 0), summary(3, 1, 2L, "b", 0));
        s.putAll(rows);
        s.putAll(rows);
        assertThat(s.ofJob(3)).containsExactlyElementsOf(rows);
        assertThat(s.ofHost(1, 10)).hasSize(1);
    }

    @Test
    void listsAJobsSummariesAndAHostsNewestFirst() {
        HostSummaryStore s = store();
        s.putAll(List.of(summary(10, 0, 5L, "web1", 0), summary(10, 1, 6L, "web2", 0)));
        s.putAll(List.of(summary(12, 0, 5L, "web1", 1)));
        s.putAll(List.of(summary(11, 0, 5L, "web1", 0), summary(11, 1, null, "ghost", 0)));
        assertThat(s.ofJob(10)).extracting(HostSummary::hostName).containsExactly("web1", "web2");
        assertThat(s.ofJob(11)).extracting(HostSummary::hostName).containsExactly("web1", "ghost");
        assertThat(s.ofHost(5, 10)).extracting(HostSummary::jobId).containsExactly(12L, 11L, 10L);
        assertThat(s.ofHost(5, 2)).extracting(HostSummary::jobId).containsExactly(12L, 11L);
        assertThat(s.ofHost(99, 10)).isEmpty();
    }

    /** A host's Jobs tab reads as many of its summaries as it asks for, past one page of the store. */
    @Test
    void aHostThatRanInManyJobsIsReadUpToTheLimit() {
        HostSummaryStore s = store();
        List<HostSummary> rows = new ArrayList<>();
        for (int job = 1; job <= 1300; job++) {
            rows.add(summary(job, 0, 9L, "busy", 0));
        }
        s.putAll(rows);
        List<HostSummary> newest = s.ofHost(9, 1200);
        assertThat(newest).hasSize(1200);
        assertThat(newest.get(0).jobId()).isEqualTo(1300L);
        assertThat(newest.get(1199).jobId()).isEqualTo(101L);
        assertThat(s.ofHost(9, 5000)).hasSize(1300);
    }

    @Test
    void aJobWithManyHostsIsReadWhole() {
        HostSummaryStore s = store();
        List<HostSummary> rows = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            rows.add(summary(20, i, (long) i + 1, "host-" + i, i % 7 == 0 ? 1 : 0));
        }
        s.putAll(rows);
        assertThat(s.ofJob(20)).hasSize(1200);
        assertThat(s.deleteOfJob(20)).isEqualTo(1200);
        assertThat(s.ofJob(20)).isEmpty();
        assertThat(s.ofHost(1, 5)).isEmpty();
    }
}
