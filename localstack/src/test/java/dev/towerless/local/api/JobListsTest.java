package dev.towerless.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.local.ApiClient;
import dev.towerless.local.EmbeddedStack;
import dev.towerless.local.LocalStackFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Job lists as a user sees them through the HTTP API when pages come from keys-only indexes and
 * counts from counters (docs/list-reads.md): the same pages, order and counts as before, deep
 * pages, {@code unified_jobs/} merged across kinds in id order, a template's jobs past 1,000,
 * and a filter no index serves stopping at its budget with a Warning.
 */
class JobListsTest {
    private static final ApiClient API = LocalStackFixture.admin();
    /** Ids above everything the other tests make, so this test's jobs are the newest. */
    private static final long BASE = 8_000_000 + ThreadLocalRandom.current().nextLong(1000) * 1000;
    private static final long TEMPLATE = BASE + 500;
    private static final long INVENTORY = BASE + 600;
    private static final long HOST = BASE + 700;
    private static final long PROJECT = BASE + 800;
    private static long jobsBefore;
    private static long unifiedBefore;
    private static long canceledBefore;
    private static final List<Long> JOB_IDS = new ArrayList<>();
    private static final List<Long> UPDATE_IDS = new ArrayList<>();

    @BeforeAll
    static void aHistoryOfJobsAndProjectUpdates() {
        jobsBefore = count("jobs/");
        unifiedBefore = count("unified_jobs/");
        canceledBefore = count("jobs/?status=canceled");
        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 1; i <= 40; i++) {
            long id = BASE + i;
            JobKind kind = i % 4 == 0 ? JobKind.PROJECT_UPDATE : JobKind.JOB;
            Map<String, Object> fields = new HashMap<>();
            if (kind == JobKind.JOB) {
                fields.put(JobFields.UNIFIED_JOB_TEMPLATE, i % 2 == 1 ? TEMPLATE : TEMPLATE + 1);
                fields.put(JobFields.JOB_TEMPLATE, i % 2 == 1 ? TEMPLATE : TEMPLATE + 1);
                if (i % 2 == 0) {
                    fields.put(JobFields.INVENTORY, INVENTORY);
                }
                JOB_IDS.add(id);
            } else {
                UPDATE_IDS.add(id);
            }
            if (kind == JobKind.PROJECT_UPDATE || i % 3 == 0) {
                fields.put(JobFields.PROJECT, PROJECT);
            }
            // project updates started by a job's launch (sync), scheduled runs, manual ones
            LaunchType way = kind == JobKind.PROJECT_UPDATE && i % 8 == 0 ? LaunchType.SYNC
                    : i % 3 == 1 ? LaunchType.SCHEDULED : LaunchType.MANUAL;
            UnifiedJob j = UnifiedJob.newPending(id, kind, "listed-" + BASE + "-" + i, way, t0.plusSeconds(i), fields);
            // finished (so the stack's task manager leaves them alone), not in the order they were created
            Instant end = t0.plusSeconds(100 + (i * 37) % 41);
            if (i % 5 == 0) {
                jobs.insert(j.with(JobTransitions.changesFor(j, JobStatus.CANCELED, end)));
            } else if (i % 3 == 0) {
                // failed by the runner: the status index key moves with each write. Stored waiting, not
                // pending: the stack's task manager would take a pending job first (CI saw it), and
                // waiting now, so its reaper finds nothing overdue before the job fails.
                Instant now = Instant.now();
                UnifiedJob w = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, now));
                jobs.insert(w);
                UnifiedJob r = jobs.updateIfStatus(id, JobStatus.WAITING, JobTransitions.changesFor(w, JobStatus.RUNNING, now)).orElseThrow();
                jobs.updateIfStatus(id, JobStatus.RUNNING, JobTransitions.changesFor(r, JobStatus.FAILED, end)).orElseThrow();
            } else {
                UnifiedJob w = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, t0.plusSeconds(i)));
                UnifiedJob r = w.with(JobTransitions.changesFor(w, JobStatus.RUNNING, t0.plusSeconds(i)));
                jobs.insert(r.with(JobTransitions.changesFor(r, JobStatus.SUCCESSFUL, end)));
            }
        }
    }

    @Test
    void pagesAndCountsOfOneKindAreWhatTheyWere() {
        assertThat(count("jobs/")).isEqualTo(jobsBefore + 30);
        ApiClient.Response first = API.get("jobs/?order_by=-id&page_size=5");
        assertThat(ids(first)).containsExactly(newest(JOB_IDS, 0, 5).toArray(Long[]::new));
        assertThat(ids(API.get("jobs/?order_by=-id&page_size=5&page=2"))).containsExactly(newest(JOB_IDS, 5, 5).toArray(Long[]::new));
        long last = (count("jobs/") + 4) / 5;
        ApiClient.Response deepest = API.get("jobs/?page_size=5&page=" + last);
        assertThat(ids(deepest)).as("the last page in id order ends with the newest job").endsWith(JOB_IDS.get(JOB_IDS.size() - 1));
        assertThat(deepest.json().get("next")).isNull();
        assertThat(API.get("jobs/?page_size=5&page=" + (last - 1)).json().get("next"))
                .isEqualTo("/api/v2/jobs/?page=" + last + "&page_size=5");
        assertThat(API.get("jobs/?page_size=5&page=" + (last + 1)).json().get("results")).asList().isEmpty();
    }

    @Test
    void unifiedJobsMergeEveryKindInIdOrder() {
        assertThat(count("unified_jobs/")).isEqualTo(unifiedBefore + 40);
        ApiClient.Response page = API.get("unified_jobs/?order_by=-id&page_size=8");
        List<Long> all = new ArrayList<>(JOB_IDS);
        all.addAll(UPDATE_IDS);
        assertThat(ids(page)).containsExactly(newest(all, 0, 8).toArray(Long[]::new));
        assertThat(types(page)).contains("job", "project_update");
        ApiClient.Response updates = API.get("unified_jobs/?type=project_update&order_by=-id&page_size=3");
        assertThat(ids(updates)).containsExactly(newest(UPDATE_IDS, 0, 3).toArray(Long[]::new));
        assertThat(types(API.get("unified_jobs/?type=project_update,job&order_by=-id&page_size=4"))).contains("job", "project_update");
        assertThat(API.get("unified_jobs/?type=nosuchkind").json().get("count")).isEqualTo(0);
    }

    @Test
    void aTemplatesJobsComeFromItsIndexWithItsCount() {
        ApiClient.Response r = API.get("jobs/?job_template=" + TEMPLATE + "&page_size=4&page=2");
        assertThat(r.json().get("count")).isEqualTo(20);
        List<Long> ofTemplate = JOB_IDS.stream().filter(id -> (id - BASE) % 2 == 1).toList();
        assertThat(ids(r)).containsExactlyElementsOf(ofTemplate.subList(4, 8));
        assertThat(API.get("jobs/?job_template=" + TEMPLATE + "&status=canceled").json().get("count"))
                .as("with a second filter: the template's jobs, filtered").isEqualTo(4);
    }

    @Test
    void aStatusCountsFromItsCounterAndItsPageIsTheNewestOfThatStatus() {
        assertThat(count("jobs/?status=canceled")).isEqualTo(canceledBefore + 6);
        assertThat(ids(API.get("jobs/?status=canceled&order_by=-id&page_size=3")))
                .containsExactly(BASE + 35, BASE + 30, BASE + 25);
        assertThat(ids(API.get("jobs/?status=canceled&order_by=-id&page_size=3&page=2")))
                .containsExactly(BASE + 15, BASE + 10, BASE + 5);
        assertThat(API.get("jobs/?status=nosuchstatus").json().get("count")).as("no job has it").isEqualTo(0);
    }

    /**
     * {@code ?status=failed} from the (kind, status) index: every page, in both id orders, is
     * exactly the store's failed jobs filtered from all of them (AWX's result), for one kind and
     * for {@code unified_jobs/}, and a page reads its keys and its items, not the history.
     */
    @Test
    void aStatusPageIsExactlyTheFilteredJobsInEitherOrderAndReadsAboutTwicePageSize() throws InterruptedException {
        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        // The stack may still be ending a job an earlier test started: compare once nothing fails meanwhile.
        List<Long> failed = failedJobs(jobs);
        for (int i = 0; i < 40 && (count("jobs/?status=failed") != failed.size() || !failedJobs(jobs).equals(failed)); i++) {
            Thread.sleep(250);
            failed = failedJobs(jobs);
        }
        assertThat(failed).as("this test's failed jobs").contains(BASE + 3, BASE + 9, BASE + 39);
        assertThat(count("jobs/?status=failed")).isEqualTo(failed.size());
        assertThat(allPages("jobs/?status=failed&page_size=5")).containsExactlyElementsOf(failed);
        List<Long> newestFirst = new ArrayList<>(failed);
        java.util.Collections.reverse(newestFirst);
        assertThat(allPages("jobs/?status=failed&order_by=-id&page_size=5")).containsExactlyElementsOf(newestFirst);

        List<Long> unified = new ArrayList<>();
        for (JobKind k : JobKind.values()) {
            jobs.all(k).stream().filter(j -> j.status() == JobStatus.FAILED || j.status() == JobStatus.CANCELED)
                    .forEach(j -> unified.add(j.id()));
        }
        unified.sort(java.util.Comparator.reverseOrder());
        assertThat(allPages("unified_jobs/?status__in=failed,canceled&order_by=-id&page_size=7")).containsExactlyElementsOf(unified);
        assertThat(count("unified_jobs/?status__in=failed,canceled")).isEqualTo(unified.size());
        List<Long> canceledUpdates = UPDATE_IDS.stream().filter(id -> (id - BASE) % 5 == 0).sorted(java.util.Comparator.reverseOrder())
                .toList();
        assertThat(ids(API.get("unified_jobs/?type=project_update&status=canceled&order_by=-id&page_size=2")))
                .containsExactlyElementsOf(canceledUpdates.subList(0, 2));
        assertThat(API.get("jobs/?status__in=").status()).as("AWX's 400 for an empty __in").isEqualTo(400);
        assertThat(API.get("jobs/?status=failed&nosuchfield=1").status()).isEqualTo(400);

        // An unfiltered page reads its S keys, its S jobs and one counter: 2·S plus a constant. A
        // status page reads about as much. Both newest first, so both are this test's jobs: the
        // oldest are other tests', and a job of theirs may name another (its project update), which
        // the page then reads too. The count is the JVM's, and the stack's own passes (its task
        // manager, its reaper) read jobs meanwhile, so a page may be charged a few of their items:
        // the bounds allow one page more, and a walk of this kind's history reads far more.
        int size = 5;
        long unfiltered = fewestItemsRead("jobs/?order_by=-id&page_size=" + size);
        assertThat(unfiltered).isLessThanOrEqualTo(3L * size + 5);
        assertThat(fewestItemsRead("jobs/?status=failed&order_by=-id&page_size=" + size)).isLessThanOrEqualTo(unfiltered + size);
        // unified_jobs/: the first chunk of every (kind, status) query is read at once (up to a page each)
        int queries = JobKind.values().length;
        assertThat(fewestItemsRead("unified_jobs/?status=failed&order_by=-id&page_size=" + size))
                .isLessThanOrEqualTo(unfiltered - 2L * size + (long) queries * size + size + queries);
    }

    /**
     * AWX's UI asks {@code unified_jobs/?not__launch_type=sync&order_by=-finished} for its Jobs
     * screen: served from the finished index, every page in both orders is AWX's (PostgreSQL's)
     * order of the store's jobs, sync updates left out, counted exactly, and a page reads about
     * twice its size, not the history.
     */
    @Test
    void awxUisJobsScreenPagesInFinishedOrderFromItsIndex() {
        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        java.util.Comparator<UnifiedJob> postgres = java.util.Comparator
                .comparing((UnifiedJob j) -> j.finished().orElse(Instant.MAX)).thenComparingLong(UnifiedJob::id);
        java.util.function.Supplier<List<Long>> notSyncNow = () -> {
            List<UnifiedJob> notSync = new ArrayList<>();
            for (JobKind k : JobKind.values()) {
                jobs.all(k).stream().filter(j -> !"sync".equals(j.get(JobFields.LAUNCH_TYPE))).forEach(notSync::add);
            }
            return notSync.stream().sorted(postgres.reversed()).map(UnifiedJob::id).toList();
        };
        List<Long> mine = new ArrayList<>(JOB_IDS);
        mine.addAll(UPDATE_IDS);
        java.util.function.Function<List<Long>, List<Long>> ours = l -> l.stream().filter(mine::contains).toList();
        String ui = "unified_jobs/?not__launch_type=sync&order_by=-finished&page_size=7";
        // The stack is shared: another class's job launched, finished or deleted during the walk shifts
        // every page after it by one (as AWX's OFFSET pages shift), so a walk counts only if the stack's
        // jobs in this order were the same before and after it.
        List<Long> expected;
        List<Long> shown;
        long counted;
        int walks = 0;
        do {
            expected = notSyncNow.get();
            counted = count(ui);
            shown = allPages(ui);
            walks++;
        } while (!expected.equals(notSyncNow.get()) && walks < 5);
        assertThat(counted).isEqualTo(expected.size());
        assertThat(ours.apply(shown)).as("this test's jobs, finished out of id order").hasSize(35)
                .containsExactlyElementsOf(ours.apply(expected));
        assertThat(shown).as("every job once").doesNotHaveDuplicates().hasSize(expected.size());

        List<UnifiedJob> scheduled = jobs.all(JobKind.JOB).stream().filter(j -> "scheduled".equals(j.get(JobFields.LAUNCH_TYPE))).toList();
        assertThat(ours.apply(allPages("jobs/?launch_type=scheduled&order_by=finished&page_size=4")))
                .containsExactlyElementsOf(ours.apply(scheduled.stream().sorted(postgres).map(UnifiedJob::id).toList()));
        assertThat(count("jobs/?launch_type=scheduled&order_by=-finished")).isEqualTo(scheduled.size());
        assertThat(API.get("jobs/?launch_type=nosuchway&order_by=-finished").json().get("count")).as("no job has it").isEqualTo(0);

        // the UI's first page: 5 keys, 5 jobs, the counters, the active jobs and what every request reads
        int size = 5;
        long unfiltered = fewestItemsRead("unified_jobs/?page_size=" + size);
        int kinds = JobKind.values().length;
        assertThat(fewestItemsRead("unified_jobs/?not__launch_type=sync&order_by=-finished&page_size=" + size))
                .isLessThanOrEqualTo(unfiltered + 2L * kinds * size);
    }

    /**
     * {@code ?inventory=N}, {@code ?project=N}, {@code ?launch_type=X} (awx.awx's and AWX's CLI's
     * filters) in id order: exactly the jobs with that value, every page in both orders, with their
     * count, read from the job_filters keys (about what an unfiltered page reads, no walk).
     */
    @Test
    void anInventoryAProjectOrALaunchTypePagesFromItsKeys() throws Exception {
        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        List<Long> onInventory = JOB_IDS.stream().filter(id -> (id - BASE) % 2 == 0).toList();
        assertThat(allPages("jobs/?inventory=" + INVENTORY + "&page_size=3")).containsExactlyElementsOf(onInventory).hasSize(10);
        List<Long> newestFirst = new ArrayList<>(onInventory);
        java.util.Collections.reverse(newestFirst);
        assertThat(allPages("jobs/?inventory=" + INVENTORY + "&order_by=-id&page_size=4")).containsExactlyElementsOf(newestFirst);
        assertThat(count("jobs/?inventory=" + INVENTORY)).isEqualTo(10);

        List<Long> jobsOfProject = JOB_IDS.stream().filter(id -> (id - BASE) % 3 == 0).toList();
        assertThat(allPages("jobs/?project=" + PROJECT + "&page_size=4")).containsExactlyElementsOf(jobsOfProject);
        assertThat(count("project_updates/?project=" + PROJECT)).isEqualTo(UPDATE_IDS.size());
        assertThat(count("jobs/?project=" + (PROJECT + 1))).isZero();

        List<Long> scheduled = jobs.all(JobKind.JOB).stream().filter(j -> "scheduled".equals(j.get(JobFields.LAUNCH_TYPE)))
                .map(UnifiedJob::id).toList();
        assertThat(allPages("jobs/?launch_type=scheduled&page_size=7")).containsExactlyElementsOf(scheduled);
        assertThat(count("jobs/?launch_type=scheduled")).isEqualTo(scheduled.size());
        List<Long> syncs = new ArrayList<>();
        for (JobKind k : JobKind.values()) {
            jobs.all(k).stream().filter(j -> "sync".equals(j.get(JobFields.LAUNCH_TYPE))).forEach(j -> syncs.add(j.id()));
        }
        syncs.sort(java.util.Comparator.reverseOrder());
        assertThat(allPages("unified_jobs/?launch_type=sync&order_by=-id&page_size=5")).containsExactlyElementsOf(syncs)
                .containsAll(UPDATE_IDS.stream().filter(id -> (id - BASE) % 8 == 0).toList());
        assertThat(count("unified_jobs/?launch_type__in=sync,manual")).isEqualTo(syncs.size()
                + count("unified_jobs/?launch_type=manual"));

        int size = 5;
        long unfiltered = fewestItemsRead("jobs/?order_by=-id&page_size=" + size); // this test's jobs, as the filtered pages'
        for (String filter : List.of("inventory=" + INVENTORY, "project=" + PROJECT, "launch_type=scheduled")) {
            HttpResponse<String> r = get("jobs/?" + filter + "&page_size=" + size);
            assertThat(r.headers().firstValue("Warning")).as(filter + ": not a walk cut short").isEmpty();
            assertThat(fewestItemsRead("jobs/?" + filter + "&order_by=-id&page_size=" + size)).as(filter)
                    .isLessThanOrEqualTo(unfiltered + size); // as above: one page more at most, never a walk
        }
    }

    /**
     * The Jobs tabs of AWX's UI filter {@code unified_jobs/} through a kind's own model: a
     * template's ({@code job__job_template}), an inventory's (four {@code or__} filters, one per
     * kind that runs on an inventory), a host's ({@code job__hosts}, from its host summaries).
     * Each shows exactly that object's jobs in finished order; a field no kind has is AWX's 400.
     */
    @Test
    void awxUisJobsTabsOfATemplateAnInventoryAndAHost() {
        String ui = "&not__launch_type=sync&order_by=-finished&page_size=50";
        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        java.util.Comparator<UnifiedJob> newestFinished = java.util.Comparator
                .comparing((UnifiedJob j) -> j.finished().orElse(Instant.MAX)).thenComparingLong(UnifiedJob::id).reversed();
        java.util.function.Function<java.util.function.Predicate<UnifiedJob>, List<Long>> expected = keep -> JOB_IDS.stream()
                .map(id -> jobs.find(id).orElseThrow()).filter(keep).sorted(newestFinished).map(UnifiedJob::id).toList();

        ApiClient.Response template = API.get("unified_jobs/?job__job_template=" + TEMPLATE + ui);
        assertThat(ids(template)).containsExactlyElementsOf(expected.apply(j -> (j.id() - BASE) % 2 == 1)).hasSize(20);
        assertThat(template.json().get("count")).isEqualTo(20);

        ApiClient.Response inventory = API.get("unified_jobs/?or__job__inventory=" + INVENTORY + "&or__adhoccommand__inventory=" + INVENTORY
                + "&or__inventoryupdate__inventory_source__inventory=" + INVENTORY + "&or__workflowjob__inventory=" + INVENTORY + ui);
        assertThat(ids(inventory)).containsExactlyElementsOf(expected.apply(j -> (j.id() - BASE) % 2 == 0)).hasSize(10);

        List<Long> ranOnHost = List.of(BASE + 1, BASE + 2, BASE + 3);
        dev.towerless.core.ports.HostSummaryStore summaries = LocalStackFixture.stack().context()
                .getBean(dev.towerless.core.ports.HostSummaryStore.class);
        Map<String, Integer> counts = new HashMap<>();
        dev.towerless.core.jobs.HostSummary.COUNTERS.forEach(c -> counts.put(c, 0));
        summaries.putAll(ranOnHost.stream().map(job -> new dev.towerless.core.jobs.HostSummary(job + 50_000, job, HOST, "web-1",
                counts, "2026-11-01T00:00:00.000000Z")).toList());
        assertThat(ids(API.get("unified_jobs/?job__hosts=" + HOST + ui)))
                .containsExactlyElementsOf(expected.apply(j -> ranOnHost.contains(j.id())));

        assertThat(API.get("unified_jobs/?job__job_template=" + (TEMPLATE + 99) + ui).json().get("count")).isEqualTo(0);
        ApiClient.Response wrong = API.get("unified_jobs/?job__nosuchfield=1" + ui);
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(400);
    }

    private static List<Long> failedJobs(JobStore jobs) {
        return new ArrayList<>(jobs.all(JobKind.JOB).stream().filter(j -> j.status() == JobStatus.FAILED).map(UnifiedJob::id).toList());
    }

    /** The ids of every page of a list, following {@code next}. */
    @SuppressWarnings("unchecked")
    private static List<Long> allPages(String path) {
        List<Long> out = new ArrayList<>();
        String next = path;
        while (next != null) {
            ApiClient.Response r = API.get(next.replaceFirst("^/api/v2/", ""));
            out.addAll(ids(r));
            next = (String) r.json().get("next");
        }
        return out;
    }

    /**
     * Job items (keys, jobs, counters) one request reads: the fewest of three, as the stack's own
     * passes may read meanwhile. Not the objects its jobs name, nor the caller's token and user
     * (the resources table): those differ from page to page with what the jobs name, however the
     * page is read, and the benchmark counts them.
     */
    private static long fewestItemsRead(String path) {
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            fewest = Math.min(fewest, dev.towerless.local.bench.ItemsRead.during(() -> assertThat(API.get(path).status()).isEqualTo(200),
                    table -> !table.endsWith("resources")));
        }
        return fewest;
    }

    @Test
    void aFilterNoIndexServesStopsAtItsBudgetAndSaysSo() throws Exception {
        System.setProperty("towerless.list.walk-budget", "12");
        try {
            HttpResponse<String> r = get("jobs/?name__startswith=listed-" + BASE + "&order_by=-id&page_size=5");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Warning")).contains(
                    "199 towerless \"listing stopped after reading 12 jobs; count is a lower bound\"");
            Map<String, Object> body = dev.towerless.api.dialect.Json.readObject(r.body());
            assertThat(((Number) body.get("count")).longValue()).as("the 12 newest jobs only").isEqualTo(12);
            assertThat(API.get("unified_jobs/?name__startswith=listed-&order_by=-id").json().get("count")).isEqualTo(12);
            assertThat(API.get("jobs/?nosuchfield=1").status()).as("a bad filter is still a 400").isEqualTo(400);
        } finally {
            System.clearProperty("towerless.list.walk-budget");
        }
        HttpResponse<String> whole = get("jobs/?name__startswith=listed-" + BASE + "&order_by=-id&page_size=5");
        assertThat(whole.headers().firstValue("Warning")).isEmpty();
        assertThat(dev.towerless.api.dialect.Json.readObject(whole.body()).get("count")).isEqualTo(30);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        EmbeddedStack stack = LocalStackFixture.stack();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                .header("Authorization", "Bearer " + stack.adminToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Long> newest(List<Long> ids, int skip, int n) {
        List<Long> sorted = new ArrayList<>(ids);
        sorted.sort(java.util.Comparator.reverseOrder());
        return sorted.subList(skip, skip + n);
    }

    @SuppressWarnings("unchecked")
    private static List<Long> ids(ApiClient.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return ((List<Map<String, Object>>) r.json().get("results")).stream().map(m -> ((Number) m.get("id")).longValue()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> types(ApiClient.Response r) {
        return ((List<Map<String, Object>>) r.json().get("results")).stream().map(m -> (String) m.get("type")).toList();
    }

    private static long count(String path) {
        ApiClient.Response r = API.get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return ((Number) r.json().get("count")).longValue();
    }
}
