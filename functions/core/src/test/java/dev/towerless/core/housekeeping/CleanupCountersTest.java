package dev.towerless.core.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobCounters;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.PageRequest;
import dev.towerless.core.testing.FakeStores;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The nightly cleanup_jobs run puts right the list counters a writer that died halfway left wrong. */
class CleanupCountersTest {
    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");

    @Test
    void theNightlyCleanupRepairsACounterThatDriftedAndCountsWhatItRemoved() {
        FakeStores.Jobs jobs = new FakeStores.Jobs();
        for (int i = 1; i <= 6; i++) {
            Instant at = NOW.minusSeconds(86_400L * (i <= 2 ? 200 : 1));
            UnifiedJob j = UnifiedJob.newPending(i, JobKind.JOB, "j" + i, LaunchType.MANUAL, at, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 7L));
            jobs.insert(j.with(JobTransitions.changesFor(j, JobStatus.CANCELED, at)));
        }
        // a writer stored job 7 and died before its counters moved
        jobs.insert(UnifiedJob.newPending(7, JobKind.JOB, "j7", LaunchType.MANUAL, NOW, Map.of()));
        jobs.setCounter(JobCounters.ofKind(JobKind.JOB), 6);
        assertThat(jobs.list(JobKind.JOB, new PageRequest(1, 25, false)).count()).isEqualTo(6);
        List<String> log = new ArrayList<>();
        new Cleanup(jobs, new FakeStores.Events(), new FakeStores.Resources(), Clock.fixed(NOW, ZoneOffset.UTC))
                .jobsOlderThan(90, log::add);
        assertThat(jobs.list(JobKind.JOB, new PageRequest(1, 25, false)).count()).as("5 kept, job 7 counted").isEqualTo(5);
        assertThat(jobs.ofTemplate(7, new PageRequest(1, 25, false)).count()).isEqualTo(4);
        assertThat(log).contains("Job counters corrected: {count#job=5}");
    }
}
