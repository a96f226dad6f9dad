package dev.towerless.local.bench;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.liveness.LivenessSettings;
import dev.towerless.core.liveness.Reaper;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.Topic;
import dev.towerless.local.EmbeddedStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 500 simulated runners heartbeating the way the runner does (one conditional write of their
 * heartbeat item per period), while the reaper passes over them; 50 of them go silent and must
 * be reaped.
 */
final class HeartbeatBenchmark {
    private HeartbeatBenchmark() {
    }

    static String run(EmbeddedStack stack, int runners, Duration length) throws Exception {
        JobStore jobs = stack.context().getBean(JobStore.class);
        HeartbeatStore heartbeats = stack.context().getBean(HeartbeatStore.class);
        LivenessSettings settings = LivenessSettings.defaults();
        Topic discard = message -> { };
        Reaper reaper = new Reaper(jobs, heartbeats, discard, Clock.systemUTC(), settings);
        long base = 5_000_000;
        int silent = runners / 10;
        Instant now = Instant.now();
        for (int i = 0; i < runners; i++) {
            UnifiedJob j = UnifiedJob.newPending(base + i, JobKind.JOB, "sim-" + i, LaunchType.MANUAL, now, Map.of());
            UnifiedJob w = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, now));
            Instant last = i < silent ? now.minus(settings.heartbeatGrace()).minusSeconds(1) : now;
            jobs.insert(w.with(JobTransitions.changesFor(w, JobStatus.RUNNING, now, Map.of(
                    JobFields.EXECUTION_NODE, "sim-runner-" + i))));
            heartbeats.beat(base + i, "sim-runner-" + i, last);
        }
        AtomicLong writes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long period = settings.heartbeatPeriod().toMillis();
        Instant end = Instant.now().plus(length);
        List<Double> roundSeconds = new ArrayList<>();
        List<Double> reapSeconds = new ArrayList<>();
        int reaped = 0;
        while (Instant.now().isBefore(end)) {
            long t0 = System.nanoTime();
            List<Future<?>> beats = new ArrayList<>();
            for (int i = silent; i < runners; i++) {
                long id = base + i;
                beats.add(pool.submit(() -> {
                    if (heartbeats.beat(id, "sim-runner-" + id, Instant.now())) {
                        writes.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : beats) {
                f.get();
            }
            roundSeconds.add((System.nanoTime() - t0) / 1e9);
            long r0 = System.nanoTime();
            reaped += reaper.reap().reaped();
            reapSeconds.add((System.nanoTime() - r0) / 1e9);
            long spent = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(Math.max(0, period - spent));
        }
        pool.shutdown();
        double minutes = length.toMillis() / 60_000.0;
        double perRunnerPerMinute = writes.get() / (double) (runners - silent) / minutes;
        for (int i = 0; i < runners; i++) { // leave nothing running behind
            jobs.find(base + i).filter(j -> j.status() == JobStatus.RUNNING).ifPresent(j ->
                    jobs.updateIfStatus(j.id(), JobStatus.RUNNING, JobTransitions.changesFor(j, JobStatus.CANCELED, Instant.now())));
        }
        return "## Heartbeats and reaping (" + runners + " simulated runners, " + BenchmarkReport.today() + ")\n\n"
                + "| measure | value |\n|---|---|\n"
                + "| heartbeat period / runner lost after | " + settings.heartbeatPeriod().toSeconds() + " s / "
                + settings.heartbeatGrace().toSeconds() + " s |\n"
                + "| heartbeat writes per runner per minute | " + fmt(perRunnerPerMinute) + " (one conditional UpdateItem of a heartbeat item each, one write unit) |\n"
                + "| one round of " + (runners - silent) + " heartbeats (8 writers) | p50 " + fmt(Benchmarks.median(roundSeconds))
                + " s |\n"
                + "| **reaper pass over " + runners + " running jobs** | **p50 " + fmt(Benchmarks.median(reapSeconds)) + " s, max "
                + fmt(reapSeconds.stream().mapToDouble(d -> d).max().orElse(0)) + " s** |\n"
                + "| silent runners reaped | " + reaped + " of " + silent + " |\n\n"
                + "Targets: reaper pass ≤ 1 s; ≤ 12 heartbeat writes per runner per minute. The reaper reads the active "
                + "jobs with one query on the sparse `active` index and writes only for the jobs it reaps. On AWS at "
                + "on-demand prices (1.25 USD per million writes), 500 runners heartbeating for an hour cost "
                + fmt(500 * 12 * 60 * 1.25 / 1_000_000) + " USD.\n\n";
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
