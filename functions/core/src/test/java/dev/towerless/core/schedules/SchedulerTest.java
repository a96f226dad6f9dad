package dev.towerless.core.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.testing.FakeStores;
import dev.towerless.core.testing.MutableClock;
import dev.towerless.core.testing.RecordingTopic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final String DAILY_AT_TEN = "DTSTART:20261101T100000Z RRULE:FREQ=DAILY;INTERVAL=1";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:20Z"));
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final FakeStores.Resources resources = new FakeStores.Resources();
    private final FakeStores.Queue wake = new FakeStores.Queue();
    private final RecordingTopic lifecycle = new RecordingTopic();
    private final LaunchService launches = new LaunchService(jobs, resources, wake, new FakeStores.FlatVariables(), clock,
            new SecretBox(new byte[32]));
    private final dev.towerless.core.workflows.WorkflowManager workflows = new dev.towerless.core.workflows.WorkflowManager(
            jobs, resources, launches, new FakeStores.FlatVariables(), lifecycle, clock, id -> { });
    private final Scheduler scheduler = new Scheduler(resources, jobs, launches, workflows, lifecycle, clock);

    @BeforeEach
    void setUp() {
        resources.insert(new Resource(ResourceTypes.PROJECT, 1, Map.of("name", "p", "organization", 1L, "scm_revision", "abc")));
        resources.insert(new Resource(ResourceTypes.INVENTORY, 2, Map.of("name", "inv", "organization", 1L)));
        resources.insert(new Resource(ResourceTypes.JOB_TEMPLATE, 10, Map.of("name", "deploy", "project", 1L,
                "inventory", 2L, "playbook", "site.yml", "forks", 0L, "ask_limit_on_launch", true)));
        resources.insert(new Resource(ResourceTypes.SYSTEM_JOB_TEMPLATE, 20, Map.of("name", "Cleanup Job Details",
                "job_type", "cleanup_jobs")));
    }

    private Resource schedule(long id, long template, Map<String, Object> extra) {
        Map<String, Object> f = new HashMap<>(Map.of("name", "nightly-" + id, "rrule", DAILY_AT_TEN, "enabled", true,
                "unified_job_template", template, "next_run", "2026-11-28T10:00:00Z"));
        f.putAll(extra);
        return resources.insert(new Resource(ResourceTypes.SCHEDULE, id, f));
    }

    private List<UnifiedJob> jobsOf(long template) {
        return jobs.ofTemplate(template, 100);
    }

    @Test
    void aDueScheduleLaunchesOneRunWithItsPromptsAndMovesToTheNextOccurrence() {
        schedule(50, 10, Map.of("limit", "web"));

        assertThat(scheduler.runPass().launched()).isEqualTo(1);

        UnifiedJob job = jobsOf(10).get(0);
        assertThat(job.kind()).isEqualTo(JobKind.JOB);
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.get(JobFields.LAUNCH_TYPE)).isEqualTo(LaunchType.SCHEDULED.apiName());
        assertThat(job.get(JobFields.SCHEDULE)).isEqualTo(50L);
        assertThat(job.get(JobFields.LIMIT)).isEqualTo("web");
        assertThat(job.get(JobFields.LAUNCHED_BY)).isEqualTo(Map.of("id", 50L, "name", "nightly-50", "type", "schedule",
                "url", "/api/v2/schedules/50/"));
        assertThat(wake.sent).hasSize(1);
        Resource after = resources.get(ResourceTypes.SCHEDULE, 50).orElseThrow();
        assertThat(after.get("next_run")).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(after.get("launching")).as("the launch mark is cleared").isNull();

        clock.advance(Duration.ofSeconds(30));
        assertThat(scheduler.runPass().launched()).as("the occurrence is not launched twice").isZero();
        clock.advance(Duration.ofDays(1));
        assertThat(scheduler.runPass().launched()).isEqualTo(1);
        assertThat(jobsOf(10)).hasSize(2);
    }

    @Test
    void afterAnOutageAScheduleFiresOnceLateThenKeepsItsRhythm() {
        schedule(50, 10, Map.of());
        clock.advance(Duration.ofDays(3).plusHours(2));

        scheduler.runPass();
        scheduler.runPass();

        assertThat(jobsOf(10)).hasSize(1);
        assertThat(resources.get(ResourceTypes.SCHEDULE, 50).orElseThrow().get("next_run"))
                .isEqualTo("2026-12-02T10:00:00Z");
    }

    @Test
    void disabledAndFutureSchedulesDoNothing() {
        schedule(50, 10, Map.of("enabled", false));
        schedule(51, 10, Map.of("next_run", "2026-11-28T11:00:00Z"));

        assertThat(scheduler.runPass().launched()).isZero();
        assertThat(jobsOf(10)).isEmpty();
    }

    @Test
    void twoSchedulersRacingLaunchEachOccurrenceOnce() throws Exception {
        for (long id = 50; id < 60; id++) {
            schedule(id, 10, Map.of());
        }
        Map<Long, Long> runsPerSchedule = new HashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                new Scheduler(resources, jobs, launches, workflows, lifecycle, clock).runPass();
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        jobsOf(10).forEach(j -> runsPerSchedule.merge(j.longField(JobFields.SCHEDULE).orElseThrow(), 1L, Long::sum));
        assertThat(jobsOf(10)).hasSize(10);
        assertThat(runsPerSchedule).hasSize(10).allSatisfy((schedule, runs) -> assertThat(runs).isEqualTo(1L));
    }

    @Test
    void aTemplateWithTenJobsWaitingSkipsTheOccurrence() {
        schedule(50, 10, Map.of());
        for (int i = 0; i < Scheduler.SCHEDULE_MAX_JOBS; i++) {
            launches.launchJobTemplate(resources.get(ResourceTypes.JOB_TEMPLATE, 10).orElseThrow(),
                    dev.towerless.core.launch.LaunchPrompts.none(),
                    dev.towerless.core.launch.Origin.system(LaunchType.MANUAL));
        }

        Scheduler.Result r = scheduler.runPass();

        assertThat(r.skipped()).isEqualTo(1);
        assertThat(jobsOf(10)).hasSize(Scheduler.SCHEDULE_MAX_JOBS);
        assertThat(resources.get(ResourceTypes.SCHEDULE, 50).orElseThrow().get("next_run"))
                .as("the occurrence is lost, as in AWX").isEqualTo("2026-11-29T10:00:00Z");
    }

    @Test
    void aTemplateThatCannotStartLeavesAFailedRunSayingWhy() {
        resources.update(ResourceTypes.JOB_TEMPLATE, 10, new HashMap<>(Map.of("inventory", -1L)));
        schedule(50, 10, Map.of());

        scheduler.runPass();

        UnifiedJob job = jobsOf(10).get(0);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.jobExplanation()).startsWith(Scheduler.NOT_STARTED).contains("inventory is missing");
        assertThat(lifecycle.published).singleElement().asString().contains("\"job_id\":" + job.id());
    }

    @Test
    void systemJobSchedulesPassTheirExtraData() {
        schedule(50, 20, Map.of("extra_data", Map.of("days", 30)));

        scheduler.runPass();

        UnifiedJob job = jobsOf(20).get(0);
        assertThat(job.kind()).isEqualTo(JobKind.SYSTEM_JOB);
        assertThat(job.get(JobFields.EXTRA_VARS)).isEqualTo("{\"days\": 30}");
    }

    @Test
    void aRunClaimedByAPassThatDiedIsLaunchedByALaterPassOnlyIfMissing() {
        schedule(50, 10, Map.of("next_run", "2026-11-29T10:00:00Z",
                "launching", "2026-11-28T10:00:00Z", "launching_since", "2026-11-28T10:00:01.000000Z"));
        schedule(51, 10, Map.of("next_run", "2026-11-29T10:00:00Z",
                "launching", "2026-11-28T10:00:00Z", "launching_since", "2026-11-28T10:00:01.000000Z"));

        assertThat(scheduler.runPass().recovered()).as("too recent: the pass may still be launching").isZero();
        clock.advance(Duration.ofMinutes(3));
        // schedule 51's run did get created before its pass died
        launches.launchJobTemplate(resources.get(ResourceTypes.JOB_TEMPLATE, 10).orElseThrow(),
                dev.towerless.core.launch.LaunchPrompts.none(), dev.towerless.core.launch.Origin.schedule(
                        resources.get(ResourceTypes.SCHEDULE, 51).orElseThrow(), "2026-11-28T10:00:00Z"));

        assertThat(scheduler.runPass().recovered()).isEqualTo(1);
        assertThat(scheduler.runPass().recovered()).isZero();

        assertThat(jobsOf(10)).extracting(j -> j.get(JobFields.SCHEDULE)).containsExactlyInAnyOrder(50L, 51L);
        assertThat(resources.get(ResourceTypes.SCHEDULE, 50).orElseThrow().get("launching")).isNull();
    }

    @Test
    void aScheduleDueAgainWhileItsLastRunMayStillBeLaunchingWaitsThenGetsBothRuns() {
        // Every minute; a pass claimed 09:59 eighty seconds ago and may still be launching it (or died).
        schedule(50, 10, Map.of("rrule", "DTSTART:20261101T100000Z RRULE:FREQ=MINUTELY;INTERVAL=1",
                "launching", "2026-11-28T09:59:00Z", "launching_since", "2026-11-28T09:59:00.000000Z"));

        assertThat(scheduler.runPass().launched()).as("claiming 10:00 now would overwrite 09:59's mark").isZero();

        clock.advance(Duration.ofSeconds(30));
        Scheduler.Result r = scheduler.runPass();

        assertThat(r.recovered()).isEqualTo(1);
        assertThat(r.launched()).isEqualTo(1);
        assertThat(jobsOf(10)).extracting(j -> j.get(JobFields.SCHEDULED_FOR))
                .containsExactlyInAnyOrder("2026-11-28T09:59:00Z", "2026-11-28T10:00:00Z");
    }
}
