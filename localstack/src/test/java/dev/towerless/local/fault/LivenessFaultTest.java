package dev.towerless.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.handlers.EcsTaskEvents;
import dev.towerless.local.ApiClient;
import dev.towerless.local.EmbeddedStack;
import dev.towerless.local.SampleRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Liveness with real runner processes on a local stack tuned for speed: heartbeats every second,
 * a runner is lost after 2 missed ones, a waiting job must be claimed within 15 s, a cancel
 * acknowledged within 3 s, and the reaper ticks every second.
 */
class LivenessFaultTest {
    private static final Duration GRACE_PLUS_TICK = Duration.ofSeconds(2 + 1);
    /**
     * How long a waiting job may go unclaimed. A runner JVM starting while the stack's first one
     * writes its class-data archive took 4–11 s to claim its job on a 2-core machine shared with
     * other builds (load average 8–12); 3 s made this class fail three runs in four.
     */
    private static final int WAITING_GRACE = 15;
    private static EmbeddedStack stack;
    private static Path state;
    private static ApiClient api;
    private static JobStore jobs;
    private static long inventory;
    private static long project;
    private static long nextId = 900_000;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("towerless-liveness-");
        stack = EmbeddedStack.start(EmbeddedStack.Settings.forTests(state).withEnvironment(Map.of(
                TowerlessConfig.HEARTBEAT_SECONDS, "1", TowerlessConfig.MISSED_HEARTBEATS, "2",
                TowerlessConfig.WAITING_GRACE_SECONDS, Integer.toString(WAITING_GRACE), TowerlessConfig.CANCEL_GRACE_SECONDS, "3"),
                Duration.ofSeconds(1)));
        api = new ApiClient(stack.apiUrl(), stack.adminToken());
        jobs = stack.context().getBean(JobStore.class);
        String repo = SampleRepository.create(SampleRepository.sampleDir(), state.resolve("sample.git"));
        long org = id(api.create("organizations/", Map.of("name", "liveness")));
        project = id(api.create("projects/", Map.of("name", "liveness", "organization", org, "scm_url", repo)));
        inventory = id(api.create("inventories/", Map.of("name", "liveness", "organization", org)));
        api.create("inventories/" + inventory + "/hosts/", Map.of("name", "localhost",
                "variables", "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3"));
        awaitStatus("projects/" + project + "/", "successful", Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aSigkilledRunnerFailsItsJobWithTheReapersExplanationAndTheNextJobStarts() throws Exception {
        long template = sleepTemplate();
        long first = launch(template, 60);
        awaitStatus("jobs/" + first + "/", "running", Duration.ofSeconds(30));
        awaitOutput(first, "TASK [Sleep]");
        long second = launch(template, 1);
        Thread.sleep(500);
        assertThat(status(second)).as("blocked by the first job of its template").isEqualTo("pending");

        Process runner = stack.launcher().running().get(first);
        Path scratch = scratchOf(runner);
        assertThat(checkouts(scratch, first)).as("the run's private data dir holds the project checkout").isNotEmpty();
        Instant killed = Instant.now();
        runner.destroyForcibly(); // SIGKILL: no final status, no goodbye

        Map<String, Object> reaped = awaitFinished("jobs/" + first + "/", GRACE_PLUS_TICK.plusSeconds(2));
        assertThat(Duration.between(killed, Instant.now())).isLessThan(GRACE_PLUS_TICK.plusSeconds(2));
        assertThat(reaped).containsEntry("status", "failed").containsEntry("failed", true);
        assertThat((String) reaped.get("job_explanation")).startsWith("Job reaped:");
        assertThat(awaitFinished("jobs/" + second + "/", Duration.ofSeconds(30))).containsEntry("status", "successful");
        // The killed task's whole process group went with it, as a Fargate task's would.
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("/tl-" + first + "-"))).isEmpty(); // its private data dir (JobRunner)
        assertThat(scratch).as("its leftovers (private data dir, checkout) are removed").doesNotExist();
    }

    @Test
    void aRunnerThatHangsIsStoppedWhenTheReaperEndsItsJobAndLeavesNoFilesBehind() throws Exception {
        long job = launch(sleepTemplate(), 60);
        awaitStatus("jobs/" + job + "/", "running", Duration.ofSeconds(30));
        awaitOutput(job, "TASK [Sleep]");
        Process runner = stack.launcher().running().get(job);
        Path scratch = scratchOf(runner);
        assertThat(checkouts(scratch, job)).isNotEmpty();

        // SIGSTOP: the runner is alive but silent (a hung JVM, a frozen host), so only the reaper can end its job.
        new ProcessBuilder("kill", "-STOP", Long.toString(runner.pid())).start().waitFor();
        Map<String, Object> reaped = awaitFinished("jobs/" + job + "/", GRACE_PLUS_TICK.plusSeconds(5));
        assertThat(reaped).containsEntry("status", "failed");
        assertThat((String) reaped.get("job_explanation")).startsWith("Job reaped:");

        Instant deadline = Instant.now().plusSeconds(20);
        while ((runner.isAlive() || Files.exists(scratch)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(runner.isAlive()).as("the reaper stopped the runner, as ECS StopTask would").isFalse();
        assertThat(scratch).as("its private data dir and checkout are gone").doesNotExist();
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("/tl-" + job + "-"))).as("nothing of the run is left running").isEmpty();
    }

    /**
     * AWX's delete_project_files removes a deleted project's checkout and cache. Towerless keeps
     * none between runs (each run clones into its private data dir, removed when it ends), so a
     * deleted project leaves nothing of it on disk: no checkout of its repository anywhere in the
     * runners' temp dirs or the stack's state dir.
     */
    @Test
    void aDeletedProjectLeavesNoCheckoutOfItsRepositoryOnDisk() throws Exception {
        String url = String.valueOf(api.get("projects/" + project + "/").json().get("scm_url"));
        long own = id(api.create("projects/", Map.of("name", "to-delete-" + System.nanoTime(), "scm_url", url,
                "organization", api.get("projects/" + project + "/").json().get("organization"))));
        awaitStatus("projects/" + own + "/", "successful", Duration.ofSeconds(60));
        long template = id(api.create("job_templates/", Map.of("name", "hello-" + System.nanoTime(), "project", own,
                "inventory", inventory, "playbook", "hello.yml")));
        long job = ((Number) api.create("job_templates/" + template + "/launch/", Map.of()).get("job")).longValue();
        assertThat(awaitFinished("jobs/" + job + "/", Duration.ofSeconds(60))).containsEntry("status", "successful");
        assertThat(api.delete("job_templates/" + template + "/").status()).isEqualTo(204);
        assertThat(api.delete("projects/" + own + "/").status()).isEqualTo(204);

        List<Path> roots = new java.util.ArrayList<>(List.of(state));
        try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            tmp.filter(d -> d.getFileName().toString().startsWith("tlt-")).forEach(roots::add); // runners' scratch dirs
        }
        List<Path> left = new java.util.ArrayList<>();
        for (Path root : roots) {
            try (var walk = Files.find(root, 5, (p, a) -> p.endsWith(Path.of(".git", "config")))) {
                walk.filter(p -> {
                    try {
                        return Files.readString(p).contains(url);
                    } catch (java.io.IOException e) {
                        return false; // a vanishing dir, or another run's
                    }
                }).forEach(left::add);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // another task's scratch dir, not ours to read (0711), or gone while walking
            }
        }
        assertThat(left).as("checkouts of the deleted project's repository").isEmpty();
    }

    /** The task's scratch dir: the runner's java.io.tmpdir (ProcessRunnerLauncher), read from its command line. */
    private static Path scratchOf(Process runner) {
        String[] args = runner.info().arguments().orElseThrow();
        for (String a : args) {
            if (a.startsWith("-Djava.io.tmpdir=")) {
                return Path.of(a.substring("-Djava.io.tmpdir=".length()));
            }
        }
        throw new AssertionError("no tmpdir in " + String.join(" ", args));
    }

    /** The project checkouts of this job's private data dirs inside the scratch dir. */
    private static List<Path> checkouts(Path scratch, long job) throws java.io.IOException {
        try (var dirs = Files.list(scratch)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("tl-" + job + "-"))
                    .map(d -> d.resolve("project").resolve("sleep.yml")).filter(Files::exists).toList();
        }
    }

    @Test
    void aJobWhoseTaskNeverRunsLeavesWaitingAsFailed() throws Exception {
        long id = insertJob(JobStatus.WAITING);
        Map<String, Object> done = awaitFinished("jobs/" + id + "/", Duration.ofSeconds(WAITING_GRACE + 1 + 3));
        assertThat(done).containsEntry("status", "failed");
        assertThat((String) done.get("job_explanation")).startsWith("Job reaped: no runner claimed it within");
    }

    @Test
    void aRunningJobCancelsAtTheNextHeartbeatKeepingItsOutput() throws Exception {
        long job = launch(sleepTemplate(), 60);
        awaitStatus("jobs/" + job + "/", "running", Duration.ofSeconds(30));
        awaitOutput(job, "TASK [Sleep]");
        assertThat(api.get("jobs/" + job + "/cancel/").json()).containsEntry("can_cancel", true);
        Instant asked = Instant.now();
        assertThat(api.post("jobs/" + job + "/cancel/", Map.of()).status()).isEqualTo(202);
        Map<String, Object> done = awaitFinished("jobs/" + job + "/", Duration.ofSeconds(15));
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(12));
        assertThat(done).containsEntry("status", "canceled").containsEntry("failed", true).containsEntry("cancel_flag", true);
        assertThat(done.get("canceled_on")).isNotNull();
        assertThat(api.get("jobs/" + job + "/stdout/").body()).contains("going to sleep").doesNotContain("woke up");
        assertThat(api.get("jobs/" + job + "/cancel/").json()).containsEntry("can_cancel", false);
        assertThat(api.post("jobs/" + job + "/cancel/", Map.of()).status()).isEqualTo(405);
    }

    @Test
    void pendingAndWaitingJobsCancelAtOnce() throws Exception {
        long template = sleepTemplate();
        long blocker = launch(template, 30);
        long pending = launch(template, 1);
        assertThat(api.post("jobs/" + pending + "/cancel/", Map.of()).status()).isEqualTo(202);
        assertThat(status(pending)).isEqualTo("canceled");
        long waiting = insertJob(JobStatus.WAITING);
        assertThat(api.post("jobs/" + waiting + "/cancel/", Map.of()).status()).isEqualTo(202);
        Map<String, Object> w = api.get("jobs/" + waiting + "/").json();
        assertThat(w).containsEntry("status", "canceled").containsEntry("elapsed", 0.0);
        api.post("jobs/" + blocker + "/cancel/", Map.of());
        awaitFinished("jobs/" + blocker + "/", Duration.ofSeconds(15));
    }

    @Test
    void aCancelNoRunnerAcknowledgesIsFinishedByTheReaper() throws Exception {
        long id = insertJob(JobStatus.RUNNING);
        AtomicBoolean alive = new AtomicBoolean(true);
        Thread deafRunner = new Thread(() -> { // heartbeats, but never looks at the cancel flag
            while (alive.get()) {
                stack.context().getBean(HeartbeatStore.class).beat(id, "deaf-runner", Instant.now());
                sleep(300);
            }
        });
        deafRunner.start();
        try {
            assertThat(api.post("jobs/" + id + "/cancel/", Map.of()).status()).isEqualTo(202);
            sleep(1500);
            assertThat(status(id)).as("still within the cancel grace").isEqualTo("running");
            Map<String, Object> done = awaitFinished("jobs/" + id + "/", Duration.ofSeconds(3 + 2 + 2));
            assertThat(done).containsEntry("status", "canceled");
            assertThat((String) done.get("job_explanation")).contains("no runner acknowledged the cancel");
        } finally {
            alive.set(false);
            deafRunner.join();
        }
    }

    @Test
    void duplicateRunnerLaunchesAndStopEventsChangeNothing() throws Exception {
        long job = launch(sleepTemplate(), 0);
        Map<String, Object> done = awaitFinished("jobs/" + job + "/", Duration.ofSeconds(30));
        assertThat(done).containsEntry("status", "successful");
        int events = eventCount(job);

        // The same job handed to a second runner (a redelivered RunTask): it finds nothing to do.
        stack.launcher().start(job, dev.towerless.core.jobs.JobKind.JOB, java.util.Optional.empty());
        Process duplicate = stack.launcher().running().get(job);
        if (duplicate != null) {
            duplicate.waitFor();
        }
        // The same STOPPED event twice, for a job that ended normally.
        EcsTaskEvents ecs = stack.context().getBean(EcsTaskEvents.class);
        ScheduledEvent stopped = new ScheduledEvent();
        stopped.setDetailType("ECS Task State Change");
        stopped.setDetail(Map.of("lastStatus", "STOPPED", "startedBy", "towerless-job-" + job, "taskArn", "t",
                "stoppedReason", "Essential container in task exited"));
        assertThat(ecs.handle(stopped)).isFalse();
        assertThat(ecs.handle(stopped)).isFalse();
        sleep(1500);
        Map<String, Object> after = api.get("jobs/" + job + "/").json();
        assertThat(after).containsEntry("status", "successful").containsEntry("finished", done.get("finished"))
                .containsEntry("job_explanation", "");
        assertThat(eventCount(job)).isEqualTo(events);
    }

    @Test
    void pingAndInstancesShowLiveRunnersAndTheManagersPasses() throws Exception {
        long job = launch(sleepTemplate(), 30);
        awaitStatus("jobs/" + job + "/", "running", Duration.ofSeconds(30));
        sleep(1500);
        Map<String, Object> ping = new ApiClient(stack.apiUrl(), null).get("ping/").json();
        assertThat(ping).containsKeys("task_manager", "reaper", "scheduler", "queues", "instance_groups");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> instances = (List<Map<String, Object>>) ping.get("instances");
        assertThat(instances).anySatisfy(i -> assertThat(i.get("node")).isEqualTo("local-runner-job-" + job));
        Map<String, Object> listed = api.get("instances/?hostname=local-runner-job-" + job).json();
        assertThat(listed).containsEntry("count", 1);
        Map<String, Object> group = api.get("instance_groups/1/").json();
        assertThat(((Number) group.get("jobs_running")).intValue()).isGreaterThanOrEqualTo(1);
        api.post("jobs/" + job + "/cancel/", Map.of());
        awaitFinished("jobs/" + job + "/", Duration.ofSeconds(15));
    }

    private static long sleepTemplate() {
        return id(api.create("job_templates/", Map.of("name", "sleep-" + System.nanoTime(), "project", project,
                "inventory", inventory, "playbook", "sleep.yml", "ask_variables_on_launch", true)));
    }

    private static long launch(long template, int seconds) {
        return ((Number) api.create("job_templates/" + template + "/launch/",
                Map.of("extra_vars", Map.of("seconds", seconds))).get("job")).longValue();
    }

    /** A job put straight into the store in the given state, with no runner behind it. */
    private static long insertJob(JobStatus status) {
        long id;
        synchronized (LivenessFaultTest.class) {
            id = nextId++;
        }
        Instant now = Clock.systemUTC().instant();
        UnifiedJob j = UnifiedJob.newPending(id, JobKind.JOB, "orphan-" + id, LaunchType.MANUAL, now,
                Map.of(JobFields.PROJECT, project, JobFields.UNIFIED_JOB_TEMPLATE, 999_999L));
        // Marked waiting/running at once, so the local task manager never sees it pending.
        UnifiedJob waiting = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, now));
        UnifiedJob stored = status == JobStatus.RUNNING ? waiting.with(JobTransitions.changesFor(waiting, JobStatus.RUNNING, now,
                Map.of(JobFields.EXECUTION_NODE, "deaf-runner"))) : waiting;
        jobs.insert(stored);
        return id;
    }

    private static int eventCount(long job) {
        return ((Number) api.get("jobs/" + job + "/job_events/?page_size=1").json().get("count")).intValue();
    }

    private static String status(long job) {
        return String.valueOf(api.get("jobs/" + job + "/").json().get("status"));
    }

    private static void awaitOutput(long job, String text) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!api.get("jobs/" + job + "/stdout/").body().contains(text)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job " + job + " never printed " + text);
            }
            sleep(100);
        }
    }

    private static Map<String, Object> awaitStatus(String path, String status, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Map<String, Object> o = api.get(path).json();
            if (status.equals(o.get("status"))) {
                return o;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(path + " is " + o.get("status") + ", never " + status + ": " + o);
            }
            sleep(100);
        }
    }

    private static Map<String, Object> awaitFinished(String path, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Map<String, Object> o = api.get(path).json();
            if (!List.of("new", "pending", "waiting", "running").contains(String.valueOf(o.get("status")))) {
                return o;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(path + " still " + o.get("status") + " after " + timeout + ": " + o);
            }
            sleep(100);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }
}
