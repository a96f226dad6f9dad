package dev.towerless.core.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.ConflictException;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.Page;
import dev.towerless.core.ports.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link JobStore} backend must do. Each backend extends this with its own store. */
public abstract class JobStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    /** A fresh, empty store. */
    protected abstract JobStore store();

    /** Sets one of the store's counters, as a writer that died between a job's write and its counter's leaves it. */
    protected abstract void breakCounter(JobStore store, String name, long value);

    @Test
    void storesAndReadsAJobWithAllItsFieldTypes() {
        JobStore s = store();
        UnifiedJob j = job(1, JobKind.JOB, 0, Map.of(JobFields.CREDENTIALS, List.of(3L, 4L),
                JobFields.LAUNCHED_BY, Map.of("id", 1L, "name", "admin"), JobFields.INVENTORY, 7L));
        s.insert(j);
        UnifiedJob read = s.find(1).orElseThrow();
        assertThat(read.fields()).containsAllEntriesOf(j.fields());
        assertThat(read.longList(JobFields.CREDENTIALS)).containsExactly(3L, 4L);
        assertThat(read.elapsed()).isZero();
        assertThat(read.get(JobFields.STARTED)).isNull();
        assertThat(s.find(999)).isEmpty();
    }

    @Test
    void readsManyJobsAtOnceLeavingOutMissingIds() {
        JobStore s = store();
        s.insert(job(1, JobKind.JOB, 0, Map.of()));
        s.insert(job(2, JobKind.PROJECT_UPDATE, 0, Map.of()));
        assertThat(s.findMany(List.of(1L, 2L, 3L, 1L)).keySet()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(s.findMany(List.of())).isEmpty();
    }

    @Test
    void onlyFinishedJobsCanBeDeleted() {
        JobStore s = store();
        UnifiedJob j = job(1, JobKind.JOB, 0, Map.of());
        s.insert(j);
        assertThat(s.deleteIfFinished(1)).isFalse();
        s.updateIfStatus(1, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.CANCELED, T0));
        assertThat(s.deleteIfFinished(1)).isTrue();
        assertThat(s.find(1)).isEmpty();
        assertThat(s.deleteIfFinished(1)).isFalse();
    }

    @Test
    void aSecondInsertWithTheSameIdConflicts() {
        JobStore s = store();
        s.insert(job(1, JobKind.JOB, 0, Map.of()));
        assertThatThrownBy(() -> s.insert(job(1, JobKind.PROJECT_UPDATE, 0, Map.of()))).isInstanceOf(ConflictException.class);
        assertThat(s.find(1).orElseThrow().kind()).isEqualTo(JobKind.JOB);
    }

    @Test
    void aTransitionAppliesOnlyFromTheExpectedStatus() {
        JobStore s = store();
        UnifiedJob j = job(1, JobKind.JOB, 0, Map.of());
        s.insert(j);
        Map<String, Object> toWaiting = JobTransitions.changesFor(j, JobStatus.WAITING, T0);
        assertThat(s.updateIfStatus(1, JobStatus.WAITING, toWaiting)).isEmpty();
        assertThat(s.find(1).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        Optional<UnifiedJob> moved = s.updateIfStatus(1, JobStatus.PENDING, toWaiting);
        assertThat(moved).map(UnifiedJob::status).contains(JobStatus.WAITING);
        // The same message delivered twice changes nothing the second time.
        assertThat(s.updateIfStatus(1, JobStatus.PENDING, toWaiting)).isEmpty();
        assertThat(s.updateIfStatus(404, JobStatus.PENDING, toWaiting)).isEmpty();
    }

    @Test
    void aWriteDecidedOnAReadFailsIfTheFieldMovedOnMeanwhile() {
        JobStore s = store();
        UnifiedJob j = job(1, JobKind.JOB, 0, Map.of());
        s.insert(j);
        UnifiedJob waiting = s.updateIfStatus(1, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.WAITING, T0)).orElseThrow();
        UnifiedJob running = s.updateIfStatus(1, JobStatus.WAITING, JobTransitions.changesFor(waiting, JobStatus.RUNNING, T0))
                .orElseThrow();
        Map<String, Object> toFailed = JobTransitions.changesFor(running, JobStatus.FAILED, T0);
        // never a heartbeat yet: "absent" is what was seen
        s.updateIfActive(1, Map.of(JobFields.LAST_HEARTBEAT, "2026-01-01T00:00:01Z"));
        assertThat(s.updateIfStatusAndUnchanged(1, JobStatus.RUNNING, JobFields.LAST_HEARTBEAT, null, toFailed)).isEmpty();
        assertThat(s.updateIfStatusAndUnchanged(1, JobStatus.RUNNING, JobFields.LAST_HEARTBEAT, "2026-01-01T00:00:00Z", toFailed))
                .isEmpty();
        assertThat(s.find(1).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(s.updateIfStatusAndUnchanged(1, JobStatus.RUNNING, JobFields.LAST_HEARTBEAT, "2026-01-01T00:00:01Z", toFailed))
                .map(UnifiedJob::status).contains(JobStatus.FAILED);
        assertThat(s.find(1).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(s.updateIfStatusAndUnchanged(1, JobStatus.RUNNING, JobFields.LAST_HEARTBEAT, "2026-01-01T00:00:01Z", toFailed))
                .isEmpty();
    }

    @Test
    void ofTwoRacingClaimsExactlyOneWins() throws Exception {
        JobStore s = store();
        UnifiedJob j = job(1, JobKind.JOB, 0, Map.of());
        s.insert(j);
        s.updateIfStatus(1, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.WAITING, T0));
        UnifiedJob waiting = s.find(1).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Optional<UnifiedJob>>> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String runner = "runner-" + i;
            Callable<Optional<UnifiedJob>> claim = () -> s.updateIfStatus(1, JobStatus.WAITING,
                    JobTransitions.changesFor(waiting, JobStatus.RUNNING, T0, Map.of(JobFields.EXECUTION_NODE, runner)));
            claims.add(pool.submit(claim));
        }
        List<String> winners = new ArrayList<>();
        for (Future<Optional<UnifiedJob>> f : claims) {
            f.get().ifPresent(w -> winners.add((String) w.get(JobFields.EXECUTION_NODE)));
        }
        pool.shutdown();
        assertThat(winners).hasSize(1);
        assertThat(s.find(1).orElseThrow().get(JobFields.EXECUTION_NODE)).isEqualTo(winners.get(0));
    }

    @Test
    void activeListsUnfinishedJobsOldestFirstAndForgetsFinishedOnes() {
        JobStore s = store();
        s.insert(job(3, JobKind.JOB, 5, Map.of()));
        s.insert(job(1, JobKind.JOB, 9, Map.of()));
        s.insert(job(2, JobKind.PROJECT_UPDATE, 1, Map.of()));
        assertThat(s.active()).extracting(UnifiedJob::id).containsExactly(2L, 3L, 1L);
        UnifiedJob two = s.find(2).orElseThrow();
        s.updateIfStatus(2, JobStatus.PENDING, JobTransitions.changesFor(two, JobStatus.CANCELED, T0));
        assertThat(s.active()).extracting(UnifiedJob::id).containsExactly(3L, 1L);
        assertThat(s.updateIfActive(2, Map.of(JobFields.CANCEL_FLAG, true))).isEmpty();
        assertThat(s.updateIfActive(3, Map.of(JobFields.CANCEL_FLAG, true))).map(UnifiedJob::cancelFlag).contains(true);
    }

    @Test
    void activeReadsEveryActiveJobHoweverTheStoreSpreadsThem() {
        JobStore s = store();
        for (int i = 1; i <= 70; i++) {
            s.insert(job(i, JobKind.JOB, 100 - i, Map.of())); // the highest id was created first
        }
        for (int i = 1; i <= 70; i += 7) {
            UnifiedJob j = s.find(i).orElseThrow();
            s.updateIfStatus(i, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.CANCELED, T0));
        }
        s.updateIfStatus(5, JobStatus.PENDING, Map.of(JobFields.STATUS, JobStatus.WAITING.apiName()));
        List<UnifiedJob> active = s.active();
        assertThat(active).hasSize(60);
        assertThat(active).extracting(UnifiedJob::id).as("oldest first across every shard")
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(active).extracting(UnifiedJob::id).doesNotContain(1L, 8L, 64L).contains(5L, 70L);
    }

    @Test
    void setIfAbsentLetsTheFirstWriterWin() {
        JobStore s = store();
        s.insert(job(1, JobKind.JOB, 0, Map.of()));
        assertThat(s.setIfAbsent(1, "notified_success", List.of(7L))).map(j -> j.longList("notified_success"))
                .contains(List.of(7L));
        assertThat(s.setIfAbsent(1, "notified_success", List.of(8L))).as("the second writer reads the first's value")
                .map(j -> j.longList("notified_success")).contains(List.of(7L));
        assertThat(s.setIfAbsent(99, "notified_success", List.of(8L))).isEmpty();
    }

    @Test
    void listsPageByKindWithACount() {
        JobStore s = store();
        for (int i = 1; i <= 7; i++) {
            s.insert(job(i, i % 2 == 0 ? JobKind.PROJECT_UPDATE : JobKind.JOB, i, Map.of()));
        }
        Page<UnifiedJob> first = s.list(JobKind.JOB, new PageRequest(1, 3, false));
        assertThat(first.count()).isEqualTo(4);
        assertThat(first.items()).extracting(UnifiedJob::id).containsExactly(1L, 3L, 5L);
        assertThat(s.list(JobKind.JOB, new PageRequest(2, 3, false)).items()).extracting(UnifiedJob::id).containsExactly(7L);
        assertThat(s.list(JobKind.JOB, new PageRequest(1, 2, true)).items()).extracting(UnifiedJob::id).containsExactly(7L, 5L);
        assertThat(s.all(JobKind.PROJECT_UPDATE)).extracting(UnifiedJob::id).containsExactly(2L, 4L, 6L);
    }

    /**
     * A page served with jobs the request read ahead (beside its token) holds the same jobs as one
     * read without them: the read-ahead saves reads, never adds a row or keeps a job of another
     * kind, status, template or value on the page.
     */
    @Test
    void aPageServedWithJobsReadAheadHoldsWhatThePageHolds() {
        JobStore s = store();
        for (int i = 1; i <= 6; i++) {
            UnifiedJob j = job(i, i == 6 ? JobKind.PROJECT_UPDATE : JobKind.JOB, i, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 10L + i % 2,
                    JobFields.INVENTORY, 20L + i % 2));
            s.insert(i % 3 == 0 ? j : j.with(JobTransitions.changesFor(j, JobStatus.CANCELED, T0.plusSeconds(i + 1))));
        }
        Map<Long, UnifiedJob> all = s.findMany(List.of(1L, 2L, 3L, 4L, 5L, 6L, 99L));
        assertThat(all).as("a job that does not exist is not read ahead").hasSize(6);
        PageRequest plain = new PageRequest(1, 3, true);
        PageRequest ahead = plain.withReadAhead(all);
        assertThat(s.list(JobKind.JOB, ahead)).isEqualTo(s.list(JobKind.JOB, plain));
        assertThat(s.list(JobKind.JOB, ahead).items()).extracting(UnifiedJob::id).containsExactly(5L, 4L, 3L);
        assertThat(s.list(java.util.Set.of(JobKind.JOB), java.util.Set.of(JobStatus.CANCELED), ahead))
                .isEqualTo(s.list(java.util.Set.of(JobKind.JOB), java.util.Set.of(JobStatus.CANCELED), plain));
        assertThat(s.list(java.util.Set.of(JobKind.JOB), java.util.Set.of(JobStatus.CANCELED), ahead).items())
                .extracting(UnifiedJob::id).containsExactly(5L, 4L, 2L);
        assertThat(s.ofTemplate(11L, ahead)).isEqualTo(s.ofTemplate(11L, plain));
        assertThat(s.ofTemplate(11L, ahead).items()).extracting(UnifiedJob::id).containsExactly(5L, 3L, 1L);
        assertThat(s.withField(java.util.Set.of(JobKind.JOB), JobFields.INVENTORY, java.util.Set.of("20"), ahead))
                .isEqualTo(s.withField(java.util.Set.of(JobKind.JOB), JobFields.INVENTORY, java.util.Set.of("20"), plain));
        assertThat(s.deleteIfFinished(4)).isTrue();
        assertThat(s.list(JobKind.JOB, ahead).items()).as("a job deleted after it was read ahead is off the page")
                .extracting(UnifiedJob::id).containsExactly(5L, 3L, 2L);
    }

    @Test
    void jobsOfATemplateComeNewestFirst() {
        JobStore s = store();
        s.insert(job(1, JobKind.JOB, 0, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 10L)));
        s.insert(job(2, JobKind.JOB, 1, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 11L)));
        s.insert(job(3, JobKind.JOB, 2, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 10L)));
        s.insert(job(4, JobKind.AD_HOC_COMMAND, 3, Map.of()));
        assertThat(s.ofTemplate(10, 10)).extracting(UnifiedJob::id).containsExactly(3L, 1L);
        assertThat(s.ofTemplate(10, 1)).extracting(UnifiedJob::id).containsExactly(3L);
        Map<Long, UnifiedJob> newest = s.newestOfTemplates(List.of(10L, 11L, 12L, 10L));
        assertThat(newest).as("a template without jobs has none").containsOnlyKeys(10L, 11L);
        assertThat(newest.get(10L).id()).isEqualTo(3L);
        assertThat(newest.get(11L).id()).isEqualTo(2L);
        assertThat(s.newestOfTemplates(List.of())).isEmpty();
    }

    /**
     * A template's newest job stays right as its jobs come and go: a first job of a template that
     * had none, a newer launch, the newest deleted (the one before it is the newest then), its
     * last job deleted; and a job the request read already is never taken for a newer one.
     */
    @Test
    void theNewestJobOfATemplateFollowsLaunchesAndDeletes() {
        JobStore s = store();
        s.insert(job(1, JobKind.JOB, 0, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 10L)));
        s.insert(job(2, JobKind.JOB, 1, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 11L)));
        java.util.function.Function<Long, Long> newestOf = t -> java.util.Optional.ofNullable(s.newestOfTemplates(List.of(t, 99L)).get(t))
                .map(UnifiedJob::id).orElse(null);
        assertThat(newestOf.apply(12L)).as("never launched").isNull();
        assertThat(newestOf.apply(12L)).as("asked again").isNull();
        s.insert(job(3, JobKind.JOB, 2, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 12L)));
        assertThat(newestOf.apply(12L)).as("its first job").isEqualTo(3L);
        assertThat(newestOf.apply(10L)).isEqualTo(1L);
        s.insert(job(4, JobKind.JOB, 3, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 10L)));
        assertThat(newestOf.apply(10L)).as("a newer launch").isEqualTo(4L);
        UnifiedJob older = s.find(1).orElseThrow();
        Map<Long, UnifiedJob> withReadAhead = s.newestOfTemplates(List.of(10L, 11L), Map.of(1L, older, 2L, s.find(2).orElseThrow()));
        assertThat(withReadAhead.get(10L).id()).as("an older job read ahead is not the newest").isEqualTo(4L);
        assertThat(withReadAhead.get(11L).id()).isEqualTo(2L);
        for (long id : new long[] {4, 3}) {
            s.updateIfStatus(id, JobStatus.PENDING, JobTransitions.changesFor(s.find(id).orElseThrow(), JobStatus.CANCELED, T0));
            assertThat(s.deleteIfFinished(id)).isTrue();
        }
        assertThat(newestOf.apply(10L)).as("the newest deleted: the one before").isEqualTo(1L);
        assertThat(newestOf.apply(10L)).as("asked again").isEqualTo(1L);
        assertThat(newestOf.apply(12L)).as("its only job deleted").isNull();
        assertThat(newestOf.apply(12L)).as("asked again").isNull();
        s.insert(job(5, JobKind.JOB, 4, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 12L)));
        assertThat(newestOf.apply(12L)).as("launched again").isEqualTo(5L);
    }

    /** A restricted user's jobs/: the jobs of the templates they may read, merged in id order, counted. */
    @Test
    void theJobsOfSeveralTemplatesPageInOneIdOrder() {
        JobStore s = store();
        for (int i = 1; i <= 30; i++) {
            s.insert(job(i, JobKind.JOB, i, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 10L + i % 3)));
        }
        List<Long> of10And12 = new ArrayList<>();
        for (long i = 1; i <= 30; i++) {
            if (i % 3 != 1) {
                of10And12.add(i);
            }
        }
        java.util.Set<Long> both = java.util.Set.of(10L, 12L);
        List<Long> pages = new ArrayList<>();
        for (int p = 1; p <= 5; p++) {
            Page<UnifiedJob> page = s.ofTemplates(both, new PageRequest(p, 6, false));
            assertThat(page.count()).isEqualTo(20);
            page.items().forEach(j -> pages.add(j.id()));
        }
        assertThat(pages).containsExactlyElementsOf(of10And12);
        List<Long> newestFirst = new ArrayList<>(of10And12);
        java.util.Collections.reverse(newestFirst);
        assertThat(s.ofTemplates(both, new PageRequest(2, 7, true)).items()).extracting(UnifiedJob::id)
                .containsExactlyElementsOf(newestFirst.subList(7, 14));
        assertThat(s.ofTemplates(java.util.Set.of(), new PageRequest(1, 5, false))).isEqualTo(new Page<UnifiedJob>(List.of(), 0));
        assertThat(s.ofTemplates(java.util.Set.of(99L), new PageRequest(1, 5, false)).count()).isZero();

        // more templates than one batch read of their counters takes
        java.util.Set<Long> many = new java.util.TreeSet<>();
        for (int i = 0; i < 130; i++) {
            s.insert(job(1000 + i, JobKind.JOB, i, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 500L + i)));
            many.add(500L + i);
        }
        Page<UnifiedJob> wide = s.ofTemplates(many, new PageRequest(1, 5, true));
        assertThat(wide.count()).isEqualTo(130);
        assertThat(wide.items()).extracting(UnifiedJob::id).containsExactly(1129L, 1128L, 1127L, 1126L, 1125L);
    }

    @Test
    void countsFollowInsertsAndDeletesAndARedeliveredWriteCountsNothing() {
        JobStore s = store();
        for (int i = 1; i <= 5; i++) {
            s.insert(job(i, JobKind.JOB, i, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 10L)));
        }
        s.insert(job(6, JobKind.PROJECT_UPDATE, 6, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 20L)));
        assertThatThrownBy(() -> s.insert(job(3, JobKind.JOB, 3, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 10L))))
                .isInstanceOf(ConflictException.class);
        UnifiedJob two = s.find(2).orElseThrow();
        Map<String, Object> cancel = JobTransitions.changesFor(two, JobStatus.CANCELED, T0);
        assertThat(s.updateIfStatus(2, JobStatus.PENDING, cancel)).isPresent();
        assertThat(s.updateIfStatus(2, JobStatus.PENDING, cancel)).as("the same message again").isEmpty();
        assertThat(s.list(JobKind.JOB, new PageRequest(1, 2, false)).count()).isEqualTo(5);
        assertThat(s.ofTemplate(10, new PageRequest(1, 2, false)).count()).isEqualTo(5);
        assertThat(s.deleteIfFinished(2)).isTrue();
        assertThat(s.deleteIfFinished(2)).isFalse();
        assertThat(s.list(JobKind.JOB, new PageRequest(1, 2, false)).count()).isEqualTo(4);
        assertThat(s.ofTemplate(10, new PageRequest(1, 2, false)).count()).isEqualTo(4);
        assertThat(s.list(java.util.Set.of(JobKind.JOB, JobKind.PROJECT_UPDATE), new PageRequest(1, 2, false)).count()).isEqualTo(5);
        assertThat(s.repairCounts()).as("nothing drifted").isEmpty();
    }

    @Test
    void theRepairRecountsACounterThatDrifted() {
        JobStore s = store();
        for (int i = 1; i <= 4; i++) {
            s.insert(job(i, JobKind.JOB, i, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, 10L)));
        }
        UnifiedJob one = s.find(1).orElseThrow();
        s.updateIfStatus(1, JobStatus.PENDING, JobTransitions.changesFor(one, JobStatus.FAILED, T0));
        breakCounter(s, dev.towerless.core.jobs.JobCounters.ofKind(JobKind.JOB), 3);
        breakCounter(s, dev.towerless.core.jobs.JobCounters.ofTemplate(10), 9);
        breakCounter(s, dev.towerless.core.jobs.JobCounters.ofKind(JobKind.AD_HOC_COMMAND), 2);
        // the resource stores' counters share the table: no job backs them, and a job recount leaves them be
        breakCounter(s, "count#resource#host", 7);
        assertThat(s.list(JobKind.JOB, new PageRequest(1, 10, false)).count()).as("broken").isEqualTo(3);
        Map<String, Long> fixed = s.repairCounts();
        assertThat(fixed).doesNotContainKey("count#resource#host");
        assertThat(fixed).containsEntry(dev.towerless.core.jobs.JobCounters.ofKind(JobKind.JOB), 4L)
                .containsEntry(dev.towerless.core.jobs.JobCounters.ofTemplate(10), 4L)
                .containsEntry(dev.towerless.core.jobs.JobCounters.ofKind(JobKind.AD_HOC_COMMAND), 0L)
                .doesNotContainKey(dev.towerless.core.jobs.JobCounters.ofStatus(JobKind.JOB, JobStatus.FAILED));
        assertThat(s.list(JobKind.JOB, new PageRequest(1, 10, false)).count()).isEqualTo(4);
        assertThat(s.ofTemplate(10, new PageRequest(1, 10, false)).count()).isEqualTo(4);
        assertThat(s.list(JobKind.AD_HOC_COMMAND, new PageRequest(1, 10, false)).count()).isZero();
        assertThat(s.repairCounts()).isEmpty();
        assertThat(dev.towerless.core.jobs.JobCounters.isCounter("count#resource#host")).isFalse();
    }

    @Test
    void everyKindPagesInOneIdOrder() {
        JobStore s = store();
        JobKind[] kinds = {JobKind.JOB, JobKind.PROJECT_UPDATE, JobKind.INVENTORY_UPDATE, JobKind.JOB, JobKind.WORKFLOW_JOB};
        for (int i = 1; i <= 25; i++) {
            s.insert(job(i, kinds[i % kinds.length], i, Map.of()));
        }
        java.util.Set<JobKind> every = java.util.EnumSet.allOf(JobKind.class);
        Page<UnifiedJob> first = s.list(every, new PageRequest(1, 10, false));
        assertThat(first.count()).isEqualTo(25);
        assertThat(first.items()).extracting(UnifiedJob::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(s.list(every, new PageRequest(3, 10, false)).items()).extracting(UnifiedJob::id)
                .containsExactly(21L, 22L, 23L, 24L, 25L);
        assertThat(s.list(every, new PageRequest(2, 4, true)).items()).extracting(UnifiedJob::id).containsExactly(21L, 20L, 19L, 18L);
        assertThat(s.list(java.util.Set.of(JobKind.PROJECT_UPDATE, JobKind.WORKFLOW_JOB), new PageRequest(1, 3, true)).items())
                .extracting(UnifiedJob::id).containsExactly(24L, 21L, 19L);
        assertThat(s.list(every, new PageRequest(9, 10, false)).items()).isEmpty();
    }

    /**
     * Every page of a kind, of several kinds and of every kind, in either order, holds the jobs the
     * store holds in that order, however deep, with ids in clusters and gaps and jobs deleted: a
     * store may find a deep page's start from what it keeps about where ids lie (the DynamoDB store's
     * positions) rather than by reading the pages before it, and must start it at the same job.
     */
    @Test
    void everyPageHoweverDeepHoldsTheJobsInItsPlace() {
        JobStore s = store();
        JobKind[] kinds = {JobKind.JOB, JobKind.PROJECT_UPDATE, JobKind.JOB, JobKind.INVENTORY_UPDATE};
        List<UnifiedJob> stored = new java.util.ArrayList<>();
        java.util.stream.LongStream ids = java.util.stream.LongStream.concat(java.util.stream.LongStream.rangeClosed(1, 45),
                java.util.stream.LongStream.rangeClosed(203, 231)); // a gap of ids, then a cluster
        ids.forEach(id -> {
            UnifiedJob j = job(id, kinds[(int) (id % kinds.length)], (int) id, Map.of());
            UnifiedJob done = j.with(JobTransitions.changesFor(j, JobStatus.CANCELED, T0.plusSeconds(id + 1)));
            s.insert(done);
            stored.add(done);
        });
        for (long gone : new long[] {12, 13, 14, 30, 205}) {
            assertThat(s.deleteIfFinished(gone)).isTrue();
            stored.removeIf(j -> j.id() == gone);
        }
        List<java.util.Set<JobKind>> lists = List.of(java.util.Set.of(JobKind.JOB), java.util.Set.of(JobKind.JOB, JobKind.INVENTORY_UPDATE),
                java.util.EnumSet.allOf(JobKind.class));
        for (java.util.Set<JobKind> shown : lists) {
            for (boolean descending : new boolean[] {false, true}) {
                List<Long> all = stored.stream().filter(j -> shown.contains(j.kind())).map(UnifiedJob::id)
                        .sorted(descending ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder()).toList();
                for (int page = 1; (page - 1) * 6 <= all.size(); page++) {
                    Page<UnifiedJob> read = s.list(shown, new PageRequest(page, 6, descending));
                    assertThat(read.items()).extracting(UnifiedJob::id).as(shown + (descending ? " newest first" : " oldest first") + ", page " + page)
                            .containsExactlyElementsOf(all.subList(Math.min(all.size(), (page - 1) * 6), Math.min(all.size(), page * 6)));
                    assertThat(read.count()).isEqualTo(all.size());
                }
                assertThat(s.list(shown, new PageRequest(40, 6, descending)).items()).as("beyond the last job").isEmpty();
            }
        }
    }

    @Test
    void aWalkStopsAtItsBudgetAndSaysSo() {
        JobStore s = store();
        for (int i = 1; i <= 12; i++) {
            s.insert(job(i, i % 3 == 0 ? JobKind.PROJECT_UPDATE : JobKind.JOB, i, Map.of()));
        }
        JobStore.Walk newest = s.walk(java.util.Set.of(JobKind.JOB, JobKind.PROJECT_UPDATE), true, 5);
        assertThat(newest.complete()).isFalse();
        assertThat(newest.jobs()).extracting(UnifiedJob::id).containsExactly(12L, 11L, 10L, 9L, 8L);
        JobStore.Walk jobs = s.walk(java.util.Set.of(JobKind.JOB), false, 8);
        assertThat(jobs.complete()).isTrue();
        assertThat(jobs.jobs()).extracting(UnifiedJob::id).containsExactly(1L, 2L, 4L, 5L, 7L, 8L, 10L, 11L);
        assertThat(s.walk(java.util.Set.of(JobKind.JOB), false, 7).complete()).isFalse();
    }

    @Test
    void aTemplatesJobsPageBeyondAThousand() {
        JobStore s = store();
        for (int i = 1; i <= 30; i++) {
            s.insert(job(i, JobKind.JOB, i, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, i % 2 == 0 ? 10L : 11L)));
        }
        Page<UnifiedJob> page = s.ofTemplate(10, new PageRequest(2, 4, false));
        assertThat(page.count()).isEqualTo(15);
        assertThat(page.items()).extracting(UnifiedJob::id).containsExactly(10L, 12L, 14L, 16L);
        assertThat(s.ofTemplate(10, new PageRequest(1, 3, true)).items()).extracting(UnifiedJob::id).containsExactly(30L, 28L, 26L);
        assertThat(s.ofTemplate(99, new PageRequest(1, 3, true))).isEqualTo(new Page<UnifiedJob>(List.of(), 0));
    }

    @Test
    void aFilteredWalkStopsWhenItKeptEnoughAndCountsOfAStatusNeedNoWalk() {
        JobStore s = store();
        for (int i = 1; i <= 30; i++) {
            UnifiedJob j = job(i, JobKind.JOB, i, Map.of());
            s.insert(j);
            if (i % 3 == 0) {
                s.updateIfStatus(i, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.CANCELED, T0));
            }
        }
        JobStore.Walk firstFour = s.walk(java.util.Set.of(JobKind.JOB), true, 1000, j -> j.status() == JobStatus.CANCELED, 4);
        assertThat(firstFour.jobs()).extracting(UnifiedJob::id).startsWith(30L, 27L, 24L, 21L);
        JobStore.Walk bounded = s.walk(java.util.Set.of(JobKind.JOB), false, 7, j -> j.status() == JobStatus.CANCELED, 100);
        assertThat(bounded.jobs()).extracting(UnifiedJob::id).containsExactly(3L, 6L);
        assertThat(bounded.complete()).isFalse();
        JobStore.Walk whole = s.walk(java.util.Set.of(JobKind.JOB), false, 1000, j -> j.status() == JobStatus.CANCELED, 100);
        assertThat(whole.jobs()).hasSize(10);
        assertThat(whole.complete()).isTrue();
        assertThat(s.count(JobKind.JOB, JobStatus.CANCELED)).isEqualTo(10);
        assertThat(s.count(JobKind.JOB, JobStatus.PENDING)).isEqualTo(20);
        assertThat(s.count(JobKind.JOB, JobStatus.FAILED)).isZero();
        assertThat(s.count(JobKind.PROJECT_UPDATE, JobStatus.CANCELED)).isZero();
        s.deleteIfFinished(3);
        assertThat(s.count(JobKind.JOB, JobStatus.CANCELED)).isEqualTo(9);
    }

    @Test
    void aStatusPagesFromItsOwnKeysInEitherOrderHoweverTheJobGotThere() {
        JobStore s = store();
        List<Long> failedJobs = new ArrayList<>();
        List<Long> failedOrCanceled = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            JobKind kind = i % 4 == 0 ? JobKind.PROJECT_UPDATE : JobKind.JOB;
            UnifiedJob j = job(i, kind, i, Map.of());
            if (i % 10 == 3) {
                s.insert(j.with(JobTransitions.changesFor(j, JobStatus.FAILED, T0))); // stored finished (a launch refused)
            } else {
                s.insert(j);
            }
            if (i % 5 == 1) {
                s.updateIfStatus(i, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.FAILED, T0));
            } else if (i % 7 == 0) {
                s.updateIfStatusAndUnchanged(i, JobStatus.PENDING, JobFields.CANCEL_FLAG, null,
                        JobTransitions.changesFor(j, JobStatus.CANCELED, T0));
            } else if (i % 6 == 0) {
                UnifiedJob w = s.updateIfStatus(i, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.WAITING, T0)).orElse(j);
                s.updateIfStatus(i, JobStatus.WAITING, JobTransitions.changesFor(w, JobStatus.FAILED, T0));
            }
            JobStatus now = s.find(i).orElseThrow().status();
            if (kind == JobKind.JOB && now == JobStatus.FAILED) {
                failedJobs.add((long) i);
            }
            if (kind == JobKind.JOB && (now == JobStatus.FAILED || now == JobStatus.CANCELED)) {
                failedOrCanceled.add((long) i);
            }
        }
        java.util.Set<JobKind> jobs = java.util.Set.of(JobKind.JOB);
        java.util.Set<JobStatus> failed = java.util.Set.of(JobStatus.FAILED);
        assertThat(failedJobs).hasSizeGreaterThan(6);
        Page<UnifiedJob> first = s.list(jobs, failed, new PageRequest(1, 4, false));
        assertThat(first.count()).isEqualTo(failedJobs.size());
        assertThat(first.items()).extracting(UnifiedJob::id).containsExactlyElementsOf(failedJobs.subList(0, 4));
        assertThat(s.list(jobs, failed, new PageRequest(2, 4, false)).items()).extracting(UnifiedJob::id)
                .containsExactlyElementsOf(failedJobs.subList(4, Math.min(8, failedJobs.size())));
        List<Long> newestFirst = new ArrayList<>(failedJobs);
        java.util.Collections.reverse(newestFirst);
        assertThat(s.list(jobs, failed, new PageRequest(1, 3, true)).items()).extracting(UnifiedJob::id)
                .containsExactlyElementsOf(newestFirst.subList(0, 3));
        assertThat(s.list(jobs, java.util.Set.of(JobStatus.FAILED, JobStatus.CANCELED), new PageRequest(1, 100, false)).items())
                .extracting(UnifiedJob::id).containsExactlyElementsOf(failedOrCanceled);
        Page<UnifiedJob> bothKinds = s.list(java.util.Set.of(JobKind.JOB, JobKind.PROJECT_UPDATE), failed, new PageRequest(1, 100, true));
        assertThat(bothKinds.items()).allMatch(j -> j.status() == JobStatus.FAILED).extracting(UnifiedJob::id).isSortedAccordingTo(
                java.util.Comparator.reverseOrder());
        assertThat(bothKinds.count()).isEqualTo(bothKinds.items().size()).isGreaterThan(failedJobs.size());
        Page<UnifiedJob> pending = s.list(jobs, java.util.Set.of(JobStatus.PENDING), new PageRequest(1, 100, false));
        assertThat(pending.items()).allMatch(j -> j.status() == JobStatus.PENDING && j.kind() == JobKind.JOB);
        assertThat(pending.count()).isEqualTo(pending.items().size()).isPositive();

        long gone = failedJobs.get(0);
        assertThat(s.deleteIfFinished(gone)).isTrue();
        assertThat(s.list(jobs, failed, new PageRequest(1, 100, false)).items()).extracting(UnifiedJob::id)
                .containsExactlyElementsOf(failedJobs.subList(1, failedJobs.size()));
        assertThat(s.list(jobs, java.util.Set.of(), new PageRequest(1, 10, false))).isEqualTo(new Page<UnifiedJob>(List.of(), 0));
        assertThat(s.repairIndexKeys()).as("every job written by this version has its keys").isZero();
    }

    /**
     * AWX's UI lists jobs with {@code order_by=-finished&not__launch_type=sync}: whatever order the
     * jobs finished in (not their ids'), however they got there (stored finished, a transition,
     * two at the same instant), unfinished ones first newest first and last oldest first, as
     * PostgreSQL orders a missing time, every page in both orders, counted by launch type.
     */
    @Test
    void aFinishedOrderPagesAsPostgresOrdersAMissingTimeCountedByLaunchType() {
        JobStore s = store();
        LaunchType[] ways = {LaunchType.MANUAL, LaunchType.SCHEDULED, LaunchType.SYNC};
        for (int i = 1; i <= 36; i++) {
            JobKind kind = i % 3 == 0 ? JobKind.PROJECT_UPDATE : JobKind.JOB;
            LaunchType way = kind == JobKind.JOB ? ways[i % 2] : ways[2 - i % 2];
            UnifiedJob j = UnifiedJob.newPending(i, kind, kind.type() + "-" + i, way, T0.plusSeconds(i), Map.of());
            // finished out of id order; 7 and 14 (and 21, 28...) at the same instant
            Instant end = T0.plusSeconds(1000 + (i % 7 == 0 ? 0 : (i * 37) % 101));
            if (i % 5 == 0) {
                s.insert(j); // still pending: no finished time
            } else if (i % 4 == 1) {
                s.insert(j.with(JobTransitions.changesFor(j, JobStatus.FAILED, end))); // stored finished
            } else {
                s.insert(j);
                UnifiedJob w = s.updateIfStatus(i, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.WAITING, T0)).orElseThrow();
                UnifiedJob r = s.updateIfStatus(i, JobStatus.WAITING, JobTransitions.changesFor(w, JobStatus.RUNNING, T0)).orElseThrow();
                if (i % 6 != 2) {
                    s.updateIfStatus(i, JobStatus.RUNNING, JobTransitions.changesFor(r,
                            i % 2 == 0 ? JobStatus.SUCCESSFUL : JobStatus.CANCELED, end)).orElseThrow();
                }
            }
        }
        java.util.Set<JobKind> both = java.util.EnumSet.of(JobKind.JOB, JobKind.PROJECT_UPDATE);
        java.util.Set<LaunchType> notSync = java.util.EnumSet.complementOf(java.util.EnumSet.of(LaunchType.SYNC));
        for (var kinds : List.of(java.util.Set.of(JobKind.JOB), both)) {
            for (var launched : List.of(java.util.EnumSet.allOf(LaunchType.class), notSync, java.util.EnumSet.of(LaunchType.SCHEDULED))) {
                List<UnifiedJob> all = new ArrayList<>();
                kinds.forEach(k -> all.addAll(s.all(k)));
                all.removeIf(j -> !launched.contains(LaunchType.valueOf(((String) j.get(JobFields.LAUNCH_TYPE)).toUpperCase())));
                java.util.Comparator<UnifiedJob> postgres = java.util.Comparator
                        .comparing((UnifiedJob j) -> j.finished().orElse(Instant.MAX)).thenComparingLong(UnifiedJob::id);
                List<Long> oldestFirst = all.stream().sorted(postgres).map(UnifiedJob::id).toList();
                List<Long> newestFirst = all.stream().sorted(postgres.reversed()).map(UnifiedJob::id).toList();
                assertThat(all).as("unfinished and finished jobs in this list").anyMatch(j -> j.finished().isEmpty())
                        .anyMatch(j -> j.finished().isPresent());
                for (boolean descending : new boolean[] {true, false}) {
                    List<Long> pages = new ArrayList<>();
                    for (int p = 1; p <= all.size() / 4 + 1; p++) {
                        Page<UnifiedJob> page = s.byFinished(kinds, launched, new PageRequest(p, 4, descending));
                        assertThat(page.count()).as("%s %s", kinds, launched).isEqualTo(all.size());
                        page.items().forEach(j -> pages.add(j.id()));
                    }
                    assertThat(pages).as("%s %s, %s", kinds, launched, descending ? "-finished" : "finished")
                            .containsExactlyElementsOf(descending ? newestFirst : oldestFirst);
                }
            }
        }
        long gone = s.byFinished(both, notSync, new PageRequest(1, 100, true)).items().stream()
                .filter(j -> j.finished().isPresent()).findFirst().orElseThrow().id();
        long before = s.byFinished(both, notSync, new PageRequest(1, 100, true)).count();
        assertThat(s.deleteIfFinished(gone)).isTrue();
        Page<UnifiedJob> after = s.byFinished(both, notSync, new PageRequest(1, 100, true));
        assertThat(after.items()).extracting(UnifiedJob::id).doesNotContain(gone);
        assertThat(after.count()).isEqualTo(before - 1);
        assertThat(s.byFinished(both, java.util.Set.of(), new PageRequest(1, 10, true))).isEqualTo(new Page<UnifiedJob>(List.of(), 0));
        // a launch type these lists never had before is on the very next first page, in both orders
        UnifiedJob relaunched = UnifiedJob.newPending(99, JobKind.JOB, "job-99", LaunchType.RELAUNCH, T0.plusSeconds(99), Map.of());
        s.insert(relaunched.with(JobTransitions.changesFor(relaunched, JobStatus.FAILED, T0.plusSeconds(5000))));
        Page<UnifiedJob> newest = s.byFinished(both, notSync, new PageRequest(1, 100, true));
        assertThat(newest.items()).extracting(UnifiedJob::id).contains(99L);
        assertThat(newest.items().stream().filter(j -> j.finished().isPresent()).findFirst().orElseThrow().id())
                .as("the newest finished").isEqualTo(99L);
        assertThat(newest.count()).isEqualTo(before);
        assertThat(s.byFinished(both, notSync, new PageRequest(1, 100, false)).items()).extracting(UnifiedJob::id).contains(99L);
        assertThat(s.repairIndexKeys()).as("every job written by this version has its keys").isZero();
    }

    /**
     * A finished order read while nothing ran shows a job launched after it on its very next page
     * (unfinished first), and the job in its finished place once it ends.
     */
    @Test
    void aJobLaunchedAfterAQuietPageIsOnTheNextPageAndInItsFinishedPlaceOnceItEnds() {
        JobStore s = store();
        for (int i = 1; i <= 3; i++) {
            UnifiedJob j = job(i, JobKind.JOB, i, Map.of());
            s.insert(j.with(JobTransitions.changesFor(j, JobStatus.FAILED, T0.plusSeconds(100 + i))));
        }
        java.util.Set<JobKind> kinds = java.util.EnumSet.of(JobKind.JOB, JobKind.PROJECT_UPDATE);
        java.util.Set<LaunchType> every = java.util.EnumSet.allOf(LaunchType.class);
        java.util.function.Supplier<List<Long>> firstPage = () -> s.byFinished(kinds, every, new PageRequest(1, 10, true)).items()
                .stream().map(UnifiedJob::id).toList();
        assertThat(firstPage.get()).containsExactly(3L, 2L, 1L);
        assertThat(firstPage.get()).as("asked again").containsExactly(3L, 2L, 1L);
        UnifiedJob update = job(4, JobKind.PROJECT_UPDATE, 4, Map.of());
        s.insert(update);
        assertThat(firstPage.get()).as("launched after a quiet page: unfinished, first").containsExactly(4L, 3L, 2L, 1L);
        assertThat(s.byFinished(kinds, every, new PageRequest(1, 10, true)).count()).isEqualTo(4);
        s.updateIfStatus(4, JobStatus.PENDING, JobTransitions.changesFor(update, JobStatus.CANCELED, T0.plusSeconds(101)));
        assertThat(firstPage.get()).as("ended, in its finished place").containsExactly(3L, 2L, 4L, 1L);
        assertThat(firstPage.get()).containsExactly(3L, 2L, 4L, 1L);
    }

    /**
     * The active jobs a view shows ({@code ping/}) after a look that found none (a store may then
     * answer from its counters): a job launched since is shown, and is gone once it ends.
     */
    @Test
    void theActiveJobsShownFollowLaunchesAndEndsAfterAQuietLook() {
        JobStore s = store();
        UnifiedJob done = job(1, JobKind.JOB, 1, Map.of());
        s.insert(done.with(JobTransitions.changesFor(done, JobStatus.CANCELED, T0.plusSeconds(10))));
        java.util.function.Supplier<List<Long>> shown = () -> s.activeShown().stream().map(UnifiedJob::id).toList();
        assertThat(shown.get()).isEmpty();
        assertThat(shown.get()).as("asked again").isEmpty();
        UnifiedJob update = job(2, JobKind.PROJECT_UPDATE, 2, Map.of());
        s.insert(update);
        assertThat(shown.get()).as("launched after a quiet look").containsExactly(2L);
        assertThat(shown.get()).containsExactly(2L);
        s.updateIfStatus(2, JobStatus.PENDING, JobTransitions.changesFor(update, JobStatus.CANCELED, T0.plusSeconds(20)));
        assertThat(shown.get()).as("ended").isEmpty();
        assertThat(shown.get()).isEmpty();
        s.insert(job(3, JobKind.WORKFLOW_APPROVAL, 3, Map.of()));
        assertThat(shown.get()).containsExactly(3L);
    }

    /**
     * A status no job of one of the kinds had when a page was read (a store may skip such
     * partitions on the next read): the job that ends with it since is on the next page, and counted.
     */
    @Test
    void aJobEndingInAStatusThatHadNoneIsOnTheNextPage() {
        JobStore s = store();
        UnifiedJob first = job(1, JobKind.JOB, 1, Map.of());
        s.insert(first.with(JobTransitions.changesFor(first, JobStatus.CANCELED, T0.plusSeconds(10))));
        java.util.Set<JobKind> kinds = java.util.EnumSet.of(JobKind.JOB, JobKind.PROJECT_UPDATE);
        java.util.function.Supplier<Page<UnifiedJob>> canceled = () -> s.list(kinds,
                java.util.Set.of(JobStatus.CANCELED, JobStatus.FAILED), new PageRequest(1, 10, true));
        assertThat(canceled.get().items()).extracting(UnifiedJob::id).containsExactly(1L);
        assertThat(canceled.get().items()).as("asked again").extracting(UnifiedJob::id).containsExactly(1L);
        UnifiedJob update = job(2, JobKind.PROJECT_UPDATE, 2, Map.of());
        s.insert(update);
        s.updateIfStatus(2, JobStatus.PENDING, JobTransitions.changesFor(update, JobStatus.CANCELED, T0.plusSeconds(20)));
        assertThat(canceled.get().items()).as("the first canceled project update").extracting(UnifiedJob::id).containsExactly(2L, 1L);
        assertThat(canceled.get().count()).isEqualTo(2);
    }

    /**
     * A filter value no job of one of the kinds had when a page was read (a store may skip such
     * keys on the next read): the job launched under it since is on the next page, and counted.
     */
    @Test
    void aJobLaunchedUnderAFilterValueThatHadNoneIsOnTheNextPage() {
        JobStore s = store();
        s.insert(job(1, JobKind.JOB, 1, Map.of()));
        java.util.Set<JobKind> kinds = java.util.EnumSet.of(JobKind.JOB, JobKind.AD_HOC_COMMAND, JobKind.PROJECT_UPDATE);
        java.util.function.Supplier<Page<UnifiedJob>> manual = () -> s.withField(kinds, JobFields.LAUNCH_TYPE,
                java.util.Set.of(LaunchType.MANUAL.apiName()), new PageRequest(1, 10, true)).orElseThrow();
        assertThat(manual.get().items()).extracting(UnifiedJob::id).containsExactly(1L);
        assertThat(manual.get().items()).as("asked again").extracting(UnifiedJob::id).containsExactly(1L);
        s.insert(job(2, JobKind.AD_HOC_COMMAND, 2, Map.of()));
        assertThat(manual.get().items()).as("the first ad hoc command").extracting(UnifiedJob::id).containsExactly(2L, 1L);
        assertThat(manual.get().count()).isEqualTo(2);
        s.insert(job(3, JobKind.PROJECT_UPDATE, 3, Map.of()));
        assertThat(manual.get().items()).extracting(UnifiedJob::id).containsExactly(3L, 2L, 1L);
    }

    /**
     * {@code ?inventory=N}, {@code ?project=N}, {@code ?launch_type=X}: every page of one kind or of
     * several merged, in both id orders, exactly the jobs with those values however they were stored
     * (pending, finished at insert, moved through their statuses), counted; a deleted job leaves the
     * page and its count, and so does a job that was never stored.
     */
    @Test
    void aFieldsValuesPageEveryJobWithThemInIdOrderCounted() {
        JobStore s = store();
        LaunchType[] ways = {LaunchType.MANUAL, LaunchType.SCHEDULED, LaunchType.WORKFLOW};
        for (int i = 1; i <= 45; i++) {
            JobKind kind = i % 3 == 0 ? JobKind.PROJECT_UPDATE : i % 5 == 0 ? JobKind.AD_HOC_COMMAND : JobKind.JOB;
            Map<String, Object> fields = new java.util.HashMap<>();
            if (kind != JobKind.PROJECT_UPDATE) {
                fields.put(JobFields.INVENTORY, 10L + i % 3);
            }
            if (kind != JobKind.AD_HOC_COMMAND) {
                fields.put(JobFields.PROJECT, 20L + i % 2);
            }
            UnifiedJob j = UnifiedJob.newPending(i, kind, kind.type() + "-" + i, ways[i % 3], T0.plusSeconds(i), fields);
            if (i % 4 == 0) {
                s.insert(j.with(JobTransitions.changesFor(j, JobStatus.FAILED, T0.plusSeconds(100)))); // stored finished
            } else {
                s.insert(j);
                if (i % 4 == 1) {
                    s.updateIfStatus(i, JobStatus.PENDING, JobTransitions.changesFor(j, JobStatus.CANCELED, T0.plusSeconds(50))).orElseThrow();
                }
            }
        }
        java.util.Set<JobKind> three = java.util.EnumSet.of(JobKind.JOB, JobKind.PROJECT_UPDATE, JobKind.AD_HOC_COMMAND);
        record Filter(java.util.Set<JobKind> kinds, String field, java.util.Set<String> values) {
        }
        List<Filter> filters = List.of(new Filter(java.util.Set.of(JobKind.JOB), JobFields.INVENTORY, java.util.Set.of("11")),
                new Filter(three, JobFields.INVENTORY, java.util.Set.of("10", "12")),
                new Filter(java.util.Set.of(JobKind.JOB, JobKind.PROJECT_UPDATE), JobFields.PROJECT, java.util.Set.of("21")),
                new Filter(three, JobFields.LAUNCH_TYPE, java.util.Set.of("scheduled")),
                new Filter(java.util.Set.of(JobKind.JOB), JobFields.LAUNCH_TYPE, java.util.Set.of("manual", "workflow")),
                new Filter(java.util.Set.of(JobKind.AD_HOC_COMMAND), JobFields.PROJECT, java.util.Set.of("20")));
        for (Filter f : filters) {
            List<Long> expected = new ArrayList<>();
            f.kinds().forEach(k -> s.all(k).stream().filter(j -> j.get(f.field()) != null
                    && f.values().contains(j.get(f.field()).toString())).forEach(j -> expected.add(j.id())));
            java.util.Collections.sort(expected);
            assertThat(expected.isEmpty()).as("%s has jobs", f).isEqualTo(f.kinds().equals(java.util.Set.of(JobKind.AD_HOC_COMMAND)));
            for (boolean descending : new boolean[] {false, true}) {
                List<Long> pages = new ArrayList<>();
                for (int p = 1; p <= expected.size() / 4 + 1; p++) {
                    Page<UnifiedJob> page = s.withField(f.kinds(), f.field(), f.values(), new PageRequest(p, 4, descending)).orElseThrow();
                    assertThat(page.count()).as("%s", f).isEqualTo(expected.size());
                    page.items().forEach(j -> pages.add(j.id()));
                }
                List<Long> want = new ArrayList<>(expected);
                if (descending) {
                    java.util.Collections.reverse(want);
                }
                assertThat(pages).as("%s %s", f, descending ? "-id" : "id").containsExactlyElementsOf(want);
            }
        }
        java.util.Set<JobKind> jobs = java.util.Set.of(JobKind.JOB);
        Page<UnifiedJob> before = s.withField(jobs, JobFields.INVENTORY, java.util.Set.of("11"), new PageRequest(1, 100, true)).orElseThrow();
        long gone = before.items().stream().filter(j -> j.status().isFinished()).findFirst().orElseThrow().id();
        assertThat(s.deleteIfFinished(gone)).isTrue();
        for (String field : List.of(JobFields.INVENTORY, JobFields.PROJECT, JobFields.LAUNCH_TYPE)) {
            String value = before.items().stream().filter(j -> j.id() == gone).findFirst().orElseThrow().get(field).toString();
            Page<UnifiedJob> after = s.withField(jobs, field, java.util.Set.of(value), new PageRequest(1, 100, true)).orElseThrow();
            assertThat(after.items()).as(field).extracting(UnifiedJob::id).doesNotContain(gone);
            assertThat(after.count()).as(field).isEqualTo(after.items().size());
        }
        assertThat(s.withField(jobs, JobFields.INVENTORY, java.util.Set.of(), new PageRequest(1, 10, false)))
                .contains(new Page<UnifiedJob>(List.of(), 0));
        assertThat(s.withField(jobs, JobFields.INVENTORY, java.util.Set.of("999"), new PageRequest(1, 10, false)))
                .contains(new Page<UnifiedJob>(List.of(), 0));
        assertThat(s.repairIndexKeys()).as("every job written by this version has its keys").isZero();
        assertThat(s.repairCounts()).as("every counter was kept").isEmpty();
    }

    /**
     * AWX sets a finished job's inventory or project to null when that inventory or project is
     * deleted (Deletions' unlink): the job leaves that list and its count, and a pending job whose
     * inventory changes moves from one list to the other.
     */
    @Test
    void aJobWhoseInventoryIsUnlinkedLeavesItsListAndCount() {
        JobStore s = store();
        java.util.Set<JobKind> jobs = java.util.Set.of(JobKind.JOB);
        for (int i = 1; i <= 6; i++) {
            UnifiedJob j = job(i, JobKind.JOB, i, Map.of(JobFields.INVENTORY, 10L, JobFields.PROJECT, 20L));
            s.insert(i <= 4 ? j.with(JobTransitions.changesFor(j, JobStatus.FAILED, T0.plusSeconds(60))) : j); // 5 and 6 pending
        }
        java.util.function.BiFunction<String, String, Page<UnifiedJob>> page = (field, value) ->
                s.withField(jobs, field, java.util.Set.of(value), new PageRequest(1, 50, false)).orElseThrow();
        Map<String, Object> unlink = new java.util.HashMap<>();
        unlink.put(JobFields.INVENTORY, null);
        assertThat(s.updateIfStatus(2, JobStatus.FAILED, unlink)).isPresent();
        Map<String, Object> unlinkProject = new java.util.HashMap<>();
        unlinkProject.put(JobFields.PROJECT, null);
        assertThat(s.updateIfStatus(3, JobStatus.FAILED, unlinkProject)).isPresent();
        assertThat(s.updateIfActive(5, Map.of(JobFields.INVENTORY, 11L))).isPresent();

        assertThat(page.apply(JobFields.INVENTORY, "10").items()).extracting(UnifiedJob::id).containsExactly(1L, 3L, 4L, 6L);
        assertThat(page.apply(JobFields.INVENTORY, "10").count()).isEqualTo(4);
        assertThat(page.apply(JobFields.INVENTORY, "11").items()).extracting(UnifiedJob::id).containsExactly(5L);
        assertThat(page.apply(JobFields.INVENTORY, "11").count()).isEqualTo(1);
        assertThat(page.apply(JobFields.PROJECT, "20").items()).extracting(UnifiedJob::id).containsExactly(1L, 2L, 4L, 5L, 6L);
        assertThat(page.apply(JobFields.PROJECT, "20").count()).isEqualTo(5);
        Map<String, Object> noInventory = new java.util.HashMap<>();
        noInventory.put(JobFields.INVENTORY, null);
        s.insert(job(7, JobKind.JOB, 7, noInventory)); // stored with a null inventory, as a workflow's node may be
        assertThat(s.updateIfActive(7, Map.of(JobFields.INVENTORY, 11L))).as("a null is no value to keep").isPresent();
        assertThat(page.apply(JobFields.INVENTORY, "11").items()).extracting(UnifiedJob::id).containsExactly(5L, 7L);
        assertThat(s.updateIfStatus(2, JobStatus.FAILED, unlink)).as("an unlinked job unlinked again").isPresent();
        assertThat(s.deleteIfFinished(2)).isTrue();
        assertThat(page.apply(JobFields.INVENTORY, "10").count()).as("a deleted unlinked job moves no inventory count").isEqualTo(4);
        assertThat(s.repairCounts()).as("every counter was moved with its job").isEmpty();
        assertThat(s.repairIndexKeys()).as("no entry is left behind").isZero();
    }

    protected static UnifiedJob job(long id, JobKind kind, int secondsAfterT0, Map<String, Object> fields) {
        return UnifiedJob.newPending(id, kind, kind.type() + "-" + id, LaunchType.MANUAL, T0.plusSeconds(secondsAfterT0), fields);
    }
}
