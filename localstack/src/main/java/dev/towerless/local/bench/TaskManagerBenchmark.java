package dev.towerless.local.bench;

import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoLeaseStore;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.ProjectUpdates;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.RunnerLauncher;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.scheduling.PassResult;
import dev.towerless.core.scheduling.TaskManager;
import dev.towerless.core.scheduling.TaskManagerSettings;
import dev.towerless.local.Provisioner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The burst: 10,000 pending jobs over 1,000 templates, 200 projects that update on launch
 * (recently updated, so the cache window applies), 500 inventories, 5 instance groups of 50
 * concurrent jobs each. One pass decides every job: 250 start (the groups' room), the rest wait
 * for their template's running job or for capacity.
 */
final class TaskManagerBenchmark {
    private static final int JOBS = 10_000;
    private static final int TEMPLATES = 1_000;
    private static final int PROJECTS = 200;
    private static final int INVENTORIES = 500;
    private static final int GROUPS = 5;

    private TaskManagerBenchmark() {
    }

    static String run(DynamoDbClient dynamo) throws Exception {
        String prefix = "tmbench-";
        Provisioner.createTables(dynamo, prefix);
        JobStore jobs = new DynamoJobStore(dynamo, prefix);
        ResourceStore resources = new DynamoResourceStore(dynamo, prefix);
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        seed(jobs, resources, now);
        // The pass sees the jobs as just created, however long seeding took on a busy machine: jobs
        // pending over 30 s get an explanation written each, which is not what this measures.
        clock = Clock.offset(clock, Duration.between(clock.instant(), now));

        Metered store = new Metered();
        AtomicInteger launched = new AtomicInteger();
        RunnerLauncher launcher = jobId -> "bench-task-" + launched.incrementAndGet();
        TaskManager manager = new TaskManager(store.wrap(JobStore.class, jobs), store.wrap(ResourceStore.class, resources),
                launcher, new DynamoLeaseStore(dynamo, prefix, clock), message -> { }, clock,
                new TaskManagerSettings(JOBS, Duration.ofSeconds(50), Duration.ofSeconds(90), 8), "bench");
        long t0 = System.nanoTime();
        PassResult r = manager.runPass();
        double pass = (System.nanoTime() - t0) / 1e9;
        long calls = store.calls.get();

        store.reset();
        long t1 = System.nanoTime();
        PassResult second = manager.runPass();
        double secondPass = (System.nanoTime() - t1) / 1e9;

        return "## Task manager pass (" + JOBS + " pending jobs, " + BenchmarkReport.today() + ")\n\n"
                + TEMPLATES + " templates, " + PROJECTS + " projects that update on launch, " + INVENTORIES
                + " inventories, " + GROUPS + " instance groups of 50 concurrent jobs; runners not started (a counting "
                + "launcher), everything else against dynalite.\n\n"
                + "| measure | value |\n|---|---|\n"
                + "| jobs decided in one pass | " + r.considered() + " (" + r.started() + " started, " + r.blocked()
                + " waiting for their template or capacity) |\n"
                + "| **whole pass, reads and writes included** | **" + fmt(pass) + " s** |\n"
                + "| reading the active jobs, projects, groups; dependency decisions written | " + ms(r.phases().load()) + " |\n"
                + "| **the decision itself (in memory)** | **" + ms(r.phases().decide()) + "** on this first, cold pass; "
                + ms(second.phases().decide()) + " on the next (warm JVM, as a Lambda container stays) |\n"
                + "| starting " + r.started() + " jobs (conditional write + launch each, 8 in parallel) | " + ms(r.phases().start()) + " |\n"
                + "| store calls in the pass | " + calls + " (one query for the active jobs, batch reads of projects, "
                + "one conditional watermark write per project, one conditional write per started job) |\n"
                + "| the next pass (nothing new to start) | " + fmt(secondPass) + " s, " + store.calls.get() + " store calls, "
                + second.started() + " started |\n\n"
                + "Targets: decision ≤ 100 ms, whole pass ≤ 2 s. AWX needs about 8 s for 5,000 pending jobs "
                + "(research §2.9) and, before START_TASK_LIMIT, never finished at 600.\n\n";
    }

    /** The data set, written with parallel writers (setup time is not measured). */
    private static void seed(JobStore jobs, ResourceStore resources, Instant now) throws Exception {
        for (int g = 1; g <= GROUPS; g++) {
            resources.insert(new Resource(ResourceTypes.INSTANCE_GROUP, g, Map.of("name", "group-" + g,
                    "max_concurrent_jobs", 50L, "max_forks", 0L)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int p = 1; p <= PROJECTS; p++) {
            long project = 100_000 + p;
            long updateId = 900_000 + p;
            work.add(pool.submit(() -> {
                Resource proj = new Resource(ResourceTypes.PROJECT, project, Map.of("name", "p" + project,
                        "scm_update_on_launch", true, "scm_update_cache_timeout", 3600L, "scm_revision", "abc",
                        "last_update", updateId));
                resources.insert(proj);
                UnifiedJob u = ProjectUpdates.newUpdate(updateId, proj, LaunchType.MANUAL, now.minusSeconds(120));
                UnifiedJob w = u.with(JobTransitions.changesFor(u, JobStatus.WAITING, now.minusSeconds(119)));
                UnifiedJob r = w.with(JobTransitions.changesFor(w, JobStatus.RUNNING, now.minusSeconds(118)));
                jobs.insert(r.with(JobTransitions.changesFor(r, JobStatus.SUCCESSFUL, now.minusSeconds(60))));
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        work.clear();
        for (int i = 0; i < JOBS; i++) {
            int n = i;
            work.add(pool.submit(() -> {
                long template = 200_000 + (n % TEMPLATES);
                long project = 100_001 + (n % PROJECTS);
                long inventory = 300_000 + (n % INVENTORIES);
                List<Long> groups = List.of(1L + n % GROUPS, 1L + (n + 1) % GROUPS);
                jobs.insert(UnifiedJob.newPending(1_000_000 + n, JobKind.JOB, "job-" + n, LaunchType.MANUAL,
                        now.plusNanos(n * 1000L), Map.of(JobFields.UNIFIED_JOB_TEMPLATE, template, JobFields.PROJECT, project,
                                JobFields.INVENTORY, inventory, JobFields.TASK_IMPACT, 2L,
                                JobFields.PREFERRED_INSTANCE_GROUPS, groups)));
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
    }

    private static String ms(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.0f ms", d.toNanos() / 1e6);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

}
