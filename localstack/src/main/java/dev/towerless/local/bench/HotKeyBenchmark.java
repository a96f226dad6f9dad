package dev.towerless.local.bench;

import dev.towerless.aws.definitions.TableDefinition;
import dev.towerless.aws.definitions.Tables;
import dev.towerless.aws.dynamodb.DynamoHeartbeatStore;
import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.liveness.LivenessSettings;
import dev.towerless.core.liveness.Reaper;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.local.Provisioner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a heartbeat costs and where it lands, for thousands of running jobs: write units per
 * heartbeat and the partition keys the heartbeats of all of them write, for the three designs
 * this project has had: the heartbeat on the job item with three indexes projecting everything
 * and one {@code active} key; on the job item with a sharded {@code active} and keys-only
 * indexes; and today's, a small item of its own in the heartbeats table.
 *
 * <p>dynalite reports no index write units, so they are counted by DynamoDB's rules from the
 * stored items: a table costs ceil(item size / 1 KB); an index costs the same again for every
 * item it holds when an attribute it projects changes (ALL projects the heartbeat; KEYS_ONLY
 * does not, and a heartbeat changes no key). Item sizes are DynamoDB's: attribute names plus
 * values. The heartbeat writes themselves, and a reaper pass over all the running jobs, are
 * timed against dynalite.
 */
final class HotKeyBenchmark {
    private static final TableDefinition BEFORE = new TableDefinition("jobs",
            new TableDefinition.Key("id", TableDefinition.KeyType.NUMBER), Optional.empty(),
            List.of(new TableDefinition.Index("active", new TableDefinition.Key("active_shard", TableDefinition.KeyType.STRING),
                            Optional.of(new TableDefinition.Key("created", TableDefinition.KeyType.STRING))),
                    new TableDefinition.Index("by_type", new TableDefinition.Key("type", TableDefinition.KeyType.STRING),
                            Optional.of(new TableDefinition.Key("id", TableDefinition.KeyType.NUMBER))),
                    new TableDefinition.Index("by_template", new TableDefinition.Key("unified_job_template", TableDefinition.KeyType.NUMBER),
                            Optional.of(new TableDefinition.Key("id", TableDefinition.KeyType.NUMBER)))),
            Optional.empty());

    private HotKeyBenchmark() {
    }

    static String run(DynamoDbClient dynamo, int running) throws Exception {
        String prefix = "hotkeys-" + System.nanoTime() + "-";
        Provisioner.createTables(dynamo, prefix);
        JobStore jobs = new DynamoJobStore(dynamo, prefix);
        HeartbeatStore heartbeats = new DynamoHeartbeatStore(dynamo, prefix, Clock.systemUTC());
        Instant now = Instant.now();
        for (int i = 1; i <= running; i++) {
            // As the API writes a job of one of 50 templates: its template, inventory, project, playbook, vars.
            Map<String, Object> fields = new HashMap<>();
            fields.put(JobFields.UNIFIED_JOB_TEMPLATE, 100L + i % 50);
            fields.put(JobFields.INVENTORY, 10L + i % 7);
            fields.put(JobFields.PROJECT, 20L + i % 5);
            fields.put("playbook", "site.yml");
            fields.put("job_type", "run");
            fields.put("forks", 0L);
            fields.put("extra_vars", "{\"release\": \"2026.12." + i + "\", \"region\": \"eu-west-1\"}");
            fields.put("limit", "");
            fields.put("verbosity", 0L);
            UnifiedJob j = UnifiedJob.newPending(i, JobKind.JOB, "Deploy service " + (i % 50), LaunchType.MANUAL, now, fields);
            UnifiedJob w = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, now));
            jobs.insert(w.with(JobTransitions.changesFor(w, JobStatus.RUNNING, now, Map.of(
                    JobFields.EXECUTION_NODE, "runner-" + i, JobFields.LAST_HEARTBEAT, Timestamps.format(now)))));
        }
        // The job items as the earlier designs' heartbeats rewrote them (with last_heartbeat).
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.scanPaginator(r -> r.tableName(prefix + "jobs")).items().forEach(items::add);
        // One heartbeat from every running job, 8 writers, as the runners send them.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Double>> beats = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 1; i <= running; i++) {
            long id = i;
            beats.add(pool.submit(() -> {
                long s = System.nanoTime();
                if (!heartbeats.beat(id, "runner-" + id, Instant.now())) {
                    throw new IllegalStateException("heartbeat of job " + id + " refused");
                }
                return (System.nanoTime() - s) / 1e6;
            }));
        }
        List<Double> ms = new ArrayList<>();
        for (Future<Double> f : beats) {
            ms.add(f.get());
        }
        double round = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        Cost before = cost(BEFORE, items, true);
        Cost sharded = cost(Tables.JOBS, items, false);
        List<Map<String, AttributeValue>> beatItems = new ArrayList<>();
        dynamo.scanPaginator(r -> r.tableName(Tables.HEARTBEATS.physicalName(prefix))).items().forEach(beatItems::add);
        Cost own = cost(Tables.HEARTBEATS, beatItems, false);
        // Large extra vars (3 KB, not rare in AWX) made the earlier heartbeats dearer still: every unit of the job twice.
        Map<String, AttributeValue> big = new HashMap<>(items.get(0));
        big.put("extra_vars", AttributeValue.fromS("{\"payload\": \"" + "x".repeat(3000) + "\"}"));
        Cost bigSharded = cost(Tables.JOBS, List.of(big), false);
        // The reaper's pass over all of them: the active jobs (16 queries) and their heartbeats (a batch read per 100).
        // A grace far beyond the bench's length: the pass is timed here, not judged (a loaded machine beats slowly).
        Reaper reaper = new Reaper(jobs, heartbeats, message -> { }, Clock.systemUTC(),
                new LivenessSettings(java.time.Duration.ofSeconds(5), 10_000, java.time.Duration.ofHours(1), java.time.Duration.ofHours(1)));
        List<Double> passes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long p0 = System.nanoTime();
            Reaper.ReapResult pass = reaper.reap();
            passes.add((System.nanoTime() - p0) / 1e6);
            if (pass.examined() != running || pass.reaped() != 0) {
                throw new IllegalStateException("the reaper examined " + pass.examined() + " and reaped " + pass.reaped());
            }
        }
        Collections.sort(passes);
        // Its two reads alone: where a pass's time goes.
        List<Long> ids = new ArrayList<>();
        for (long i = 1; i <= running; i++) {
            ids.add(i);
        }
        List<Double> activeReads = new ArrayList<>();
        List<Double> beatReads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long a0 = System.nanoTime();
            jobs.active();
            activeReads.add((System.nanoTime() - a0) / 1e6);
            long b0 = System.nanoTime();
            heartbeats.lastBeats(ids);
            beatReads.add((System.nanoTime() - b0) / 1e6);
        }
        Collections.sort(activeReads);
        Collections.sort(beatReads);
        Collections.sort(ms);
        double perSecond = running / 5.0; // a heartbeat every 5 s (LivenessSettings)
        return "## Heartbeats and hot keys (" + running + " running jobs, " + BenchmarkReport.today() + ")\n\n"
                + "`./towerless bench hot-keys`. Jobs stored as the API writes them (template, inventory, project, vars; "
                + "median item " + median(items.stream().map(HotKeyBenchmark::size).toList()) + " B), one heartbeat from each. "
                + "Write units by DynamoDB's rules from the stored items (dynalite reports no index units); "
                + "\"hottest key\" is the index partition key the most heartbeats write, at one heartbeat per job every 5 s "
                + "(a partition takes 1,000 write units a second).\n\n"
                + "| jobs table | write units per heartbeat | index keys the heartbeats write | hottest key, writes/s |\n"
                + "|---|---|---|---|\n"
                + "| first: on the job; `active` one key; `by_type`, `by_template` project ALL | " + fmt(before.unitsPerBeat) + " | "
                + before.keys + " | " + fmt(before.hottest * perSecond / running) + " (`" + before.hottestKey + "`) |\n"
                + "| then: on the job; `active` in 16 shards (ALL); `by_type_keys`, `by_template_keys` KEYS_ONLY | "
                + fmt(sharded.unitsPerBeat) + " | " + sharded.keys + " | " + fmt(sharded.hottest * perSecond / running)
                + " (`" + sharded.hottestKey + "`) |\n"
                + "| **now: its own item in the heartbeats table (no index; median item " + median(beatItems.stream().map(HotKeyBenchmark::size).toList())
                + " B)** | **" + fmt(own.unitsPerBeat) + "** | **0** | **" + fmt(perSecond / running) + "** (each job's own key) |\n\n"
                + "A job with 3 KB of extra vars: " + fmt(bigSharded.unitsPerBeat) + " write units per heartbeat on the job "
                + "(its item, then its `active` entry), 1 in the heartbeats table.\n\n"
                + "A heartbeat through the store (conditional UpdateItem on dynalite, 8 writers): p50 "
                + fmt(ms.get(ms.size() / 2)) + " ms, p99 " + fmt(ms.get((int) (ms.size() * 0.99))) + " ms; all " + running
                + " in " + fmt(round) + " s. The runner then reads its job (GetItem) to learn of a cancel: a read unit, "
                + "a fifth of a write's price on demand.\n\n"
                + "A reaper pass over the " + running + " running jobs (16 queries of the `active` shards, then "
                + (running + 99) / 100 + " batch reads of their heartbeats), 5 passes: p50 " + fmt(passes.get(2))
                + " ms, max " + fmt(passes.get(4)) + " ms (load average " + BenchmarkReport.loadAverage() + " on this 2-core machine); "
                + "of which reading the active jobs p50 " + fmt(activeReads.get(2)) + " ms and their heartbeats p50 " + fmt(beatReads.get(2))
                + " ms.\n\n"
                + "Target: one write unit per heartbeat, no hot key: met. The task manager and the other readers of "
                + "`active` still read whole jobs from it in one pass; a heartbeat no longer writes there.\n\n";
    }

    record Cost(double unitsPerBeat, int keys, long hottest, String hottestKey) {
    }

    /** Write units of one heartbeat per item, and the index partition keys written, under a table definition. */
    static Cost cost(TableDefinition t, List<Map<String, AttributeValue>> items, boolean singleActiveKey) {
        long units = 0;
        Map<String, Long> perKey = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
            long u = (size(item) + 1023) / 1024;
            units += u;
            for (TableDefinition.Index i : t.indexes()) {
                AttributeValue pk = item.get(i.partitionKey().attribute());
                boolean inIndex = pk != null && i.sortKey().map(k -> item.containsKey(k.attribute())).orElse(true);
                if (inIndex && i.projection() == TableDefinition.Projection.ALL) {
                    units += u;
                    String value = singleActiveKey && i.name().equals("active") ? "active" : pk.s() != null ? pk.s() : pk.n();
                    perKey.merge(i.name() + "=" + value, 1L, Long::sum);
                }
            }
        }
        Map.Entry<String, Long> hottest = perKey.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(Map.entry("-", 0L));
        return new Cost(units / (double) items.size(), perKey.size(), hottest.getValue(), hottest.getKey());
    }

    /** DynamoDB's item size: attribute names and values (numbers about one byte per two digits). */
    static long size(Map<String, AttributeValue> item) {
        long n = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            n += e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue());
        }
        return n;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) {
            return v.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (v.n() != null) {
            return v.n().length() / 2 + 1;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToLong(x -> 1 + size(x)).sum();
        }
        if (v.hasM()) {
            return 3 + size(v.m()) + v.m().size();
        }
        return 1;
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.isEmpty() ? 0 : s.get(s.size() / 2);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
