package dev.towerless.local.bench;

import dev.towerless.aws.codec.JsonYamlVariables;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.schedules.Scheduler;
import dev.towerless.core.security.SecretBox;
import dev.towerless.local.Provisioner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One scheduler tick over 2,000 schedules of 200 job templates: first with 200 due at once (a
 * "every night at two" burst), then the usual minute where nothing is due.
 */
final class SchedulerBenchmark {
    private static final int SCHEDULES = 2_000;
    private static final int TEMPLATES = 200;
    private static final int DUE = 200;

    private SchedulerBenchmark() {
    }

    static String run(DynamoDbClient dynamo) throws Exception {
        String prefix = "schedbench-";
        Provisioner.createTables(dynamo, prefix);
        JobStore jobs = new DynamoJobStore(dynamo, prefix);
        ResourceStore resources = new DynamoResourceStore(dynamo, prefix);
        Clock clock = Clock.systemUTC();
        seed(resources, clock.instant());

        Metered store = new Metered();
        AtomicInteger wakes = new AtomicInteger();
        MessageQueue wake = new MessageQueue() {
            @Override
            public void send(String body) {
                wakes.incrementAndGet();
            }

            @Override
            public void sendLater(String body, Duration delay) {
                wakes.incrementAndGet();
            }

            @Override
            public List<QueueMessage> receive(int max, Duration wait) {
                return List.of();
            }

            @Override
            public void delete(QueueMessage message) {
            }
        };
        JobStore meteredJobs = store.wrap(JobStore.class, jobs);
        ResourceStore meteredResources = store.wrap(ResourceStore.class, resources);
        LaunchService launches = new LaunchService(meteredJobs, meteredResources, wake, new JsonYamlVariables(), clock,
                new SecretBox(new byte[32]));
        Scheduler scheduler = new Scheduler(meteredResources, meteredJobs, launches, new dev.towerless.core.workflows.WorkflowManager(
                meteredJobs, meteredResources, launches, new JsonYamlVariables(), message -> { }, clock, id -> { }),
                message -> { }, clock);

        long t0 = System.nanoTime();
        Scheduler.Result burst = scheduler.runPass();
        double burstSeconds = (System.nanoTime() - t0) / 1e9;
        long burstCalls = store.calls.get();

        store.reset();
        long t1 = System.nanoTime();
        Scheduler.Result idle = scheduler.runPass();
        double idleSeconds = (System.nanoTime() - t1) / 1e9;

        return "## Scheduler tick (" + SCHEDULES + " schedules, " + BenchmarkReport.today() + ")\n\n"
                + SCHEDULES + " schedules of " + TEMPLATES + " job templates against dynalite; jobs are created (pending) "
                + "but not run.\n\n"
                + "| measure | value |\n|---|---|\n"
                + "| **a tick with " + DUE + " schedules due at once** | **" + String.format("%.2f s", burstSeconds) + "**: "
                + burst.launched() + " jobs launched, " + burstCalls + " store calls, " + wakes.get() + " wake messages |\n"
                + "| **a tick with nothing due** (the usual minute) | **" + String.format("%.0f ms", idleSeconds * 1000) + "**: "
                + idle.launched() + " launched, " + store.calls.get() + " store call (one query of the schedules) |\n\n"
                + "Occurrences are launched 8 at a time; each costs one conditional claim, the launch (project, inventory and host reads, the "
                + "job's insert) and one write clearing the claim. The tick is EventBridge's finest, once a minute, so a "
                + "schedule starts within a minute of its time plus this pass; AWX checks every 30 s.\n\n";
    }

    private static void seed(ResourceStore resources, Instant now) throws Exception {
        resources.insert(new Resource(ResourceTypes.ORGANIZATION, 1, Map.of("name", "bench")));
        resources.insert(new Resource(ResourceTypes.INVENTORY, 2, Map.of("name", "bench", "organization", 1L)));
        resources.insert(new Resource(ResourceTypes.PROJECT, 3, Map.of("name", "bench", "organization", 1L,
                "scm_revision", "abc")));
        String due = now.minusSeconds(30).truncatedTo(ChronoUnit.SECONDS).toString();
        String later = now.plus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS).toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < TEMPLATES; t++) {
            long template = 10_000 + t;
            work.add(pool.submit(() -> resources.insert(new Resource(ResourceTypes.JOB_TEMPLATE, template, Map.of(
                    "name", "jt-" + template, "project", 3L, "inventory", 2L, "playbook", "hello.yml", "forks", 0L,
                    "extra_vars", "")))));
        }
        for (Future<?> f : work) {
            f.get();
        }
        work.clear();
        for (int s = 0; s < SCHEDULES; s++) {
            int n = s;
            work.add(pool.submit(() -> {
                Map<String, Object> f = new HashMap<>(Map.of("name", "s-" + n, "enabled", true,
                        "unified_job_template", 10_000L + n % TEMPLATES,
                        "rrule", "DTSTART:20260101T020000Z RRULE:FREQ=DAILY;INTERVAL=1",
                        "next_run", n < DUE ? due : later));
                return resources.insert(new Resource(ResourceTypes.SCHEDULE, 50_000 + n, f));
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
    }
}
