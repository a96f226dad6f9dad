package dev.towerless.local.bench;

import dev.towerless.aws.dynamodb.DynamoEventStore;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.ports.EventStore;
import dev.towerless.local.ApiClient;
import dev.towerless.local.EmbeddedStack;
import dev.towerless.local.SampleRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./towerless bench}: launch latency, per-job overhead against plain ansible-runner, and
 * event ingestion, on the embedded local stack. Prints a Markdown report and writes it to
 * {@code docs/benchmarks.md}.
 */
public final class Benchmarks {
    private final ApiClient api;
    private final EmbeddedStack stack;
    private final Path state;
    final StringBuilder report = new StringBuilder();
    private long inventory;
    private long project;

    private Benchmarks(EmbeddedStack stack, Path state) {
        this.stack = stack;
        this.api = new ApiClient(stack.apiUrl(), stack.adminToken());
        this.state = state;
    }

    /** {@code bench} runs the job benchmarks; {@code bench heartbeats} the liveness one. */
    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "jobs";
        int launches = Integer.parseInt(System.getProperty("bench.launches", "20"));
        int events = Integer.parseInt(System.getProperty("bench.events", "10000"));
        Path state = Files.createTempDirectory("towerless-bench-");
        // The burst runs on the stack `./towerless up` runs: dynalite persisting to LevelDB.
        try (EmbeddedStack stack = which.equals("burst") ? EmbeddedStack.startPersistent(EmbeddedStack.Settings.forTests(state))
                : EmbeddedStack.start(EmbeddedStack.Settings.forTests(state))) {
            Benchmarks b = new Benchmarks(stack, state);
            switch (which) {
                case "jobs" -> {
                    b.setUp();
                    b.launchLatency(launches);
                    b.overheadPerJob(10);
                    b.eventIngestion(events);
                }
                case "heartbeats" -> b.report.append(HeartbeatBenchmark.run(stack, 500, Duration.ofSeconds(20)));
                case "task-manager" -> b.report.append(TaskManagerBenchmark.run(
                        stack.context().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class)));
                case "workflows" -> {
                    b.setUp();
                    b.workflowHops(5, 4);
                }
                case "notifications" -> {
                    b.setUp();
                    b.notificationLatency(10);
                }
                case "access" -> b.report.append(AccessBenchmark.run(stack));
                case "burst" -> b.report.append(BurstBenchmark.run(stack, state, Integer.parseInt(System.getProperty("bench.jobs", "100")),
                        Integer.parseInt(System.getProperty("bench.rounds", "3"))));
                case "events" -> b.report.append(EventReadBenchmark.run(stack, java.util.Arrays.stream(System.getProperty("bench.jobEvents", "1000,10000,100000").split(",")).map(String::trim).map(Integer::valueOf).toList()));
                case "api" -> b.report.append(ApiListBenchmark.run(stack, java.util.Arrays.stream(
                        System.getProperty("bench.history", "1000,10000,100000").split(",")).map(Integer::parseInt).toList()));
                case "smart-inventories" -> b.report.append(SmartInventoryBenchmark.run(stack, java.util.Arrays.stream(
                        System.getProperty("bench.hosts", "1000,10000").split(",")).map(Integer::parseInt).toList()));
                case "hot-keys" -> b.report.append(HotKeyBenchmark.run(
                        stack.context().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class),
                        Integer.parseInt(System.getProperty("bench.running", "5000"))));
                case "launches" -> b.report.append(LaunchBurstBenchmark.run(
                        stack.context().getBean(DynamoDbClient.class), LaunchBurstBenchmark.Settings.fromProperties()));
                case "cold-start" -> b.report.append(ColdStartBenchmark.run(stack));
                case "inventories" -> b.report.append(InventoryComputedBenchmark.run(stack,
                        Integer.parseInt(System.getProperty("bench.hosts", "1000")),
                        Integer.parseInt(System.getProperty("bench.jobs", "1000"))));
                case "deletes" -> b.report.append(DeletesBenchmark.run(stack, java.util.Arrays.stream(
                        System.getProperty("bench.hosts", "100,1000").split(",")).map(Integer::parseInt).toList()));
                case "resource-lists" -> b.report.append(ResourceListBenchmark.run(stack, java.util.Arrays.stream(
                        System.getProperty("bench.hosts", "1000,10000,100000").split(",")).map(Integer::parseInt).toList()));
                case "downloads" -> b.report.append(StdoutDownloadBenchmark.run(stack,
                        Integer.parseInt(System.getProperty("bench.downloadMb", "50"))));
                case "scheduler" -> b.report.append(SchedulerBenchmark.run(
                        stack.context().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class)));
                default -> throw new IllegalArgumentException("unknown benchmark " + which
                        + " (jobs, burst, api, events, smart-inventories, heartbeats, hot-keys, task-manager, scheduler, launches, notifications, workflows, access, cold-start, inventories, deletes, resource-lists, downloads)");
            }
            b.write();
        }
        System.exit(0);
    }

    private void setUp() throws Exception {
        String repo = SampleRepository.create(SampleRepository.sampleDir(), state.resolve("sample.git"));
        long org = id(api.create("organizations/", Map.of("name", "bench")));
        project = id(api.create("projects/", Map.of("name", "bench", "organization", org, "scm_url", repo)));
        inventory = id(api.create("inventories/", Map.of("name", "bench", "organization", org)));
        api.create("inventories/" + inventory + "/hosts/", Map.of("name", "localhost",
                "variables", "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3"));
        awaitFinished("projects/" + project + "/");

    }

    /** HTTP launch accepted → runner claimed the job (started) and → ansible's first event. */
    private void launchLatency(int n) throws Exception {
        long jt = template("hello.yml", true);
        List<Double> toClaim = new ArrayList<>();
        List<Double> toAnsible = new ArrayList<>();
        List<Double> toFirstEvent = new ArrayList<>();
        JobStore jobs = stack.context().getBean(JobStore.class);
        for (int i = 0; i < n; i++) {
            ApiClient.Response r = api.post("job_templates/" + jt + "/launch/", Map.of());
            Instant accepted = Instant.now();
            long job = ((Number) r.json().get("job")).longValue();
            Map<String, Object> done = awaitFinished("jobs/" + job + "/");
            Instant started = Timestamps.parse((String) done.get("started"));
            toClaim.add(Duration.between(accepted, started).toMillis() / 1000.0);
            Instant spawned = Timestamps.parse(jobs.find(job).orElseThrow().string(JobFields.ANSIBLE_STARTED).orElseThrow());
            toAnsible.add(Duration.between(accepted, spawned).toMillis() / 1000.0);
            Map<String, Object> first = firstEvent(job);
            toFirstEvent.add(Duration.between(accepted, Timestamps.parse((String) first.get("created"))).toMillis() / 1000.0);
        }
        report.append("## Launch latency (").append(n).append(" sequential launches, ").append(BenchmarkReport.today()).append(")\n\n")
                .append("| from HTTP launch accepted to | p50 | p90 | max |\n|---|---|---|---|\n")
                .append(row("runner claimed the job (`started`)", toClaim))
                .append(row("**ansible-runner process started**", toAnsible))
                .append(row("ansible's first event (`playbook_on_start`)", toFirstEvent))
                .append("\nTarget: ansible process started, p50 ≤ 1 s. The task manager is woken through the queue, ")
                .append("not by the 1-minute tick (AWX's task manager runs every 20 s unless signalled). Most of the ")
                .append("time is the runner's JVM start (the local launcher runs the shaded runner jar with class data ")
                .append("sharing) and the project checkout. On AWS a Fargate task adds provisioning and an uncached image ")
                .append("pull (about 57 s measured for a 413 MB image, per the research notes on Fargate limits), which ")
                .append("this local figure cannot include; a slim, SOCI-indexed runner image is the lever there.\n\n");
        System.out.println(report);
    }

    /** Job finished (its stored {@code finished} time) → its success webhook received over HTTP. */
    private void notificationLatency(int n) throws Exception {
        List<Instant> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            arrivals.add(Instant.now());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            long jt = template("hello.yml", true);
            long org = ((Number) api.get("projects/" + project + "/").json().get("organization")).longValue();
            long hook = id(api.create("notification_templates/", Map.of("name", "bench-hook", "organization", org,
                    "notification_type", "webhook", "notification_configuration",
                    Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"))));
            api.post("job_templates/" + jt + "/notification_templates_success/", Map.of("id", hook));
            List<Double> latency = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                arrivals.clear();
                long job = ((Number) api.create("job_templates/" + jt + "/launch/", Map.of()).get("job")).longValue();
                Map<String, Object> done = awaitFinished("jobs/" + job + "/");
                Instant deadline = Instant.now().plusSeconds(30);
                while (arrivals.isEmpty() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(5);
                }
                Instant finished = Timestamps.parse((String) done.get("finished"));
                latency.add(Duration.between(finished, arrivals.get(0)).toMillis() / 1000.0);
            }
            report.append("## Notification latency (").append(n).append(" jobs, ").append(BenchmarkReport.today()).append(")\n\n")
                    .append("| from the job's `finished` time to | p50 | p90 | max |\n|---|---|---|---|\n")
                    .append(row("**its success webhook received**", latency))
                    .append("\nThe runner publishes \"job finished\" to the lifecycle topic; the notifications queue's ")
                    .append("consumer renders and posts. Locally the queue is polled (long polling, as Lambda's event source ")
                    .append("does); on AWS, SNS → SQS → Lambda adds tens of milliseconds and a cold start the first time. AWX ")
                    .append("sends from the worker that ran the job, right after it ends.\n\n");
            System.out.println(report);
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * A workflow of {@code nodes} trivial jobs in a chain: how long the workflow takes to move from
     * one node's job finishing to the next node's job starting (its runner claiming it).
     */
    @SuppressWarnings("unchecked")
    private void workflowHops(int nodes, int runs) throws Exception {
        long jt = template("hello.yml", true);
        long wf = id(api.create("workflow_job_templates/", Map.of("name", "bench-chain-" + System.nanoTime())));
        long previous = -1;
        for (int i = 0; i < nodes; i++) {
            long node = id(api.create("workflow_job_templates/" + wf + "/workflow_nodes/", Map.of("unified_job_template", jt,
                    "identifier", "step-" + i)));
            if (previous >= 0) {
                api.post("workflow_job_template_nodes/" + previous + "/success_nodes/", Map.of("id", node));
            }
            previous = node;
        }
        List<Double> hops = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Instant t0 = Instant.now();
            long job = ((Number) api.create("workflow_job_templates/" + wf + "/launch/", Map.of()).get("workflow_job")).longValue();
            Map<String, Object> done = awaitFinished("workflow_jobs/" + job + "/");
            totals.add(Duration.between(t0, Timestamps.parse((String) done.get("finished"))).toMillis() / 1000.0);
            List<Map<String, Object>> chain = new ArrayList<>();
            for (Map<String, Object> n : (List<Map<String, Object>>) api.get("workflow_jobs/" + job + "/workflow_nodes/")
                    .json().get("results")) {
                chain.add(api.get("jobs/" + n.get("job") + "/").json());
            }
            chain.sort(java.util.Comparator.comparing(j -> (String) j.get("started")));
            for (int i = 1; i < chain.size(); i++) {
                hops.add(Duration.between(Timestamps.parse((String) chain.get(i - 1).get("finished")),
                        Timestamps.parse((String) chain.get(i).get("started"))).toMillis() / 1000.0);
            }
        }
        report.append("## Workflow hops (").append(runs).append(" runs of a ").append(nodes).append("-node chain, ")
                .append(BenchmarkReport.today()).append(")\n\n")
                .append("| measure | p50 | p90 | max |\n|---|---|---|---|\n")
                .append(row("**one node's job finished → the next node's job started**", hops))
                .append(row("launch → workflow finished", totals))
                .append("\nA finishing job publishes to the lifecycle topic; the wake queue runs the task manager, whose ")
                .append("workflow step claims and creates the next job; that launch wakes the task manager again, which ")
                .append("starts a runner. Most of a hop is the runner's start (a JVM locally; a Fargate task on AWS, see ")
                .append("launch latency above). The research has no measured AWX figure to compare with: AWX runs its ")
                .append("workflow manager when a job finishes, then its task manager and a dispatcher worker start the next ")
                .append("job (research §2.1–2.2, §7.2).\n\n");
        System.out.println(report);
    }

    /** Wall time through Towerless minus plain `ansible-runner run` of the same trivial playbook. */
    private void overheadPerJob(int n) throws Exception {
        long jt = template("echo.yml", true);
        List<Double> towerless = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant t0 = Instant.now();
            long job = ((Number) api.create("job_templates/" + jt + "/launch/", Map.of()).get("job")).longValue();
            awaitFinished("jobs/" + job + "/");
            towerless.add(Duration.between(t0, Instant.now()).toMillis() / 1000.0);
        }
        List<Double> plain = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            plain.add(plainAnsibleRunner("echo.yml"));
        }
        double overhead = median(towerless) - median(plain);
        report.append("## Overhead per job (").append(n).append(" runs each, trivial playbook, ").append(BenchmarkReport.today()).append(")\n\n")
                .append("| | median wall time |\n|---|---|\n")
                .append("| launch → finished through Towerless (HTTP polled every 50 ms) | ").append(fmt(median(towerless))).append(" s |\n")
                .append("| `ansible-runner run` alone | ").append(fmt(median(plain))).append(" s |\n")
                .append("| **overhead** | **").append(fmt(overhead)).append(" s** |\n\n")
                .append("Target: median overhead ≤ 1.5 s.\n\n");
        System.out.println(report);
    }

    /** A playbook emitting N events through the whole pipeline, and the store's raw write rate. */
    private void eventIngestion(int n) throws Exception {
        long jt = template("many_events.yml", true);
        Instant t0 = Instant.now();
        long job = ((Number) api.create("job_templates/" + jt + "/launch/",
                Map.of("extra_vars", Map.of("count", n))).get("job")).longValue();
        Map<String, Object> done = awaitFinished("jobs/" + job + "/");
        Instant finished = Instant.now();
        EventStore events = stack.context().getBean(EventStore.class);
        List<JobEvent> stored = events.all(job);
        Instant firstCreated = Timestamps.parse(stored.get(0).created());
        Instant lastCreated = Timestamps.parse(stored.get(stored.size() - 1).created());
        double produced = Duration.between(firstCreated, lastCreated).toMillis() / 1000.0;

        DynamoDbClient dynamo = stack.context().getBean(DynamoDbClient.class);
        List<JobEvent> synthetic = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            synthetic.add(new JobEvent(9_000_000 + job, i, "runner_item_on_ok", "u" + i, "localhost", "Many events",
                    "Emit an event per item", null, "ok: [localhost] => (item=" + i + ") => {\n    \"msg\": \"event " + i + "\"\n}",
                    i * 4, i * 4 + 4, Timestamps.format(Instant.now()), false, false, Map.of("item", i)));
        }
        EventStore store = new DynamoEventStore(dynamo, "towerless-");
        long w0 = System.nanoTime();
        for (int i = 0; i < synthetic.size(); i += 500) {
            store.append(synthetic.subList(i, Math.min(synthetic.size(), i + 500)));
        }
        double writeSeconds = (System.nanoTime() - w0) / 1e9;
        report.append("## Event ingestion (").append(n).append(" loop items, ").append(BenchmarkReport.today()).append(")\n\n")
                .append("| measure | value |\n|---|---|\n")
                .append("| job status | ").append(done.get("status")).append(" |\n")
                .append("| events stored | ").append(stored.size()).append(" |\n")
                .append("| ansible's production rate (first → last event created) | ")
                .append(Math.round(stored.size() / produced)).append(" events/s |\n")
                .append("| launch → job finished with every event stored | ")
                .append(fmt(Duration.between(t0, finished).toMillis() / 1000.0)).append(" s |\n")
                .append("| event store write rate (the runner's batches of 500, 4 parallel BatchWriteItem) | ")
                .append(Math.round(n / writeSeconds)).append(" events/s |\n\n")
                .append("Target: ≥ 2,000 events/s stored. AWX's callback receiver handles about 1,100–1,600 events/s ")
                .append("on a 4-CPU control node: the store here writes ").append(fmt(n / writeSeconds / 1350.0))
                .append("× that. Ansible's own production rate is the bottleneck of a single job; the shipper keeps ")
                .append("up with it. On AWS one job's events share a partition key, and DynamoDB serves about 1,000 ")
                .append("writes/s per partition before splitting it for heat: that, not Towerless, limits one very ")
                .append("chatty job there. The job's final status is written only after its last event is stored, ")
                .append("so \"finished\" means all output is readable.\n\n");
        System.out.println(report);
    }

    private Map<String, Object> firstEvent(long job) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) api.get("jobs/" + job
                + "/job_events/?event=playbook_on_start").json().get("results");
        return results.get(0);
    }

    private double plainAnsibleRunner(String playbook) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(state, "plain-");
        Path projectDir = Files.createDirectories(dir.resolve("project"));
        Files.copy(SampleRepository.sampleDir().resolve(playbook), projectDir.resolve(playbook));
        Files.createDirectories(dir.resolve("inventory"));
        Files.writeString(dir.resolve("inventory/hosts.json"), "{\"all\":{\"hosts\":{\"localhost\":{\"ansible_connection\":\"local\","
                + "\"ansible_python_interpreter\":\"/usr/bin/python3\"}}}}");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("ansible-runner", "run", dir.toString(), "-p", playbook, "-j")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        p.waitFor();
        return (System.nanoTime() - t0) / 1e9;
    }

    private long template(String playbook, boolean simultaneous) {
        return id(api.create("job_templates/", Map.of("name", "bench-" + playbook + "-" + System.nanoTime(),
                "project", project, "inventory", inventory, "playbook", playbook, "allow_simultaneous", simultaneous,
                "ask_variables_on_launch", true)));
    }

    private Map<String, Object> awaitFinished(String path) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(deadline)) {
            Map<String, Object> o = api.get(path).json();
            if (!List.of("new", "pending", "waiting", "running").contains(String.valueOf(o.get("status")))) {
                return o;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(path + " did not finish");
    }

    /** Replaces this run's sections in docs/benchmarks.md, keeping the others. */
    private void write() throws IOException {
        Path file = Path.of(System.getProperty("towerless.root", ".")).resolve("docs/benchmarks.md");
        BenchmarkReport.upsert(file, report.toString());
        System.out.println("Written to " + file);
    }

    private static String row(String label, List<Double> values) {
        return "| " + label + " | " + fmt(percentile(values, 50)) + " s | " + fmt(percentile(values, 90)) + " s | "
                + fmt(Collections.max(values)) + " s |\n";
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String fmt(double seconds) {
        return String.format(java.util.Locale.ROOT, "%.2f", seconds);
    }

    private static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }
}
