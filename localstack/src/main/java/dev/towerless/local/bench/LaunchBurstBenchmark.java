package dev.towerless.local.bench;

import static dev.towerless.local.bench.BenchmarkReport.loadAverage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.towerless.aws.codec.JsonYamlVariables;
import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoLeaseStore;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.aws.ecs.EcsRunnerLauncher;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.runplane.RatePacer;
import dev.towerless.core.runplane.RunPlaneLauncher;
import dev.towerless.core.scheduling.PassResult;
import dev.towerless.core.scheduling.TaskManager;
import dev.towerless.core.scheduling.TaskManagerSettings;
import dev.towerless.core.security.SecretBox;
import dev.towerless.local.Provisioner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * {@code ./towerless bench launches}: the burst of 500 launches. 500 pending jobs (one
 * template each, so nothing blocks another) in dynalite go through the real task manager and the
 * real ECS adapter, paced as the stack paces it, against a stand-in for Fargate's RunTask as it
 * answers under load: a token bucket of 100 calls refilled at 20 a second ({@code
 * ThrottlingException} when it is empty), a RunTask latency, some "Capacity is unavailable"
 * answers, and one task per client token (ECS's idempotency). Passes run as the stack runs them:
 * once for the burst's wake-up, again at once while a pass asks for a rerun, and otherwise on the
 * one-minute tick. No emulator serves RunTask, hence the small handler (it keeps the bucket and
 * the accounting in one place).
 */
final class LaunchBurstBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final String CAPACITY = "Capacity is unavailable at this time. Please try again later or in a "
            + "different availability zone";

    private LaunchBurstBenchmark() {
    }

    /** What the run is given: how many jobs, the account's rate, ECS's answers, the tick. */
    record Settings(int jobs, double rate, double bucket, double capacityShare, long latencyMillis, long tickMillis) {
        static Settings fromProperties() {
            return new Settings(Integer.parseInt(System.getProperty("bench.burst", "500")),
                    Double.parseDouble(System.getProperty("bench.rate", "20")),
                    Double.parseDouble(System.getProperty("bench.bucket", "100")),
                    Double.parseDouble(System.getProperty("bench.capacity", "0.02")),
                    Long.parseLong(System.getProperty("bench.latency", "150")),
                    Long.parseLong(System.getProperty("bench.tick", "60000")));
        }
    }

    /** One burst's outcome. */
    record Outcome(double capacityShare, double seconds, int calls, int tasks, int throttles, int capacityRefusals, int maxSent,
                   int maxArrived, int passes, int wakes, int deferred, int errors, int announced, int startedTwice,
                   Map<JobStatus, Integer> statuses) {
    }

    static String run(DynamoDbClient dynamo, Settings s) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        // Without capacity refusals the pacer alone decides; with them, refused launches wait for a later pass.
        for (double share : new double[]{0, s.capacityShare()}) {
            FakeFargate fargate = new FakeFargate(s.rate(), s.bucket(), share, s.latencyMillis());
            fargate.start();
            try {
                outcomes.add(burst(dynamo, s, fargate, share));
            } finally {
                fargate.stop();
            }
        }
        double ideal = s.jobs() / s.rate();
        StringBuilder out = new StringBuilder();
        out.append("## Launch burst: ").append(s.jobs()).append(" launches against Fargate's RunTask limits (")
                .append(BenchmarkReport.today()).append(")\n\n")
                .append("`./towerless bench launches`: ").append(s.jobs()).append(" pending jobs in dynalite (one template each, ")
                .append("nothing blocks another) through the real task manager (start limit 100 a pass, 8 starts in parallel) and ")
                .append("the real ECS adapter, paced at ").append(fmt0(s.rate())).append(" RunTask calls a second as the stack ")
                .append("sets it, against a stand-in for Fargate's RunTask: a token bucket of ").append(fmt0(s.bucket()))
                .append(" calls refilled at ").append(fmt0(s.rate())).append("/s (`ThrottlingException` when empty), ")
                .append(s.latencyMillis()).append(" ms a call, a seeded share of calls answered \"Capacity is unavailable at this ")
                .append("time\", and one task per client token. The burst's wake-up runs a pass and the reruns it asks for; after ")
                .append("that the tick (every ").append(s.tickMillis() / 1000).append(" s, as the stack's rule) runs another, and so does the wake-up a pass that had launches turned away sends itself 5 s later. ")
                .append("On this ").append(Runtime.getRuntime().availableProcessors())
                .append("-core machine shared with other builds, load average ").append(loadAverage()).append(" at the end.\n\n")
                .append("| measure |");
        for (Outcome o : outcomes) {
            out.append(" ").append(fmt0(o.capacityShare() * 100)).append("% \"capacity unavailable\" |");
        }
        out.append("\n|---|").append("---|".repeat(outcomes.size())).append("\n");
        row(out, "**time until every job has a started task** (ideal " + s.jobs() + " / " + fmt0(s.rate()) + " = "
                + fmt(ideal) + " s)", outcomes, o -> "**" + fmt(o.seconds()) + " s = " + fmt(o.seconds() / ideal) + "×**");
        row(out, "RunTask calls made (SDK retries included)", outcomes, o -> o.calls() + " (" + o.tasks() + " tasks, "
                + o.throttles() + " throttled, " + o.capacityRefusals() + " no capacity)");
        row(out, "most calls in any one second, sliding window (limit " + fmt0(s.rate()) + ")", outcomes,
                o -> o.maxSent() + " sent, " + o.maxArrived() + " arrived");
        row(out, "average RunTask calls a second over the burst", outcomes, o -> fmt(o.calls() / o.seconds()));
        row(out, "throttles seen (`ThrottlingException`)", outcomes, o -> Integer.toString(o.throttles()));
        row(out, "task-manager wake-ups (each runs passes until none asks for a rerun)", outcomes,
                o -> o.wakes() + ": the burst's, then ticks and 5 s retry wake-ups");
        row(out, "jobs that ended in error or failed", outcomes, o -> "**" + o.errors() + "**");
        row(out, "jobs started twice (two tasks for one job)", outcomes, o -> "**" + o.startedTwice() + "**");
        row(out, "job states at the end", outcomes, o -> o.statuses().toString());
        out.append("\nTarget (issue 15): the burst finishes starting in about ").append(fmt(ideal)).append(" s, none in error, ")
                .append("none started twice, the calls never above the limit. \"Arrived\" is counted by the stand-in and ")
                .append("carries this machine's scheduling jitter; its bucket (what ECS counts) never ran dry when no throttle ")
                .append("is shown. A refused launch puts its job back to pending, its place kept, and the rest of that pass ")
                .append("waits for the next one: a pass that reached its start limit reruns at once, so only refusals in the ")
                .append("last pass wait, for the wake-up the pass sends itself 5 s later (`TaskManagerService`; before it, for the one-minute tick). Where the average rate stays well under the limit with no refusal, the ")
                .append("starts themselves are the bound, not the pacer: each is a read and two conditional writes to dynalite (pending → ")
                .append("waiting, the sealed run secrets) and a RunTask of ").append(s.latencyMillis()).append(" ms, 8 at a time, ")
                .append("on this shared machine.\n\n");
        System.out.println(out);
        return out.toString();
    }

    private static void row(StringBuilder out, String label, List<Outcome> outcomes, java.util.function.Function<Outcome, String> cell) {
        out.append("| ").append(label).append(" |");
        for (Outcome o : outcomes) {
            out.append(" ").append(cell.apply(o)).append(" |");
        }
        out.append("\n");
    }

    private static Outcome burst(DynamoDbClient dynamo, Settings s, FakeFargate fargate, double share) throws Exception {
        String prefix = "burst" + System.nanoTime() % 100_000 + "-";
        Provisioner.createTables(dynamo, prefix);
        JobStore jobs = new DynamoJobStore(dynamo, prefix);
        DynamoResourceStore resources = new DynamoResourceStore(dynamo, prefix);
        resources.insert(new Resource(ResourceTypes.PROJECT, 1, Map.of("name", "burst", "scm_revision", "abc123")));
        List<Long> ids = seed(jobs, s.jobs());

        if (System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", "bench");
            System.setProperty("aws.secretAccessKey", "bench");
        }
        TowerlessConfig config = TowerlessConfig.from(n -> Optional.ofNullable(
                Map.of("AWS_ENDPOINT_URL_ECS", fargate.url(), "AWS_REGION", "eu-west-1").get(n)));
        EcsRunnerLauncher.EcsRunnerSettings ecs = new EcsRunnerLauncher.EcsRunnerSettings("towerless-runners",
                "towerless-runner:7", "runner", List.of("subnet-a", "subnet-b"), List.of("sg-1"), false, Optional.empty(), s.rate());
        List<Long> sentAt = Collections.synchronizedList(new ArrayList<>());
        ExecutionInterceptor recordSending = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sentAt.add(System.nanoTime());
            }
        };
        // As TowerlessFactory builds it: one pacer for the container, every RunTask attempt through it.
        EcsClient client = AwsClients.ecs(config, EcsRunnerLauncher.pacing(RatePacer.perSecond(s.rate())), recordSending);
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        RunPlaneLauncher launcher = new RunPlaneLauncher(jobs, resources, SecretBox.fromBase64(Base64.getEncoder().encodeToString(key)),
                new JsonYamlVariables(), new EcsRunnerLauncher(client, ecs));
        AtomicInteger ended = new AtomicInteger();
        TaskManager manager = new TaskManager(jobs, resources, launcher, new DynamoLeaseStore(dynamo, prefix, Clock.systemUTC()),
                message -> ended.incrementAndGet(), Clock.systemUTC(), TaskManagerSettings.defaults(), () -> "tm-" + UUID.randomUUID());

        // The burst's wake-up runs a pass (and its reruns); after that the tick wakes the manager, and so
        // does the delayed wake-up TaskManagerService sends after a pass whose launches were turned away.
        long t0 = System.nanoTime();
        long deadline = t0 + Math.max(5 * 60_000L, 4 * s.tickMillis()) * 1_000_000L;
        List<PassResult> passes = new ArrayList<>();
        int ticks = 0;
        long retryAt = Long.MAX_VALUE;
        long allStartedAt = -1;
        while (System.nanoTime() < deadline) {
            PassResult pass = manager.schedule();
            passes.add(pass);
            if (fargate.jobsStarted() >= ids.size()) {
                allStartedAt = fargate.lastNewTaskAt();
                break;
            }
            if (pass.deferred() > 0) {
                retryAt = System.nanoTime() + dev.towerless.handlers.TaskManagerService.RETRY_DEFERRED_AFTER.toNanos();
            }
            long nextTick = t0 + (ticks + 1) * s.tickMillis() * 1_000_000L;
            long wakeAt = Math.min(nextTick, retryAt);
            if (wakeAt == nextTick) {
                ticks++;
            } else {
                retryAt = Long.MAX_VALUE;
            }
            long sleep = (wakeAt - System.nanoTime()) / 1_000_000L;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        client.close();

        Map<JobStatus, Integer> statuses = new EnumMap<>(JobStatus.class);
        for (long id : ids) {
            statuses.merge(jobs.find(id).orElseThrow().status(), 1, Integer::sum);
        }
        int errors = statuses.getOrDefault(JobStatus.ERROR, 0) + statuses.getOrDefault(JobStatus.FAILED, 0);
        double seconds = allStartedAt < 0 ? Double.NaN : (allStartedAt - t0) / 1e9;
        return new Outcome(share, seconds, fargate.calls(), fargate.tasks(), fargate.throttles(), fargate.capacityRefusals(),
                maxInAnySecond(sentAt.stream().map(n -> n / 1_000_000).sorted().toList()), maxInAnySecond(fargate.arrivals()),
                (int) passes.stream().filter(p -> !p.skipped()).count(), passes.size(),
                passes.stream().mapToInt(PassResult::deferred).sum(), errors, ended.get(), fargate.startedTwice(), statuses);
    }

    private static List<Long> seed(JobStore jobs, int count) throws Exception {
        Instant t = Instant.now().minusMillis(count);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            long id = i;
            ids.add(id);
            work.add(pool.submit(() -> {
                Map<String, Object> f = new HashMap<>();
                f.put(JobFields.PROJECT, 1L);
                f.put(JobFields.UNIFIED_JOB_TEMPLATE, 1000L + id);
                jobs.insert(UnifiedJob.newPending(id, JobKind.JOB, "burst " + id, LaunchType.MANUAL, t.plusMillis(id), f));
                return null;
            }));
        }
        for (Future<?> w : work) {
            w.get();
        }
        pool.shutdown();
        return ids;
    }

    static int maxInAnySecond(List<Long> millis) {
        int max = 0;
        int from = 0;
        for (int to = 0; to < millis.size(); to++) {
            while (millis.get(to) - millis.get(from) >= 1000) {
                from++;
            }
            max = Math.max(max, to - from + 1);
        }
        return max;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmt0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /**
     * RunTask as Fargate answers it under load (docs.aws.amazon.com/AmazonECS/latest/APIReference/
     * request-throttling.html: RunTask, 20 a second sustained, a bucket of 100): a call that finds
     * the bucket empty is throttled; of the others a seeded share finds no capacity; the rest start
     * a task, one per client token, as ECS does for a repeated token.
     */
    static final class FakeFargate {
        private final double rate;
        private final double capacity;
        private final double capacityShare;
        private final long latencyMillis;
        private final java.util.Random random = new java.util.Random(15);
        private HttpServer server;
        private double tokens;
        private long refilledAt = System.nanoTime();
        private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, String> taskByToken = new ConcurrentHashMap<>();
        private final Map<Long, Set<String>> tasksByJob = new ConcurrentHashMap<>();
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger throttles = new AtomicInteger();
        private final AtomicInteger capacityRefusals = new AtomicInteger();
        private final AtomicInteger tasks = new AtomicInteger();
        private volatile long lastNewTaskAt;

        FakeFargate(double rate, double bucket, double capacityShare, long latencyMillis) {
            this.rate = rate;
            this.capacity = bucket;
            this.tokens = bucket;
            this.capacityShare = capacityShare;
            this.latencyMillis = latencyMillis;
        }

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.setExecutor(Executors.newFixedThreadPool(16));
            server.createContext("/", this::handle);
            server.start();
        }

        void stop() {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target == null || !target.endsWith(".RunTask")) {
                answer(exchange, 400, "{\"__type\":\"InvalidParameterException\",\"message\":\"only RunTask here: " + target + "\"}");
                return;
            }
            arrivals.add(System.nanoTime() / 1_000_000);
            calls.incrementAndGet();
            boolean throttled;
            boolean noCapacity;
            synchronized (this) {
                long now = System.nanoTime();
                tokens = Math.min(capacity, tokens + (now - refilledAt) * rate / 1e9);
                refilledAt = now;
                throttled = tokens < 1;
                if (!throttled) {
                    tokens -= 1;
                }
                noCapacity = !throttled && random.nextDouble() < capacityShare;
            }
            sleep(latencyMillis);
            if (throttled) {
                throttles.incrementAndGet();
                answer(exchange, 400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
                return;
            }
            if (noCapacity) {
                capacityRefusals.incrementAndGet();
                answer(exchange, 200, "{\"tasks\":[],\"failures\":[{\"reason\":\"" + CAPACITY + "\"}]}");
                return;
            }
            JsonNode request = JSON.readTree(body);
            String token = request.path("clientToken").asText();
            long job = Long.parseLong(request.path("startedBy").asText().substring("towerless-job-".length()));
            String task = taskByToken.computeIfAbsent(token, t -> {
                lastNewTaskAt = System.nanoTime();
                return "arn:aws:ecs:eu-west-1:123456789012:task/towerless-runners/" + tasks.incrementAndGet();
            });
            tasksByJob.computeIfAbsent(job, j -> ConcurrentHashMap.newKeySet()).add(task);
            answer(exchange, 200, "{\"tasks\":[{\"taskArn\":\"" + task + "\",\"lastStatus\":\"PROVISIONING\"}],\"failures\":[]}");
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void answer(HttpExchange exchange, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", JSON_11);
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        int jobsStarted() {
            return tasksByJob.size();
        }

        long lastNewTaskAt() {
            return lastNewTaskAt;
        }

        int startedTwice() {
            return (int) tasksByJob.values().stream().filter(t -> t.size() > 1).count();
        }

        List<Long> arrivals() {
            synchronized (arrivals) {
                return arrivals.stream().sorted().toList();
            }
        }

        int calls() {
            return calls.get();
        }

        int throttles() {
            return throttles.get();
        }

        int capacityRefusals() {
            return capacityRefusals.get();
        }

        int tasks() {
            return tasks.get();
        }
    }
}
