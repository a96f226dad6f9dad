package dev.towerless.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.contract.JobStoreContract;
import dev.towerless.local.SharedEmulators;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynaliteJobStoreTest extends JobStoreContract {
    /**
     * Job ids per positions block in every store object here (production: 1,000), so that the
     * contract's pages beyond the first reach the deep-page path with a short history.
     */
    private static final int BLOCK = 10;
    private final Map<JobStore, String> prefixes = new java.util.IdentityHashMap<>();
    private DynamoDbClient dynamo;

    @Override
    protected JobStore store() {
        String prefix = SharedEmulators.uniquePrefix();
        dynamo = SharedEmulators.dynamoWithTables(prefix);
        JobStore s = new DynamoJobStore(dynamo, prefix, BLOCK);
        prefixes.put(s, prefix);
        return s;
    }

    @Override
    protected void breakCounter(JobStore store, String name, long value) {
        dynamo.putItem(r -> r.tableName(prefixes.get(store) + "sequences")
                .item(Map.of("name", AttributeValue.fromS(name), "value", AttributeValue.fromN(Long.toString(value)))));
    }

    @Test
    void runningJobsSpreadOverSixteenPartitionsOfTheActiveIndex() {
        String prefix = SharedEmulators.uniquePrefix();
        DynamoDbClient dynamo = SharedEmulators.dynamoWithTables(prefix);
        JobStore s = new DynamoJobStore(dynamo, prefix, BLOCK);
        for (int i = 1; i <= 64; i++) {
            s.insert(UnifiedJob.newPending(i, JobKind.JOB, "j" + i, LaunchType.MANUAL, Instant.parse("2026-11-28T10:00:00Z"), Map.of()));
        }
        Set<String> keys = new HashSet<>();
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(r -> r.tableName(prefix + "jobs").indexName("active")).items()) {
            keys.add(item.get("active_shard").s());
        }
        assertThat(keys).hasSize(16).allMatch(k -> k.startsWith("active#"));
    }

    @Test
    void jobsAnOlderStoreMarkedActiveAreStillRead() {
        String prefix = SharedEmulators.uniquePrefix();
        DynamoDbClient dynamo = SharedEmulators.dynamoWithTables(prefix);
        JobStore s = new DynamoJobStore(dynamo, prefix, BLOCK);
        s.insert(UnifiedJob.newPending(7, JobKind.JOB, "old", LaunchType.MANUAL, Instant.parse("2026-11-28T10:00:00Z"), Map.of()));
        dynamo.updateItem(r -> r.tableName(prefix + "jobs").key(Map.of("id", AttributeValue.fromN("7")))
                .updateExpression("SET active_shard = :a").expressionAttributeValues(Map.of(":a", AttributeValue.fromS("active"))));
        assertThat(s.active()).extracting(UnifiedJob::id).containsExactly(7L);
    }

    /**
     * The nightly recount runs while jobs are launched. Jobs inserted after it read the counters
     * and before its scan saw them have counted themselves: a drift they explain must be left
     * alone (moving it counted them twice, which the suite saw as list counts two over), while a
     * counter left short by far more than that is still moved, and a quiet run sets it exactly.
     */
    @Test
    void aRecountDuringLaunchesCountsTheirJobsOnceAndStillMendsAShortCounter() {
        JobStore writer = store();
        String prefix = prefixes.get(writer);
        DynamoDbClient plain = dynamo;
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        Runnable launch = () -> writer.insert(job(next.incrementAndGet(), JobKind.JOB, 0,
                Map.of(dev.towerless.core.jobs.JobFields.UNIFIED_JOB_TEMPLATE, 7L)));
        for (int i = 0; i < 30; i++) {
            launch.run();
        }
        breakCounter(writer, "count#job", 3); // a writer died between 27 jobs and their counter
        // five launches land after the recount read the counters (its scan of the sequences), before its scan of the jobs
        java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
        DynamoDbClient racing = intercepted(plain, new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void afterExecution(software.amazon.awssdk.core.interceptor.Context.AfterExecution context,
                                       software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.ScanRequest scan
                        && scan.tableName().equals(prefix + "sequences") && fired.compareAndSet(false, true)) {
                    for (int i = 0; i < 5; i++) {
                        launch.run();
                    }
                }
            }
        });
        new DynamoJobStore(racing, prefix, BLOCK).repairCounts();
        assertThat(fired).isTrue();
        Map<String, Long> counted = counters(plain, prefix, "count#job", "count#template#7");
        assertThat(counted.get("count#template#7")).as("the drift the launches explain is left: each job counted once").isEqualTo(35);
        assertThat(counted.get("count#job")).as("27 short: mended, off by at most the 5 launched meanwhile").isBetween(35L, 40L);
        writer.repairCounts();
        assertThat(counters(plain, prefix, "count#job", "count#template#7")).as("a quiet run sets every counter exactly")
                .containsEntry("count#job", 35L).containsEntry("count#template#7", 35L);
    }

    /**
     * A page of templates reads each one's newest job from its pointer: two batch reads however
     * many templates (the pointers, then the jobs), one when the jobs were read ahead, where each
     * template was an index query. A pointer left low by a launch whose bookkeeping failed shows
     * the older job until the nightly repair raises it.
     */
    @Test
    void theNewestJobsOfAPageOfTemplatesAreTwoBatchReadsAndALowPointerIsRaisedByTheRepair() {
        JobStore s = store();
        String prefix = prefixes.get(s);
        for (int i = 1; i <= 40; i++) {
            s.insert(job(i, JobKind.JOB, i, Map.of(dev.towerless.core.jobs.JobFields.UNIFIED_JOB_TEMPLATE, 101L + (i - 1) % 20)));
        }
        java.util.List<Long> templates = java.util.stream.LongStream.range(101, 126).boxed().toList(); // 121-125 never launched
        java.util.List<Object> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobStore counted = recording(calls, prefix);
        Map<Long, UnifiedJob> first = counted.newestOfTemplates(templates);
        assertThat(first).hasSize(20).allSatisfy((t, j) -> assertThat(j.id()).isEqualTo(t - 100 + 20));
        calls.clear();
        Map<Long, UnifiedJob> again = counted.newestOfTemplates(templates);
        assertThat(again).isEqualTo(first);
        assertThat(calls).as("the pointers, then their jobs: no index query").hasSize(2)
                .allMatch(r -> r instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest);
        calls.clear();
        Map<Long, UnifiedJob> readAhead = first.values().stream().collect(java.util.stream.Collectors.toMap(UnifiedJob::id, j -> j));
        assertThat(counted.newestOfTemplates(templates, readAhead)).isEqualTo(first);
        assertThat(calls).as("the jobs read ahead: the pointers only").hasSize(1);

        dynamo.putItem(r -> r.tableName(prefix + "sequences").item(Map.of("name", AttributeValue.fromS("newest#template#107"),
                "value", AttributeValue.fromN("7")))); // job 27's launch never raised it
        assertThat(s.newestOfTemplates(java.util.List.of(107L)).get(107L).id()).as("low until repaired").isEqualTo(7L);
        assertThat(s.repairCounts()).containsEntry("newest#template#107", 27L);
        assertThat(s.newestOfTemplates(java.util.List.of(107L)).get(107L).id()).isEqualTo(27L);
        assertThat(s.repairCounts()).as("nothing left to raise").isEmpty();
    }

    /**
     * {@code unified_jobs/} over every kind reads its page from one partition of job_filters that
     * lists every job: one Query, not one per kind, whatever the page. A store an older version
     * wrote (no such entries, no marker) is still read right, from the kinds' partitions, until
     * the nightly repair lists its jobs there.
     */
    @Test
    void aPageOfEveryKindIsOneQueryOfTheEveryJobPartitionOnceTheRepairHasListedOldJobs() {
        JobStore s = store();
        String prefix = prefixes.get(s);
        JobKind[] kinds = {JobKind.JOB, JobKind.PROJECT_UPDATE, JobKind.INVENTORY_UPDATE, JobKind.SYSTEM_JOB};
        for (int i = 1; i <= 30; i++) {
            UnifiedJob pending = job(i, kinds[i % kinds.length], i, Map.of());
            s.insert(canceled(pending, Instant.parse("2026-11-28T11:00:00Z")));
        }
        s.deleteIfFinished(17);
        Set<JobKind> every = java.util.EnumSet.allOf(JobKind.class);
        java.util.List<Long> newest = java.util.stream.LongStream.iterate(30, i -> i - 1).limit(30).filter(i -> i != 17).boxed().toList();
        assertThat(s.walk(every, true, 100).jobs()).extracting(UnifiedJob::id).as("the walk over every kind")
                .containsExactlyElementsOf(newest);
        java.util.List<Object> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobStore counted = recording(calls, prefix);
        assertThat(counted.list(every, new dev.towerless.core.ports.PageRequest(1, 10, true)).items())
                .as("a store object's first page merges the kinds' partitions, and finds the marker with the counters")
                .extracting(UnifiedJob::id).containsExactlyElementsOf(newest.subList(0, 10));
        for (int page = 1; page <= 3; page++) {
            calls.clear();
            var read = counted.list(every, new dev.towerless.core.ports.PageRequest(page, 10, true));
            assertThat(read.items()).extracting(UnifiedJob::id).as("page " + page)
                    .containsExactlyElementsOf(newest.subList((page - 1) * 10, Math.min(29, page * 10)));
            assertThat(read.count()).isEqualTo(29);
            assertThat(calls).as("page " + page + ": the keys, the counters and the page's jobs")
                    .filteredOn(r -> r instanceof software.amazon.awssdk.services.dynamodb.model.QueryRequest).hasSize(1);
            assertThat(calls).hasSize(3);
        }

        // as an older version left it: no job under "all", no marker
        String filters = prefix + "job_filters";
        for (long id = 1; id <= 30; id++) {
            long gone = id;
            dynamo.deleteItem(r -> r.tableName(filters).key(Map.of("filter_key", AttributeValue.fromS("all"), "id", AttributeValue.fromN(Long.toString(gone)))));
        }
        dynamo.deleteItem(r -> r.tableName(prefix + "sequences").key(Map.of("name", AttributeValue.fromS("listed#job_filters#all"))));
        JobStore upgraded = new DynamoJobStore(dynamo, prefix, BLOCK);
        dev.towerless.core.ports.PageRequest first = new dev.towerless.core.ports.PageRequest(1, 50, true);
        assertThat(upgraded.list(every, first).items()).extracting(UnifiedJob::id).as("from the kinds' partitions")
                .containsExactlyElementsOf(newest);
        assertThat(upgraded.repairIndexKeys()).as("each job listed under \"all\"").isEqualTo(29);
        assertThat(upgraded.list(every, first).items()).extracting(UnifiedJob::id).containsExactlyElementsOf(newest);
        assertThat(entries(dynamo, filters)).filteredOn(e -> e.startsWith("all|")).hasSize(29);
    }

    /**
     * {@code unified_jobs/?launch_type=manual} or {@code ?status=canceled} over seven kinds of which
     * a store holds one: once its counters have said so, a page queries that kind's partition only.
     */
    @Test
    void aFilterOrStatusOverKindsWithoutSuchJobsQueriesOnlyThePartitionsTheirCountersName() {
        JobStore s = store();
        for (int i = 1; i <= 5; i++) {
            UnifiedJob pending = job(i, JobKind.JOB, i, Map.of());
            s.insert(canceled(pending, Instant.parse("2026-11-28T11:00:00Z")));
        }
        java.util.List<Object> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobStore counted = recording(calls, prefixes.get(s));
        Set<JobKind> every = java.util.EnumSet.allOf(JobKind.class);
        dev.towerless.core.ports.PageRequest page = new dev.towerless.core.ports.PageRequest(1, 20, true);
        java.util.List<Long> newest = java.util.List.of(5L, 4L, 3L, 2L, 1L);
        for (int round = 1; round <= 2; round++) {
            calls.clear();
            assertThat(counted.withField(every, dev.towerless.core.jobs.JobFields.LAUNCH_TYPE, Set.of("manual"), page)
                    .orElseThrow().items()).extracting(UnifiedJob::id).containsExactlyElementsOf(newest);
            assertThat(calls).as("launch_type, read " + round).filteredOn(r -> r instanceof software.amazon.awssdk.services.dynamodb.model.QueryRequest)
                    .hasSize(round == 1 ? 7 : 1);
            calls.clear();
            assertThat(counted.list(every, Set.of(dev.towerless.core.jobs.JobStatus.CANCELED), page).items())
                    .extracting(UnifiedJob::id).containsExactlyElementsOf(newest);
            assertThat(calls).as("status, read " + round).filteredOn(r -> r instanceof software.amazon.awssdk.services.dynamodb.model.QueryRequest)
                    .hasSize(round == 1 ? 7 : 1);
        }
    }

    /**
     * AWX's UI Jobs screen over seven kinds and eight launch types: once read, a page asks for the
     * launch-type counters its kinds hold (they add up to each kind's count), not all 63; a job of a
     * launch type new to its kind breaks the sum, and is read, counted and shown on that same page.
     */
    @Test
    void theFinishedOrderReadsTheLaunchTypeCountersItsKindsHoldAndFindsANewOne() {
        JobStore s = store();
        LaunchType[] ways = {LaunchType.MANUAL, LaunchType.SCHEDULED};
        for (int i = 1; i <= 4; i++) {
            UnifiedJob pending = UnifiedJob.newPending(i, JobKind.JOB, "job-" + i, ways[i % 2], Instant.parse("2026-11-28T10:00:00Z"), Map.of());
            s.insert(canceled(pending, Instant.parse("2026-11-28T11:00:0" + i + "Z")));
        }
        java.util.List<Integer> keysAsked = new java.util.concurrent.CopyOnWriteArrayList<>();
        String sequences = prefixes.get(s) + "sequences";
        JobStore counted = recording(request -> {
            if (request instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest b && b.requestItems().containsKey(sequences)) {
                keysAsked.add(b.requestItems().get(sequences).keys().size());
            }
        }, prefixes.get(s));
        Set<JobKind> every = java.util.EnumSet.allOf(JobKind.class);
        Set<LaunchType> notSync = java.util.EnumSet.complementOf(java.util.EnumSet.of(LaunchType.SYNC));
        dev.towerless.core.ports.PageRequest first = new dev.towerless.core.ports.PageRequest(1, 20, true);
        java.util.function.Supplier<java.util.List<Long>> page = () -> counted.byFinished(every, notSync, first).items()
                .stream().map(UnifiedJob::id).toList();
        assertThat(page.get()).containsExactly(4L, 3L, 2L, 1L);
        keysAsked.clear();
        assertThat(page.get()).containsExactly(4L, 3L, 2L, 1L);
        int kinds = JobKind.values().length;
        assertThat(keysAsked).as("each kind's count and finished statuses, and job's two launch types")
                .containsExactly(kinds * 5 + 2);
        UnifiedJob viaWorkflow = UnifiedJob.newPending(5, JobKind.JOB, "job-5", LaunchType.WORKFLOW, Instant.parse("2026-11-28T10:00:00Z"), Map.of());
        s.insert(canceled(viaWorkflow, Instant.parse("2026-11-28T11:00:09Z")));
        keysAsked.clear();
        assertThat(page.get()).as("a launch type new to the kind, on the same page").containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(keysAsked).as("the kind's other launch types read once its sum was short").containsExactly(kinds * 5 + 2, 9 - 2);
        keysAsked.clear();
        assertThat(counted.byFinished(every, notSync, first).count()).isEqualTo(5);
        assertThat(keysAsked).as("and asked for from then on").containsExactly(kinds * 5 + 3);
    }

    /** ping/ polled while nothing runs: one batch read of the counters, not the active index's 17 queries. */
    @Test
    void theActiveJobsShownOfAQuietStoreAreOneReadOfItsCounters() {
        JobStore s = store();
        UnifiedJob done = job(1, JobKind.JOB, 1, Map.of());
        s.insert(canceled(done, Instant.parse("2026-11-28T11:00:00Z")));
        java.util.List<Object> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobStore counted = recording(calls, prefixes.get(s));
        assertThat(counted.activeShown()).isEmpty();
        assertThat(calls).as("the first look reads the index").hasSizeGreaterThanOrEqualTo(16);
        calls.clear();
        assertThat(counted.activeShown()).isEmpty();
        assertThat(calls).hasSize(1).allMatch(r -> r instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest);
    }

    /** The job as it is once canceled at {@code at}: a finished job, which a store may delete. */
    private static UnifiedJob canceled(UnifiedJob pending, Instant at) {
        return pending.with(dev.towerless.core.jobs.JobTransitions.changesFor(pending, dev.towerless.core.jobs.JobStatus.CANCELED, at));
    }

    /** A store over the same tables whose every request is added to {@code calls}. */
    private JobStore recording(java.util.List<Object> calls, String prefix) {
        return recording(calls::add, prefix);
    }

    /** A store over the same tables that hands {@code each} of its requests, before it is sent. */
    private JobStore recording(java.util.function.Consumer<Object> each, String prefix) {
        return new DynamoJobStore(intercepted(dynamo, new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                each.accept(context.request());
            }
        }), prefix, BLOCK);
    }

    /**
     * {@code jobs/?page=1000}: the page starts from the edge of the positions block it falls in,
     * reading fewer keys than a block holds rather than the keys of every page before it. While the
     * positions do not add up to the kind's counter (a store an older version wrote, a writer that
     * died between the two) the page skips keys as before and is still right; the nightly repair
     * writes them back, and removes a block its jobs' cleanup emptied.
     */
    @Test
    void aDeepPageReadsLessThanABlockOfKeysAndIsRightWhileItsPositionsAreMissing() {
        JobStore s = store();
        String prefix = prefixes.get(s);
        for (long id = 1; id <= 120; id++) {
            s.insert(canceled(job(id, id % 3 == 0 ? JobKind.PROJECT_UPDATE : JobKind.JOB, (int) id, Map.of()),
                    Instant.parse("2026-11-28T11:00:00Z")));
        }
        for (long id = 40; id <= 49; id++) {
            s.deleteIfFinished(id); // the cleanup of one block's jobs
        }
        java.util.List<Long> newest = java.util.stream.LongStream.iterate(120, i -> i - 1).limit(120)
                .filter(i -> i % 3 != 0 && (i < 40 || i > 49)).boxed().toList();
        java.util.concurrent.atomic.AtomicLong keysRead = new java.util.concurrent.atomic.AtomicLong();
        // the thread each Query ran on: a guessed start is queried on the store's side-read pool
        java.util.List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobStore counted = keysCounting(prefix, keysRead, queries);
        dev.towerless.core.ports.PageRequest deep = new dev.towerless.core.ports.PageRequest(12, 5, true); // 55 jobs skipped
        java.util.function.Function<java.util.List<Long>, java.util.List<Long>> page = all -> {
            keysRead.set(0);
            queries.clear();
            var read = counted.list(JobKind.JOB, deep);
            assertThat(read.count()).isEqualTo(all.size());
            return read.items().stream().map(UnifiedJob::id).toList();
        };
        assertThat(page.apply(newest)).containsExactlyElementsOf(newest.subList(55, 60));
        assertThat(keysRead.get()).as("keys read: from the block's edge, not the 55 skipped").isLessThanOrEqualTo(BLOCK + 5);
        assertThat(page.apply(newest)).as("polled: from the start the positions gave last time, read beside them")
                .containsExactlyElementsOf(newest.subList(55, 60));
        assertThat(queries).as("one Query, issued beside the positions' read and taken").singleElement()
                .satisfies(thread -> assertThat(thread).startsWith("active-shard-reader"));

        // several kinds merged from one edge, and every kind: first the kinds' seven partitions (this store
        // object has not seen the all-partition marker yet), then the all partition; in either order
        java.util.List<Long> everyNewest = java.util.stream.LongStream.iterate(120, i -> i - 1).limit(120)
                .filter(i -> i < 40 || i > 49).boxed().toList();
        for (Set<JobKind> kinds : java.util.List.of(Set.of(JobKind.JOB, JobKind.PROJECT_UPDATE), java.util.EnumSet.allOf(JobKind.class),
                java.util.EnumSet.allOf(JobKind.class))) {
            for (boolean descending : new boolean[] {true, false}) {
                java.util.List<Long> all = descending ? everyNewest : everyNewest.stream().sorted().toList();
                keysRead.set(0);
                var read = counted.list(kinds, new dev.towerless.core.ports.PageRequest(14, 5, descending)); // 65 skipped
                assertThat(read.items()).extracting(UnifiedJob::id).as(kinds + (descending ? " newest first" : " oldest first"))
                        .containsExactlyElementsOf(all.subList(65, 70));
                assertThat(read.count()).isEqualTo(all.size());
                assertThat(keysRead.get()).as("keys read from the block's edge, a page's worth at most per partition beyond it")
                        .isLessThanOrEqualTo(BLOCK + 5L * (kinds.size() + 1));
            }
        }

        // another process launches a job: the start the positions gave last time is one job off now
        s.insert(canceled(job(121, JobKind.JOB, 121, Map.of()), Instant.parse("2026-11-28T11:00:00Z")));
        java.util.List<Long> launched = java.util.stream.Stream.concat(java.util.stream.Stream.of(121L), newest.stream()).toList();
        assertThat(page.apply(launched)).as("the guessed keys are not taken").containsExactlyElementsOf(launched.subList(55, 60));
        assertThat(queries).as("the page from the fresh positions (the guess may be cancelled before it queries)")
                .contains(Thread.currentThread().getName());
        s.deleteIfFinished(121);

        String sequences = prefix + "sequences";
        dynamo.deleteItem(r -> r.tableName(sequences).key(Map.of("name", AttributeValue.fromS("positions#job"))));
        assertThat(page.apply(newest)).as("no positions: the keys are skipped").containsExactlyElementsOf(newest.subList(55, 60));
        assertThat(keysRead.get()).isGreaterThanOrEqualTo(60);

        s.repairCounts();
        assertThat(page.apply(newest)).containsExactlyElementsOf(newest.subList(55, 60));
        assertThat(keysRead.get()).as("the repair wrote the positions back").isLessThanOrEqualTo(BLOCK + 5);
        assertThat(dynamo.getItem(r -> r.tableName(sequences).consistentRead(true)
                .key(Map.of("name", AttributeValue.fromS("positions#project_update")))).item())
                .as("the block the cleanup emptied is removed; the others hold their jobs")
                .doesNotContainKey("b4").containsEntry("b3", AttributeValue.fromN("4")).containsEntry("b0", AttributeValue.fromN("3"));
    }

    /**
     * The nightly repair runs while jobs are launched: those its scan of the jobs missed have moved
     * their blocks already, which the repair must leave (it conditions each write on the block as read
     * before the scan), so the positions still add up and deep pages still start from them.
     */
    @Test
    void aRepairDuringLaunchesLeavesTheirPositionsCounted() {
        JobStore s = store();
        String prefix = prefixes.get(s);
        for (long id = 1; id <= 60; id++) {
            s.insert(canceled(job(id, JobKind.JOB, (int) id, Map.of()), Instant.parse("2026-11-28T11:00:00Z")));
        }
        java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
        DynamoDbClient racing = intercepted(dynamo, new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void afterExecution(software.amazon.awssdk.core.interceptor.Context.AfterExecution context,
                                       software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.ScanRequest scan
                        && scan.tableName().equals(prefix + "jobs") && fired.compareAndSet(false, true)) {
                    for (long id = 61; id <= 75; id++) { // after the scan read the jobs: it misses them
                        s.insert(canceled(job(id, JobKind.JOB, (int) id, Map.of()), Instant.parse("2026-11-28T11:00:00Z")));
                    }
                }
            }
        });
        new DynamoJobStore(racing, prefix, BLOCK).repairCounts();
        assertThat(fired).isTrue();
        java.util.concurrent.atomic.AtomicLong keysRead = new java.util.concurrent.atomic.AtomicLong();
        JobStore counted = keysCounting(prefix, keysRead, new java.util.concurrent.CopyOnWriteArrayList<>());
        var page = counted.list(JobKind.JOB, new dev.towerless.core.ports.PageRequest(5, 10, true)); // 40 skipped
        assertThat(page.count()).isEqualTo(75);
        assertThat(page.items()).extracting(UnifiedJob::id).containsExactly(35L, 34L, 33L, 32L, 31L, 30L, 29L, 28L, 27L, 26L);
        assertThat(keysRead.get()).as("the positions add up: the page starts at its block's edge").isLessThanOrEqualTo(BLOCK + 10);
    }

    /** A store that adds the keys each Query returns to {@code keysRead}, and the thread each ran on to {@code queryThreads}. */
    private JobStore keysCounting(String prefix, java.util.concurrent.atomic.AtomicLong keysRead, java.util.List<String> queryThreads) {
        return new DynamoJobStore(intercepted(dynamo, new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.QueryRequest) {
                    queryThreads.add(Thread.currentThread().getName());
                }
            }

            @Override
            public void afterExecution(software.amazon.awssdk.core.interceptor.Context.AfterExecution context,
                                       software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.response() instanceof software.amazon.awssdk.services.dynamodb.model.QueryResponse q) {
                    keysRead.addAndGet(q.count());
                }
            }
        }), prefix, BLOCK);
    }

    /** A client of the same emulator whose calls pass through {@code interceptor}. */
    private static DynamoDbClient intercepted(DynamoDbClient like, software.amazon.awssdk.core.interceptor.ExecutionInterceptor interceptor) {
        return DynamoDbClient.builder()
                .endpointOverride(java.net.URI.create(SharedEmulators.get().dynamoDbEndpoint()))
                .region(like.serviceClientConfiguration().region())
                .credentialsProvider(like.serviceClientConfiguration().credentialsProvider()) // the emulators' key
                .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor)).build();
    }

    /**
     * A launch (or a delete) whose filter entries and counters cannot be written after the job's
     * own write still succeeds: answering an error would make the client launch it again. The job
     * is stored once, is a gap in its inventory's page until the nightly repair, which lists and
     * counts it; a delete's leftovers are mended the same way.
     */
    @Test
    void aJobWhoseEntriesAndCountersCannotBeWrittenIsStillStoredOnceAndTheRepairMendsThem() {
        JobStore s = store();
        String prefix = prefixes.get(s);
        s.insert(job(1, JobKind.JOB, 0, Map.of(dev.towerless.core.jobs.JobFields.INVENTORY, 5L)));
        JobStore broken = new DynamoJobStore(intercepted(dynamo, new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                boolean bookkeeping = context.request() instanceof software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest
                        || context.request() instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u
                        && u.tableName().equals(prefix + "sequences");
                if (bookkeeping) {
                    throw software.amazon.awssdk.core.exception.SdkClientException.create("injected: the store is unreachable");
                }
            }
        }), prefix, BLOCK);
        UnifiedJob second = job(2, JobKind.JOB, 1, Map.of(dev.towerless.core.jobs.JobFields.INVENTORY, 5L));
        broken.insert(canceled(second, Instant.parse("2026-11-28T10:01:00Z")));
        assertThat(s.find(2)).as("stored, and the launch answered").isPresent();
        java.util.function.Supplier<dev.towerless.core.ports.Page<UnifiedJob>> onInventory = () -> s.withField(Set.of(JobKind.JOB),
                dev.towerless.core.jobs.JobFields.INVENTORY, Set.of("5"), new dev.towerless.core.ports.PageRequest(1, 20, false)).orElseThrow();
        assertThat(onInventory.get().items()).extracting(UnifiedJob::id).as("a gap until the repair").containsExactly(1L);
        s.repairIndexKeys();
        s.repairCounts();
        assertThat(onInventory.get().items()).extracting(UnifiedJob::id).containsExactly(1L, 2L);
        assertThat(onInventory.get().count()).isEqualTo(2);

        assertThat(broken.deleteIfFinished(2)).as("deleted, and the delete answered").isTrue();
        assertThat(s.find(2)).isEmpty();
        s.repairIndexKeys();
        s.repairCounts();
        assertThat(onInventory.get().items()).extracting(UnifiedJob::id).containsExactly(1L);
        assertThat(onInventory.get().count()).isEqualTo(1);
    }

    private static Map<String, Long> counters(DynamoDbClient dynamo, String prefix, String... names) {
        Map<String, Long> out = new java.util.HashMap<>();
        for (String name : names) {
            var item = dynamo.getItem(r -> r.tableName(prefix + "sequences").consistentRead(true)
                    .key(Map.of("name", AttributeValue.fromS(name)))).item();
            out.put(name, Long.parseLong(item.get("value").n()));
        }
        return out;
    }

    /**
     * The repair lists a job whose entries a dead writer never wrote and deletes an entry whose job
     * is gone, leaving every other entry as it was.
     */
    @Test
    void theRepairListsAnUnlistedJobAndDeletesAnEntryWhoseJobIsGone() {
        JobStore s = store();
        for (long id = 1; id <= 3; id++) {
            s.insert(job(id, JobKind.JOB, 0, Map.of(dev.towerless.core.jobs.JobFields.INVENTORY, 5L)));
        }
        String table = prefixes.get(s) + "job_filters";
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("filter_key", AttributeValue.fromS("job#inventory#5"),
                "id", AttributeValue.fromN("2"))));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("filter_key", AttributeValue.fromS("job#inventory#5"),
                "id", AttributeValue.fromN("404"))));
        Set<String> before = entries(dynamo, table);
        assertThat(before).contains("job#inventory#5|404").doesNotContain("job#inventory#5|2");
        assertThat(s.repairIndexKeys()).isEqualTo(2);
        Set<String> after = entries(dynamo, table);
        assertThat(after).containsExactlyInAnyOrder("job#inventory#5|1", "job#inventory#5|2", "job#inventory#5|3",
                "job#launch#manual|1", "job#launch#manual|2", "job#launch#manual|3", "all|1", "all|2", "all|3");
        assertThat(s.repairIndexKeys()).as("a second run writes nothing").isZero();
    }

    private static Set<String> entries(DynamoDbClient dynamo, String table) {
        Set<String> out = new HashSet<>();
        dynamo.scanPaginator(r -> r.tableName(table)).items().forEach(i -> out.add(i.get("filter_key").s() + "|" + i.get("id").n()));
        return out;
    }
}
