package dev.towerless.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.definitions.TableDefinition;
import dev.towerless.aws.definitions.Tables;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Local data made by an older version (its jobs table without {@code by_status_keys} and
 * {@code by_finished_keys}, its jobs without their keys, no launch-type counters) survives
 * provisioning by this one: the table is rebuilt with today's indexes keeping every job, an
 * interrupted rebuild is finished, and after the backfill the new indexes serve {@code ?status=}
 * and {@code order_by=-finished} pages of the old jobs.
 */
class TableMigrationTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    /** The jobs table as main had it before by_status_keys and by_finished_keys. */
    private static final TableDefinition OLD_JOBS = new TableDefinition(Tables.JOBS.logicalName(), Tables.JOBS.partitionKey(),
            Tables.JOBS.sortKey(), Tables.JOBS.indexes().stream()
            .filter(i -> !i.name().equals("by_status_keys") && !i.name().equals("by_finished_keys")).toList(),
            Tables.JOBS.ttlAttribute());

    @Test
    void aJobsTableWithTheOldIndexesIsRebuiltKeepingEveryJobAndTheNewIndexServesThemAfterTheBackfill() {
        String prefix = SharedEmulators.uniquePrefix();
        DynamoDbClient dynamo = oldStack(prefix);
        List<UnifiedJob> stored = oldJobs(dynamo, prefix, 1, 60, true);

        Provisioner.createTables(dynamo, prefix);

        assertThat(indexNames(dynamo, prefix + "jobs")).containsExactlyInAnyOrder("active", "by_type_keys", "by_template_keys",
                "by_status_keys", "by_finished_keys");
        assertThat(Provisioner.exists(dynamo, prefix + "jobs-migrating")).as("the temporary table is removed").isFalse();
        JobStore jobs = new DynamoJobStore(dynamo, prefix);
        assertThat(jobs.findMany(stored.stream().map(UnifiedJob::id).toList())).hasSize(stored.size());
        for (UnifiedJob j : stored) {
            assertThat(jobs.find(j.id()).orElseThrow().fields()).as("job " + j.id()).isEqualTo(j.fields());
        }
        assertThat(jobs.list(JobKind.JOB, new PageRequest(1, 200, false)).items()).hasSize(45);
        assertThat(jobs.list(JobKind.JOB, new PageRequest(1, 200, false)).count()).as("counters are another table").isEqualTo(45);
        Set<JobKind> job = Set.of(JobKind.JOB);
        Set<JobStatus> failed = Set.of(JobStatus.FAILED);
        assertThat(jobs.list(job, failed, new PageRequest(1, 200, false)).items())
                .as("until the backfill an old job has no key in the new index (docs/list-reads.md)").isEmpty();

        Set<String> inventory = Set.of("10");
        PageRequest all = new PageRequest(1, 200, false);
        assertThat(jobs.withField(job, dev.towerless.core.jobs.JobFields.INVENTORY, inventory, all))
                .as("until every old job is listed, ?inventory= is not answered from job_filters: the API walks").isEmpty();
        // each job's JobFilters keys, and the key every job is listed under (unified_jobs/)
        long entries = stored.stream().mapToLong(j -> dev.towerless.core.jobs.JobFilters.keysOf(j).size() + 1).sum();
        assertThat(jobs.repairIndexKeys()).as("each job's status keys, and its filter entries").isEqualTo(stored.size() + entries);
        assertThat(jobs.withField(job, dev.towerless.core.jobs.JobFields.INVENTORY, inventory, all).orElseThrow().items())
                .extracting(UnifiedJob::id).containsExactlyElementsOf(stored.stream()
                        .filter(j -> Long.valueOf(10).equals(j.get(dev.towerless.core.jobs.JobFields.INVENTORY))).map(UnifiedJob::id).toList())
                .isNotEmpty();
        List<Long> failedJobs = stored.stream().filter(j -> j.kind() == JobKind.JOB && j.status() == JobStatus.FAILED)
                .map(UnifiedJob::id).toList();
        assertThat(failedJobs).isNotEmpty();
        assertThat(jobs.list(job, failed, new PageRequest(1, 200, false)).items()).extracting(UnifiedJob::id)
                .containsExactlyElementsOf(failedJobs);
        assertThat(jobs.list(job, failed, new PageRequest(1, 200, false)).count()).isEqualTo(failedJobs.size());
        assertThat(jobs.repairIndexKeys()).as("a second run finds every key in place").isZero();
        assertThat(jobs.repairCounts()).as("the launch-type counters the older version did not keep").isNotEmpty();
        Set<LaunchType> every = java.util.EnumSet.allOf(LaunchType.class);
        List<Long> newestFinishedFirst = stored.stream().filter(j -> j.kind() == JobKind.JOB)
                .sorted(java.util.Comparator.comparing((UnifiedJob j) -> j.finished().orElse(Instant.MAX))
                        .thenComparingLong(UnifiedJob::id).reversed()).map(UnifiedJob::id).toList();
        assertThat(jobs.byFinished(job, every, new PageRequest(1, 200, true)).items()).extracting(UnifiedJob::id)
                .as("pending first, then by finished").containsExactlyElementsOf(newestFinishedFirst);
        assertThat(jobs.byFinished(job, every, new PageRequest(1, 200, true)).count()).isEqualTo(45);

        Provisioner.createTables(dynamo, prefix);
        assertThat(jobs.findMany(stored.stream().map(UnifiedJob::id).toList())).as("provisioning again changes nothing")
                .hasSize(stored.size());
    }

    @Test
    void aRebuildInterruptedAfterTheCopyOutOrBeforeItIsFinished() {
        // stopped after the old table was deleted: the temporary table holds every job
        String prefix = SharedEmulators.uniquePrefix();
        DynamoDbClient dynamo = oldStack(prefix);
        List<UnifiedJob> stored = oldJobs(dynamo, prefix, 1, 30, true);
        Provisioner.createTable(dynamo, renamed(Tables.JOBS, "jobs-migrating"), prefix);
        Provisioner.awaitActive(dynamo, prefix + "jobs-migrating");
        copyAll(dynamo, prefix + "jobs", prefix + "jobs-migrating", Integer.MAX_VALUE);
        dynamo.deleteTable(r -> r.tableName(prefix + "jobs"));
        Provisioner.createTables(dynamo, prefix);
        JobStore jobs = new DynamoJobStore(dynamo, prefix);
        assertThat(jobs.findMany(stored.stream().map(UnifiedJob::id).toList())).hasSize(stored.size());
        assertThat(indexNames(dynamo, prefix + "jobs")).contains("by_status_keys");
        assertThat(Provisioner.exists(dynamo, prefix + "jobs-migrating")).isFalse();

        // stopped halfway through the copy out: the old table still has every job, the copy some
        String other = SharedEmulators.uniquePrefix();
        DynamoDbClient again = oldStack(other);
        List<UnifiedJob> kept = oldJobs(again, other, 100, 130, true);
        Provisioner.createTable(again, renamed(Tables.JOBS, "jobs-migrating"), other);
        Provisioner.awaitActive(again, other + "jobs-migrating");
        copyAll(again, other + "jobs", other + "jobs-migrating", 7);
        Provisioner.createTables(again, other);
        JobStore store = new DynamoJobStore(again, other);
        assertThat(store.findMany(kept.stream().map(UnifiedJob::id).toList())).hasSize(kept.size());
        assertThat(indexNames(again, other + "jobs")).contains("by_status_keys");
        assertThat(Provisioner.exists(again, other + "jobs-migrating")).isFalse();
    }

    /**
     * The user's view: a kept state directory whose jobs table the previous version made (old
     * indexes, jobs without status_key) starts without ./towerless reset, and its failed jobs are
     * on the API's ?status=failed pages, with their count.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aKeptStateDirectoryFromThePreviousVersionStartsAndListsItsJobsByStatus() throws Exception {
        java.nio.file.Path state = java.nio.file.Files.createTempDirectory("towerless-migrate");
        EmbeddedStack.Settings settings = EmbeddedStack.Settings.forTests(state);
        List<UnifiedJob> stored;
        try (EmbeddedStack stack = EmbeddedStack.startPersistent(settings)) {
            // turn this stack's state into what the previous version left: its jobs table, its jobs
            DynamoDbClient dynamo = stack.context().getBean(DynamoDbClient.class);
            String jobsTable = dynamo.listTables().tableNames().stream().filter(n -> n.endsWith("jobs") && !n.contains("migrating"))
                    .findFirst().orElseThrow();
            String prefix = jobsTable.substring(0, jobsTable.length() - "jobs".length());
            dynamo.deleteTable(r -> r.tableName(jobsTable));
            while (dynamo.listTables().tableNames().contains(jobsTable)) {
                Thread.sleep(50);
            }
            Provisioner.createTable(dynamo, OLD_JOBS, prefix);
            Provisioner.awaitActive(dynamo, jobsTable); // dynalite refuses writes to a table still being created (CI saw it)
            stored = oldJobs(dynamo, prefix, 700_001, 700_040, false); // none pending: this stack's task manager runs
        }
        try (EmbeddedStack again = EmbeddedStack.startPersistent(settings)) {
            ApiClient admin = new ApiClient(again.apiUrl(), again.adminToken());
            List<Long> failed = stored.stream().filter(j -> j.kind() == JobKind.JOB && j.status() == JobStatus.FAILED)
                    .map(UnifiedJob::id).sorted(java.util.Comparator.reverseOrder()).toList();
            ApiClient.Response page = admin.get("jobs/?status=failed&order_by=-id&page_size=200");
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(((List<Map<String, Object>>) page.json().get("results")).stream()
                    .map(m -> ((Number) m.get("id")).longValue()).toList()).containsExactlyElementsOf(failed);
            assertThat(((Number) page.json().get("count")).longValue()).isEqualTo(failed.size());
            List<Long> failedOfBoth = stored.stream().filter(j -> j.status() == JobStatus.FAILED).map(UnifiedJob::id).toList();
            ApiClient.Response unified = admin.get("unified_jobs/?type=job,project_update&status=failed&page_size=200");
            assertThat(((List<Map<String, Object>>) unified.json().get("results")).stream()
                    .map(m -> ((Number) m.get("id")).longValue()).toList()).containsExactlyElementsOf(failedOfBoth);
            // the start recounted the job counters; the resource counters beside them are as they were
            ApiClient.Response organizations = admin.get("organizations/?page_size=200");
            assertThat(((Number) organizations.json().get("count")).longValue()).isPositive()
                    .isEqualTo(((List<?>) organizations.json().get("results")).size());
            // AWX's UI's Jobs screen: the old jobs, newest finished first, counted
            ApiClient.Response screen = admin.get("unified_jobs/?not__launch_type=sync&order_by=-finished&page_size=200");
            List<Long> shown = ((List<Map<String, Object>>) screen.json().get("results")).stream()
                    .map(m -> ((Number) m.get("id")).longValue()).filter(id -> id > 700_000 && id <= 700_040).toList();
            assertThat(shown).containsExactlyElementsOf(stored.stream().sorted(java.util.Comparator
                    .comparing((UnifiedJob j) -> j.finished().orElseThrow()).thenComparingLong(UnifiedJob::id).reversed())
                    .map(UnifiedJob::id).toList());
            // awx.awx's ?inventory=N: the old jobs, listed at start, counted by the recount
            List<Long> onInventory = stored.stream().filter(j -> Long.valueOf(11).equals(j.get(dev.towerless.core.jobs.JobFields.INVENTORY)))
                    .map(UnifiedJob::id).toList();
            assertThat(again.context().getBean(JobStore.class).withField(Set.of(JobKind.JOB), dev.towerless.core.jobs.JobFields.INVENTORY,
                    Set.of("11"), new PageRequest(1, 1, false))).as("the start listed every old job: pages come from job_filters").isPresent();
            ApiClient.Response byInventory = admin.get("jobs/?inventory=11&page_size=200");
            assertThat(((List<Map<String, Object>>) byInventory.json().get("results")).stream()
                    .map(m -> ((Number) m.get("id")).longValue()).filter(id -> id > 700_000 && id <= 700_040).toList())
                    .containsExactlyElementsOf(onInventory).isNotEmpty();
        }
    }

    /** Every table as today but the jobs table as the previous version made it. */
    private static DynamoDbClient oldStack(String prefix) {
        DynamoDbClient dynamo = AwsClients.dynamoDb(SharedEmulators.config(prefix));
        for (TableDefinition t : Tables.all()) {
            Provisioner.createTable(dynamo, t == Tables.JOBS ? OLD_JOBS : t, prefix);
        }
        for (TableDefinition t : Tables.all()) {
            Provisioner.awaitActive(dynamo, t.physicalName(prefix));
        }
        assertThat(indexNames(dynamo, prefix + "jobs")).doesNotContain("by_status_keys");
        return dynamo;
    }

    /** Jobs (three in four playbook runs; successful, failed, canceled, one still pending) as the previous version stored them. */
    private static List<UnifiedJob> oldJobs(DynamoDbClient dynamo, String prefix, int from, int to, boolean somePending) {
        JobStore jobs = new DynamoJobStore(dynamo, prefix);
        List<UnifiedJob> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            JobKind kind = i % 4 == 0 ? JobKind.PROJECT_UPDATE : JobKind.JOB;
            UnifiedJob j = UnifiedJob.newPending(i, kind, "old-" + i, LaunchType.MANUAL, T0.plusSeconds(i),
                    kind == JobKind.JOB ? Map.of(dev.towerless.core.jobs.JobFields.INVENTORY, 10L + i % 2) : Map.of());
            JobStatus end = i % 3 == 0 ? JobStatus.FAILED : i % 7 == 0 ? JobStatus.CANCELED : i % 11 == 0 && somePending ? JobStatus.PENDING
                    : JobStatus.SUCCESSFUL;
            if (end == JobStatus.SUCCESSFUL) {
                UnifiedJob w = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, T0));
                UnifiedJob r = w.with(JobTransitions.changesFor(w, JobStatus.RUNNING, T0));
                j = r.with(JobTransitions.changesFor(r, end, T0.plusSeconds(30)));
            } else if (end != JobStatus.PENDING) {
                j = j.with(JobTransitions.changesFor(j, end, T0.plusSeconds(30)));
            }
            jobs.insert(j);
            // the previous versions wrote no status_key, finished_key or finished_at
            long id = i;
            dynamo.updateItem(r -> r.tableName(prefix + "jobs").key(Map.of("id", AttributeValue.fromN(Long.toString(id))))
                    .updateExpression("REMOVE status_key, finished_key, finished_at"));
            out.add(jobs.find(i).orElseThrow());
        }
        // nor listed them in job_filters
        for (Map<String, AttributeValue> entry : dynamo.scanPaginator(r -> r.tableName(prefix + "job_filters")).items()) {
            dynamo.deleteItem(r -> r.tableName(prefix + "job_filters").key(entry));
        }
        // nor counted jobs by launch type or inventory
        for (Map<String, AttributeValue> counter : dynamo.scanPaginator(r -> r.tableName(prefix + "sequences")).items()) {
            String name = counter.get("name").s();
            if (name.contains("#launch#") || name.contains("#inventory#") || name.startsWith("listed#")) {
                dynamo.deleteItem(r -> r.tableName(prefix + "sequences").key(Map.of("name", counter.get("name"))));
            }
        }
        return out;
    }

    private static TableDefinition renamed(TableDefinition t, String logicalName) {
        return new TableDefinition(logicalName, t.partitionKey(), t.sortKey(), t.indexes(), t.ttlAttribute());
    }

    private static void copyAll(DynamoDbClient dynamo, String from, String to, int limit) {
        int n = 0;
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(r -> r.tableName(from)).items()) {
            if (n++ == limit) {
                return;
            }
            dynamo.putItem(r -> r.tableName(to).item(item));
        }
    }

    private static List<String> indexNames(DynamoDbClient dynamo, String table) {
        return dynamo.describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes().stream()
                .map(g -> g.indexName()).toList();
    }
}
