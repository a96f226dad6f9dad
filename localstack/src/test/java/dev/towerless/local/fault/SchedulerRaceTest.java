package dev.towerless.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.Topic;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.schedules.Scheduler;
import dev.towerless.local.LocalStackFixture;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several scheduler passes at once over real DynamoDB conditional writes (dynalite), with the
 * stack's own scheduler tick running too: every due occurrence is launched exactly once.
 */
class SchedulerRaceTest {

    @Test
    void passesRacingOverDueSchedulesLaunchEachOccurrenceOnce() throws Exception {
        var context = LocalStackFixture.stack().context();
        ResourceStore resources = context.getBean(ResourceStore.class);
        JobStore jobs = context.getBean(JobStore.class);
        LaunchService launches = context.getBean(LaunchService.class);
        Topic lifecycle = context.getBean(Topic.class, io.micronaut.inject.qualifiers.Qualifiers.byName("lifecycle"));
        Resource cleanupTokens = resources.all(ResourceTypes.SYSTEM_JOB_TEMPLATE).stream()
                .filter(t -> "cleanup_tokens".equals(t.get("job_type"))).findFirst().orElseThrow();
        String due = Instant.now().minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String tag = Long.toString(System.nanoTime(), 36);
        List<Long> schedules = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Map<String, Object> f = new HashMap<>(Map.of("name", "race-" + tag + "-" + i, "enabled", true,
                    "unified_job_template", cleanupTokens.id(), "rrule", "DTSTART:20260101T000000Z RRULE:FREQ=DAILY;INTERVAL=1",
                    "next_run", due, "extra_data", Map.of()));
            schedules.add(resources.create(ResourceTypes.SCHEDULE, f).id());
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Scheduler.Result>> passes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            passes.add(pool.submit(() -> {
                go.await();
                return new Scheduler(resources, jobs, launches, lifecycle, Clock.systemUTC()).runPass();
            }));
        }
        go.countDown();
        for (Future<Scheduler.Result> p : passes) {
            p.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Thread.sleep(3000); // one more tick of the stack's own scheduler

        Map<Long, Integer> runs = new HashMap<>();
        for (UnifiedJob j : jobs.ofTemplate(cleanupTokens.id(), 500)) {
            j.longField(JobFields.SCHEDULE).filter(schedules::contains).ifPresent(s -> runs.merge(s, 1, Integer::sum));
        }
        assertThat(runs).as("every schedule launched, none twice").hasSize(12).allSatisfy((s, n) -> assertThat(n).isEqualTo(1));
        for (long s : schedules) {
            Resource after = resources.get(ResourceTypes.SCHEDULE, s).orElseThrow();
            assertThat(Instant.parse(after.get("next_run").toString())).isAfter(Instant.now());
            assertThat(after.get("launching")).isNull();
            resources.delete(ResourceTypes.SCHEDULE, s);
        }
    }
}
