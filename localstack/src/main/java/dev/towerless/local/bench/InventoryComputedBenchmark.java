package dev.towerless.local.bench;

import static dev.towerless.local.bench.BenchmarkReport.loadAverage;

import dev.towerless.core.jobs.HostSummary;
import dev.towerless.core.inventory.InventoryComputedFields;
import dev.towerless.core.inventory.InventoryDirtyMarker;
import dev.towerless.core.inventory.JobHostSummaries;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.WakeMessage;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.HostSummaryStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.Topic;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.EmbeddedStack;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./towerless bench inventories}: 1,000 jobs finishing at once on one inventory of 1,000
 * hosts, through the real path: each job's end is published on the lifecycle topic (fauxqs), the
 * inventories consumer stores its host summaries and points its host at them (dynalite), marks
 * the inventory, and the coalesced recompute brings the computed fields up to date. The jobs are
 * synthetic (a finished job and its {@code playbook_on_stats} event, as a runner leaves them);
 * job {@code i} ran on host {@code i} and every tenth one failed.
 */
final class InventoryComputedBenchmark {
    private InventoryComputedBenchmark() {
    }

    static String run(EmbeddedStack stack, int hosts, int jobs) throws Exception {
        ResourceStore resources = stack.context().getBean(ResourceStore.class);
        JobStore jobStore = stack.context().getBean(JobStore.class);
        EventStore events = stack.context().getBean(EventStore.class);
        HostSummaryStore summaries = stack.context().getBean(HostSummaryStore.class);
        Topic lifecycle = stack.context().getBean(Topic.class, Qualifiers.byName("lifecycle"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        StringBuilder out = new StringBuilder();
        try {
            long inventory = resources.create(ResourceTypes.INVENTORY, Map.of("name", "bench-" + System.nanoTime(),
                    "kind", "", "variables", "")).id();

            // Phase 1: the inventory's hosts are added (8 writers), as a bulk import or an API script would.
            StoreWrites.reset();
            StoreWrites.on = true;
            Instant addStart = Instant.now();
            List<Future<Long>> created = new ArrayList<>();
            for (int i = 0; i < hosts; i++) {
                String name = "host-" + i;
                created.add(pool.submit(() -> resources.create(ResourceTypes.HOST, Map.of("name", name, "inventory", inventory,
                        "enabled", true, "variables", "")).id()));
            }
            List<Long> hostIds = new ArrayList<>();
            for (Future<Long> f : created) {
                hostIds.add(f.get());
            }
            Instant added = Instant.now();
            Instant addFresh = awaitFields(resources, inventory, Map.of("total_hosts", (long) hosts, "hosts_with_active_failures", 0L));
            long addGenerations = generation(resources, inventory);
            long addInventoryWrites = StoreWrites.of("resources/inventory");
            StoreWrites.on = false;

            // Phase 2: the jobs, as their runners leave them (not measured).
            List<Long> jobIds = new ArrayList<>();
            Map<Long, Boolean> failedJobs = new HashMap<>();
            Map<Long, Long> newestJobOfHost = new HashMap<>();
            for (int i = 0; i < jobs; i++) {
                long id = resources.nextId(dev.towerless.core.launch.LaunchService.JOB_SEQUENCE);
                boolean failed = i % 10 == 0;
                seedJob(jobStore, events, id, inventory, "host-" + (i % hosts), failed);
                jobIds.add(id);
                failedJobs.put(id, failed);
                newestJobOfHost.put(hostIds.get(i % hosts), id);
            }
            int failing = (int) newestJobOfHost.values().stream().filter(failedJobs::get).count();

            // Phase 3: every job ends at once.
            String load = loadAverage();
            StoreWrites.reset();
            StoreWrites.on = true;
            Instant burstStart = Instant.now();
            List<Future<?>> published = new ArrayList<>();
            for (long id : jobIds) {
                boolean failed = failedJobs.get(id);
                published.add(pool.submit(() -> lifecycle.publish(WakeMessage.jobFinished(id, failed ? "failed" : "successful"))));
            }
            for (Future<?> f : published) {
                f.get();
            }
            Instant allPublished = Instant.now();
            Instant fresh = awaitCorrect(resources, summaries, inventory, newestJobOfHost, failing);
            StoreWrites.on = false;
            long generations = generation(resources, inventory) - addGenerations;
            long inventoryWrites = StoreWrites.of("resources/inventory");
            long hostWrites = StoreWrites.of("resources/host");
            long summaryWrites = StoreWrites.of("host_summaries");

            out.append("## Inventory computed fields: ").append(jobs).append(" jobs ending on one inventory of ").append(hosts)
                    .append(" hosts (").append(BenchmarkReport.today()).append(")\n\n")
                    .append("`./towerless bench inventories` (`-Dbench.hosts=1000 -Dbench.jobs=1000`). Through the embedded stack: "
                            + "each job's end published on the lifecycle topic (fauxqs), the inventories consumer (batches of 10) "
                            + "storing its summaries and host pointers in dynalite, the coalesced recompute. Job *i* ran on host "
                            + "*i*, every tenth failed. Four consumers at once (Lambda runs several batches of a busy queue); "
                            + "the task manager and the notifications consumer take the same 1,000 messages meanwhile. "
                            + "Load average when the burst began: " + load + " (a shared 2-core machine).\n\n")
                    .append("| measure | value |\n|---|---|\n")
                    .append("| ").append(hosts).append(" hosts added (8 writers) | ").append(ms(addStart, added)).append(" |\n")
                    .append("| last host added → `total_hosts` correct | ").append(ms(added, addFresh)).append(" |\n")
                    .append("| recomputes for the ").append(hosts).append(" additions | ").append(addGenerations)
                    .append(" (inventory item writes: ").append(addInventoryWrites).append(") |\n")
                    .append("| ").append(jobs).append(" job ends published (8 publishers) | ").append(ms(burstStart, allPublished))
                    .append(" |\n")
                    .append("| **first job end → every field correct** (").append(failing)
                    .append(" hosts failing, every host's last_job set) | **").append(ms(burstStart, fresh)).append("** |\n")
                    .append("| last job end published → every field correct | ").append(ms(allPublished, fresh)).append(" |\n")
                    .append("| job ends handled per second (summaries, pointers, marks) | ")
                    .append(String.format(java.util.Locale.ROOT, "%.0f", jobs / (Duration.between(burstStart, fresh).toMillis() / 1000.0)))
                    .append(" |\n")
                    .append("| **recomputes for the ").append(jobs).append(" job ends** | **").append(generations).append("** |\n")
                    .append("| **inventory item writes** (dirty markers + recomputes) | **").append(inventoryWrites).append("** (")
                    .append(String.format(java.util.Locale.ROOT, "%.3f", inventoryWrites / (double) jobs)).append(" per job) |\n")
                    .append("| host item writes (last_job, last_job_host_summary) | ").append(hostWrites).append(" |\n")
                    .append("| host summary items written | ").append(summaryWrites).append(" |\n\n")
                    .append("Limits: without coalescing, AWX's rule (one `update_computed_fields` per job's stats) costs ")
                    .append(jobs).append(" recomputes of ").append(hosts).append(" hosts each, and at least ").append(jobs)
                    .append(" inventory writes; here ").append(generations).append(" recomputes (")
                    .append(String.format(java.util.Locale.ROOT, "%.1f %%", 100.0 * generations / jobs))
                    .append(" of the limit) and ").append(inventoryWrites).append(" inventory writes (")
                    .append(String.format(java.util.Locale.ROOT, "%.1f %%", 100.0 * inventoryWrites / jobs))
                    .append("). The per-job writes (one summary per host in the stats, one pointer write per host) are the "
                            + "jobs' own data, as in AWX. Freshness (docs/inventory-computed-fields.md): a lone change is "
                            + "reflected within 10 s (ComputedFieldsEndToEndTest measured 27 ms to 1.7 s); a burst one "
                            + "recompute after the consumers have worked through it, so its bound is the burst's size over the "
                            + "consumers' rate above (on this machine the single-process dynalite, shared with the task manager "
                            + "and notifications, sets that rate; on AWS Lambda runs more batches at once).\n\n");
        } finally {
            StoreWrites.on = false;
            pool.shutdownNow();
        }
        return out.toString();
    }

    private static void seedJob(JobStore jobs, EventStore events, long id, long inventory, String host, boolean failed) {
        Map<String, Object> kind = new HashMap<>();
        kind.put(JobFields.INVENTORY, inventory);
        Instant now = Instant.now();
        UnifiedJob job = UnifiedJob.newPending(id, JobKind.JOB, "bench", LaunchType.MANUAL, now, kind);
        Map<String, Object> end = new HashMap<>();
        end.put(JobFields.STATUS, (failed ? JobStatus.FAILED : JobStatus.SUCCESSFUL).apiName());
        end.put(JobFields.FAILED, failed);
        end.put(JobFields.STARTED, Timestamps.format(now));
        end.put(JobFields.FINISHED, Timestamps.format(now));
        end.put(JobHostSummaries.STATS_EVENT, 1L);
        jobs.insert(job.with(end));
        events.append(List.of(new JobEvent(id, 1, "playbook_on_stats", "u-" + id, null, null, null, null, "", 0, 0,
                Timestamps.format(now), failed, false, Map.of("ok", Map.of(host, 2), "failures", Map.of(host, failed ? 1 : 0),
                "processed", Map.of(host, 1)))));
    }

    private static Instant awaitFields(ResourceStore resources, long inventory, Map<String, Long> expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            Resource inv = resources.get(ResourceTypes.INVENTORY, inventory).orElseThrow();
            if (matches(inv, expected)) {
                return Instant.now();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("inventory " + inventory + " never reached " + expected);
    }

    private static Instant awaitCorrect(ResourceStore resources, HostSummaryStore summaries, long inventory,
                                        Map<Long, Long> newestJobOfHost, int failing) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(deadline)) {
            Resource inv = resources.get(ResourceTypes.INVENTORY, inventory).orElseThrow();
            if (matches(inv, Map.of("hosts_with_active_failures", (long) failing)) && everyHostHasItsJob(resources, newestJobOfHost)) {
                return Instant.now();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("inventory " + inventory + " never became correct");
    }

    /** Correct means settled too: no marker left and the newest recompute's fields stored. */
    private static boolean matches(Resource inv, Map<String, Long> expected) {
        if (inv.get(InventoryDirtyMarker.DIRTY) != null || inv.get(InventoryComputedFields.GENERATION) == null
                || !inv.get(InventoryComputedFields.GENERATION).equals(inv.get(InventoryComputedFields.DONE))) {
            return false;
        }
        return expected.entrySet().stream().allMatch(e -> inv.get(e.getKey()) instanceof Number n && n.longValue() == e.getValue());
    }

    /** Every host points at its newest job and that job's summary of it. */
    private static boolean everyHostHasItsJob(ResourceStore resources, Map<Long, Long> newestJobOfHost) {
        Map<Long, Resource> hosts = resources.getMany(ResourceTypes.HOST, newestJobOfHost.keySet());
        return newestJobOfHost.entrySet().stream().allMatch(e -> {
            Resource h = hosts.get(e.getKey());
            return h != null && Long.valueOf(e.getValue()).equals(h.get(JobHostSummaries.LAST_JOB))
                    && Long.valueOf(HostSummary.idFor(e.getValue(), 0)).equals(h.get(JobHostSummaries.LAST_SUMMARY));
        });
    }

    private static long generation(ResourceStore resources, long inventory) {
        Object g = resources.get(ResourceTypes.INVENTORY, inventory).orElseThrow().get(InventoryComputedFields.GENERATION);
        return g instanceof Number n ? n.longValue() : 0;
    }

    private static String ms(Instant from, Instant to) {
        return String.format(java.util.Locale.ROOT, "%.2f s", Duration.between(from, to).toMillis() / 1000.0);
    }
}
