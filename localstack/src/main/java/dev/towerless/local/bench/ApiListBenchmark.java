package dev.towerless.local.bench;

import static dev.towerless.local.bench.BenchmarkReport.loadAverage;
import static dev.towerless.local.bench.BenchmarkReport.ms;
import static dev.towerless.local.bench.BenchmarkReport.pct;

import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.EventStore;
import dev.towerless.aws.dynamodb.JobHistoryLoader;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.EmbeddedStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * List reads through the HTTP API as the job history grows: jobs stored as the API writes them
 * (90% playbook runs, 10% project updates; 80% successful, 15% failed; 50 templates), and one
 * job with 10,000 events. For each request, after {@link #WARM_UP} untimed: p50 and p99 of {@link #TIMED}, the store items read per request
 * and round trips ({@link ItemsRead}), and the ratio to one Query of 20 full items on the same dynalite in the
 * same run. Then 20 concurrent clients on {@code jobs/}.
 */
final class ApiListBenchmark {
    private static final long BIG_JOB = 9_000_000;
    /**
     * Untimed requests of each URL before its timed ones: a Lambda that serves polls has compiled
     * their code, so the timed requests measure the store and the serving path, not the JIT.
     */
    private static final int WARM_UP = Integer.getInteger("bench.warmup", 20);
    /** Timed requests of each URL (their p50 and p99 are reported). */
    private static final int TIMED = Integer.getInteger("bench.repeat", 20);
    /** A request path under this prefix is made by a user who may read three job templates (7, 14, 21), not the superuser. */
    private static final String AS_READER = "@reader ";

    private ApiListBenchmark() {
    }

    static String run(EmbeddedStack stack, List<Integer> sizes) throws Exception {
        ApiClient api = new ApiClient(stack.apiUrl(), stack.adminToken());
        JobStore jobs = stack.context().getBean(JobStore.class);
        EventStore events = stack.context().getBean(EventStore.class);
        DynamoDbClient dynamo = stack.context().getBean(DynamoDbClient.class);
        insertBigJob(jobs, events);
        insertTemplates(stack.context().getBean(ResourceStore.class));
        ApiClient reader = reader(stack, api);
        StringBuilder out = new StringBuilder("## List reads as history grows (" + BenchmarkReport.today() + ")\n\n"
                + "`./towerless bench api` (sizes: `-Dbench.history=1000,10000,100000`). Jobs stored directly as the API writes "
                + "them (BatchWriteItem, then the counters set from the table as the housekeeping repair sets them), naming 49 job "
                + "templates, 5 projects and 7 inventories that exist, then read through the HTTP API "
                + "as a superuser, one client: each URL " + WARM_UP + " times untimed (its code compiled, its prefetch hint made, as a "
                + "warm Lambda serving polls has them), then " + TIMED + " times timed: p50 / p99, store items read and read calls (Query, GetItem, BatchGetItem) per request, and p50 over the "
                + "p50 of one Query of 20 full items on the same store (the limit), made just before each timed request, so that "
                + "the machine's other work slows both alike. `stdout`/`job_events` "
                + "are of one job with 10,000 events, written as the runner writes them (with its extent and line marks).\n\n"
                + "| jobs | request | p50 | p99 | items read | read round trips | the Query beside it, p50 | × that Query |\n|---|---|---|---|---|---|---|---|\n");
        int have = 0;
        Map<String, String> requests = Map.of();
        for (int size : sizes) {
            long grow = System.nanoTime();
            insertJobs(stack, have, size);
            have = size;
            System.err.printf("grew to %,d jobs in %.0f s%n", size, (System.nanoTime() - grow) / 1e9);
            String load = loadAverage();
            requests = requests(size);
            if (System.getProperty("bench.only") != null) {
                requests = new LinkedHashMap<>(requests);
                requests.values().removeIf(v -> !v.equals(System.getProperty("bench.only")));
            }
            // The limit is measured beside each request, one Query before each of its requests, so
            // that whatever else the machine does meanwhile slows both alike.
            List<Double> allRaw = new ArrayList<>();
            StringBuilder rows = new StringBuilder();
            for (Map.Entry<String, String> r : requests.entrySet()) {
                for (int i = 0; i < WARM_UP; i++) {
                    rawQuery(dynamo);
                    get(api, reader, r.getValue());
                }
                List<Double> times = new ArrayList<>();
                List<Double> raw = new ArrayList<>();
                long items = 0;
                long calls = 0;
                for (int i = 0; i < TIMED; i++) {
                    raw.add(rawQuery(dynamo));
                    ItemsRead.ITEMS.set(0);
                    ItemsRead.CALLS.set(0);
                    ItemsRead.on = true;
                    long t0 = System.nanoTime();
                    ApiClient.Response resp = get(api, reader, r.getValue());
                    times.add((System.nanoTime() - t0) / 1e6);
                    ItemsRead.on = false;
                    items = ItemsRead.ITEMS.get();
                    calls = ItemsRead.CALLS.get();
                    if (resp.status() != 200) {
                        throw new IllegalStateException(r.getValue() + " answered " + resp.status() + ": " + resp.body());
                    }
                }
                allRaw.addAll(raw);
                double p50 = pct(times, 50);
                double rawP50 = pct(raw, 50);
                rows.append("| ").append(String.format(Locale.ROOT, "%,d", size)).append(" | ").append(r.getKey()).append(" | ")
                        .append(ms(p50)).append(" | ").append(ms(pct(times, 99))).append(" | ")
                        .append(String.format(Locale.ROOT, "%,d", items)).append(" | ").append(calls).append(" | ")
                        .append(ms(rawP50)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f×", p50 / rawP50)).append(" |\n");
            }
            out.append("| ").append(String.format(Locale.ROOT, "%,d", size)).append(" | one Query of 20 items (the limit, all its runs; load ")
                    .append(load).append(") | ").append(ms(pct(allRaw, 50))).append(" | ").append(ms(pct(allRaw, 99)))
                    .append(" | 20 | 1 | – | 1× |\n").append(rows);
        }
        out.append("\n").append(concurrent(api, have));
        if (!Boolean.getBoolean("bench.skipLambda")) {
            Map<String, String> asSuperuser = new LinkedHashMap<>(requests);
            asSuperuser.values().removeIf(path -> path.startsWith(AS_READER));
            out.append(LambdaListRun.run(stack, asSuperuser, have));
        }
        return out.toString();
    }

    /** One Query of 20 full items (the limit), in ms. */
    private static double rawQuery(DynamoDbClient dynamo) {
        long t0 = System.nanoTime();
        dynamo.query(r -> r.tableName("towerless-events").keyConditionExpression("job_id = :j")
                .expressionAttributeValues(Map.of(":j", AttributeValue.fromN(Long.toString(BIG_JOB)))).limit(20));
        return (System.nanoTime() - t0) / 1e6;
    }

    private static ApiClient.Response get(ApiClient admin, ApiClient reader, String path) {
        return path.startsWith(AS_READER) ? reader.get(path.substring(AS_READER.length())) : admin.get(path);
    }

    /** Every list the bench reads at {@code size} jobs: label → path and query under /api/v2/. */
    private static Map<String, String> requests(int size) {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("`GET /ping/` (no token; nothing runs: the kinds' counters say so, then the instance groups)", "ping/");
        requests.put("`GET /me/` (the token and its user: the authentication floor)", "me/");
        requests.put("`GET /jobs/?page_size=20`", "jobs/?page_size=20");
        requests.put("`GET /jobs/?page=5&page_size=20`", "jobs/?page=5&page_size=20");
        requests.put("`GET /jobs/?page=" + deep(size) + "&page_size=20` (deep: " + String.format(Locale.ROOT, "%,d", (deep(size) - 1) * 20)
                + " keys skipped)", "jobs/?page=" + deep(size) + "&page_size=20");
        requests.put("`GET /jobs/?status=failed&page_size=20`", "jobs/?status=failed&page_size=20");
        requests.put("`GET /unified_jobs/?page_size=20`", "unified_jobs/?page_size=20");
        requests.put("`GET /unified_jobs/?order_by=-id&page=5&page_size=20`", "unified_jobs/?order_by=-id&page=5&page_size=20");
        requests.put("`GET /unified_jobs/?type=project_update&page_size=20`", "unified_jobs/?type=project_update&page_size=20");
        requests.put("`GET /project_updates/?page_size=20`", "project_updates/?page_size=20");
        requests.put("`GET /jobs/N/`", "jobs/" + (size / 2 + 1) + "/"); // every tenth id is a project update
        requests.put("`GET /jobs/?job_template=7&page_size=20`", "jobs/?job_template=7&page_size=20");
        requests.put("`GET /jobs/?job_template=7&page=10&page_size=20`", "jobs/?job_template=7&page=10&page_size=20");
        requests.put("`GET /job_templates/?page_size=20`", "job_templates/?page_size=20");
        requests.put("`GET /unified_jobs/?not__launch_type=sync&order_by=-finished&page_size=20` (AWX's UI, Jobs screen)",
                "unified_jobs/?not__launch_type=sync&order_by=-finished&page_size=20");
        requests.put("`GET /jobs/?launch_type=scheduled&order_by=-finished&page_size=20`",
                "jobs/?launch_type=scheduled&order_by=-finished&page_size=20");
        requests.put("`GET /jobs/?launch_type=scheduled&page_size=20` (job_filters)", "jobs/?launch_type=scheduled&page_size=20");
        requests.put("`GET /jobs/?inventory=12&page_size=20` (job_filters)", "jobs/?inventory=12&page_size=20");
        requests.put("`GET /jobs/?project=21&page=5&page_size=20` (job_filters)", "jobs/?project=21&page=5&page_size=20");
        requests.put("`GET /unified_jobs/?launch_type=manual&page_size=20` (job_filters, every kind merged)",
                "unified_jobs/?launch_type=manual&page_size=20");
        requests.put("`GET /jobs/?name__icontains=deploy+7&page_size=20` (no index: bounded walk)",
                "jobs/?name__icontains=deploy+7&page_size=20");
        requests.put("`GET /jobs/?page_size=20` as a user who may read 3 of the 49 templates (their index partitions, merged)",
                AS_READER + "jobs/?page_size=20");
        requests.put("`GET /jobs/N/job_events/?page_size=20`", "jobs/" + BIG_JOB + "/job_events/?page_size=20");
        requests.put("`GET /jobs/N/stdout/?start_line=5000&end_line=5020`",
                "jobs/" + BIG_JOB + "/stdout/?format=txt&start_line=5000&end_line=5020");
        return requests;
    }

    /** A user (made through the API, as an administrator would) given read on job templates 7, 14 and 21, with a token. */
    @SuppressWarnings("unchecked")
    private static ApiClient reader(EmbeddedStack stack, ApiClient admin) {
        String name = "bench-reader";
        ApiClient.Response existing = admin.get("users/?username=" + name);
        List<Map<String, Object>> found = (List<Map<String, Object>>) existing.json().get("results");
        long user = found.isEmpty()
                ? ((Number) admin.create("users/", Map.of("username", name, "password", "bench-reader-password")).get("id")).longValue()
                : ((Number) found.get(0).get("id")).longValue();
        for (long template : List.of(7L, 14L, 21L)) {
            Map<String, Object> roles = (Map<String, Object>) ((Map<String, Object>) admin.get("job_templates/" + template + "/").json()
                    .get("summary_fields")).get("object_roles");
            Object role = ((Map<String, Object>) roles.get("read_role")).get("id");
            ApiClient.Response granted = admin.post("roles/" + role + "/users/", Map.of("id", user));
            if (granted.status() != 204) {
                throw new IllegalStateException("granting read on template " + template + ": " + granted.status() + " " + granted.body());
            }
        }
        Resource stored = stack.context().getBean(ResourceStore.class).get(ResourceTypes.USER, user).orElseThrow();
        String token = stack.context().getBean(dev.towerless.api.auth.Authenticator.class).issue(stored, "bench reader", "read").token();
        return new ApiClient(stack.apiUrl(), token);
    }

    /**
     * The objects the jobs name, so that their summary_fields are rendered as in a real history:
     * 7 inventories (10–16), 5 projects (20–24), 49 job templates (1–49), stored directly.
     */
    private static void insertTemplates(ResourceStore resources) {
        long org = resources.first(ResourceTypes.ORGANIZATION, 1).stream().findFirst().map(Resource::id).orElse(1L);
        for (long i = 10; i <= 16; i++) {
            insertOnce(resources, new Resource(ResourceTypes.INVENTORY, i, Map.of("name", "inventory " + i, "description", "",
                    "organization", org, "kind", "")));
        }
        for (long i = 20; i <= 24; i++) {
            insertOnce(resources, new Resource(ResourceTypes.PROJECT, i, Map.of("name", "project " + i, "description", "",
                    "organization", org, "scm_type", "", "local_path", "p" + i)));
        }
        for (long i = 1; i <= 49; i++) {
            insertOnce(resources, new Resource(ResourceTypes.JOB_TEMPLATE, i, Map.of("name", "Deploy " + i, "description", "",
                    "inventory", 10L + i % 7, "project", 20L + i % 5, "playbook", "site.yml", "job_type", "run",
                    "organization", org)));
        }
    }

    private static void insertOnce(ResourceStore resources, Resource r) {
        if (resources.get(r.type(), r.id()).isEmpty()) {
            resources.insert(r);
        }
    }

    private static String concurrent(ApiClient api, int size) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<List<Double>>> clients = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < 20; c++) {
            clients.add(pool.submit(() -> {
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    long s = System.nanoTime();
                    api.get("jobs/?page_size=20");
                    times.add((System.nanoTime() - s) / 1e6);
                }
                return times;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : clients) {
            all.addAll(f.get());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return String.format(Locale.ROOT, "20 concurrent clients, `GET /jobs/?page_size=20` ×10 each at %,d jobs: "
                + "%.1f requests/s, p50 %s, p99 %s.%n%n", size, all.size() / seconds, ms(pct(all, 50)), ms(pct(all, 99)));
    }

    /** Jobs {@code from}+1 to {@code to}, finished, written 25 a BatchWriteItem ({@link JobHistoryLoader}). */
    private static void insertJobs(EmbeddedStack stack, int from, int to) throws Exception {
        List<UnifiedJob> batch = new ArrayList<>();
        Instant t0 = Instant.parse("2026-06-01T00:00:00Z");
        for (int n = from + 1; n <= to; n++) {
            JobKind kind = n % 10 == 0 ? JobKind.PROJECT_UPDATE : JobKind.JOB;
            Map<String, Object> fields = new HashMap<>();
            fields.put(JobFields.UNIFIED_JOB_TEMPLATE, kind == JobKind.JOB ? (long) (n % 50) : 500L + n % 5);
            if (kind == JobKind.JOB) {
                fields.put(JobFields.JOB_TEMPLATE, (long) (n % 50));
            }
            fields.put(JobFields.INVENTORY, 10L + n % 7);
            fields.put(JobFields.PROJECT, 20L + n % 5);
            fields.put("playbook", "site.yml");
            fields.put("job_type", "run");
            fields.put("extra_vars", "{\"release\": \"2026.12." + n + "\"}");
            Instant created = t0.plusSeconds(60L * n);
            // a third of the project updates ran before a job that needed them (sync: AWX's UI hides those)
            LaunchType way = kind == JobKind.PROJECT_UPDATE && n % 30 == 0 ? LaunchType.SYNC
                    : n % 3 == 0 ? LaunchType.SCHEDULED : LaunchType.MANUAL;
            UnifiedJob j = UnifiedJob.newPending(n, kind, "Deploy " + (n % 50), way, created, fields);
            JobStatus end = n % 20 == 0 ? JobStatus.CANCELED : n % 7 == 0 ? JobStatus.FAILED : JobStatus.SUCCESSFUL;
            UnifiedJob w = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, created));
            UnifiedJob r = w.with(JobTransitions.changesFor(w, JobStatus.RUNNING, created.plusSeconds(2)));
            // runs of 30 s to 10 min, one a minute: jobs finish in another order than they started
            batch.add(r.with(JobTransitions.changesFor(r, end, created.plusSeconds(30 + (n * 7919L) % 570))));
        }
        JobHistoryLoader.load(stack.context().getBean(DynamoDbClient.class),
                stack.context().getBean(dev.towerless.aws.config.TowerlessConfig.class).prefix(), batch, 4);
    }

    private static void insertBigJob(JobStore jobs, EventStore events) {
        Instant t = Instant.parse("2026-05-01T00:00:00Z");
        UnifiedJob j = UnifiedJob.newPending(BIG_JOB, JobKind.JOB, "chatty", LaunchType.MANUAL, t, Map.of());
        UnifiedJob w = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, t));
        UnifiedJob r = w.with(JobTransitions.changesFor(w, JobStatus.RUNNING, t));
        jobs.insert(r.with(JobTransitions.changesFor(r, JobStatus.SUCCESSFUL, t.plusSeconds(600))));
        // As the runner writes them: each batch, then its line marks and the job's extent (JobOutput).
        dev.towerless.core.jobs.JobOutput.Writer writer = new dev.towerless.core.jobs.JobOutput.Writer(events);
        List<JobEvent> batch = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            batch.add(new JobEvent(BIG_JOB, i, "runner_on_ok", null, null, null, null, null,
                    "ok: [host-" + i + "] => {\"msg\": \"item " + i + "\"}", i - 1, i, "2026-05-01T00:00:00.000000Z", false, false, Map.of()));
            if (batch.size() == 500) {
                writer.append(batch);
                batch = new ArrayList<>();
            }
        }
    }

    /** A page about four fifths into the kind's history (page 1000 of 20 needs 20,000 jobs). */
    private static int deep(int size) {
        return Math.max(1, Math.min(1000, size * 9 / 10 / 20 * 4 / 5));
    }

}
