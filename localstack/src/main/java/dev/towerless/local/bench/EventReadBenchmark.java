package dev.towerless.local.bench;

import static dev.towerless.local.bench.BenchmarkReport.ms;
import static dev.towerless.local.bench.BenchmarkReport.pct;

import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobOutput;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.local.ApiClient;
import dev.towerless.local.EmbeddedStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code ./towerless bench events}: one job each of 1,000 / 10,000 / 100,000 events (override
 * with {@code -Dbench.jobEvents=…}), written as the runner writes them (events, then line marks and
 * extent), read through HTTP: job_events/ page 1 and a deep page, stdout/ ranges of 20 lines at
 * the start, middle and end, the json range. p50/p99 of 20 requests, store items read per
 * request, and the ratio to one raw Query of 20 events of the same job in the same run.
 */
final class EventReadBenchmark {
    private static final int RUNS = 20;

    private EventReadBenchmark() {
    }

    static String run(EmbeddedStack stack, List<Integer> sizes) {
        ApiClient api = new ApiClient(stack.apiUrl(), stack.adminToken());
        JobStore jobs = stack.context().getBean(JobStore.class);
        EventStore events = stack.context().getBean(EventStore.class);
        DynamoDbClient dynamo = stack.context().getBean(DynamoDbClient.class);
        StringBuilder out = new StringBuilder("## Job events and stdout ranges (" + BenchmarkReport.today() + ")\n\n"
                + "`./towerless bench events`. One finished job per size, its events written as the runner writes them "
                + "(batches of 500, then the batch's line marks and the job's extent), read through the HTTP API as a "
                + "superuser, one client, " + RUNS + " requests each: p50 / p99, store items read per request, and p50 over "
                + "the p50 of one raw Query of 20 events of the same job in the same run. Each event is one line of "
                + "output, as most of ansible's are; ranges are 20 lines. `STDOUT_MAX_BYTES_DISPLAY` is raised for the run: "
                + "at its default (1 MiB, AWX's) the display formats of the 100,000-event job (3.6 M characters) answer "
                + "AWX's \"too large to display\" instead, from the job's extent (5 items read).\n\n"
                + "| events | request | p50 | p99 | items read | × one Query of 20 |\n|---|---|---|---|---|---|\n");
        long jobId = 9_100_000;
        api.patch("settings/jobs/", Map.of("STDOUT_MAX_BYTES_DISPLAY", 1_000_000_000L));
        for (int size : sizes) {
            long job = jobId++;
            insertJob(jobs, events, job, size);
            List<Double> raw = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                dynamo.query(r -> r.tableName("towerless-events").keyConditionExpression("job_id = :j AND #c > :z")
                        .expressionAttributeNames(Map.of("#c", "counter"))
                        .expressionAttributeValues(Map.of(":j", AttributeValue.fromN(Long.toString(job)), ":z", AttributeValue.fromN("0")))
                        .limit(20));
                raw.add((System.nanoTime() - t0) / 1e6);
            }
            double rawP50 = pct(raw, 50);
            String n = String.format(Locale.ROOT, "%,d", size);
            out.append("| ").append(n).append(" | one Query of 20 events (the limit) | ").append(ms(rawP50)).append(" | ")
                    .append(ms(pct(raw, 99))).append(" | 20 | 1× |\n");
            Map<String, String> requests = new LinkedHashMap<>();
            String ev = "jobs/" + job + "/job_events/";
            String so = "jobs/" + job + "/stdout/";
            int mid = size / 2;
            requests.put("`job_events/?page_size=20` (page 1, with count)", ev + "?page_size=20");
            requests.put("`job_events/?page=" + (size / 40) + "&page_size=20` (the middle)", ev + "?page=" + (size / 40) + "&page_size=20");
            requests.put("`job_events/?order_by=-counter&page_size=20`", ev + "?order_by=-counter&page_size=20");
            requests.put("`stdout/?format=txt&start_line=0&end_line=20`", so + "?format=txt&start_line=0&end_line=20");
            requests.put("`stdout/?format=txt&start_line=" + mid + "&end_line=" + (mid + 20) + "`",
                    so + "?format=txt&start_line=" + mid + "&end_line=" + (mid + 20));
            requests.put("`stdout/?format=json&start_line=" + (size - 20) + "&end_line=" + size + "` (the end, absolute_end)",
                    so + "?format=json&start_line=" + (size - 20) + "&end_line=" + size);
            for (Map.Entry<String, String> r : requests.entrySet()) {
                List<Double> times = new ArrayList<>();
                long[] items = {0};
                for (int i = 0; i < RUNS; i++) {
                    ApiClient.Response[] resp = new ApiClient.Response[1];
                    long t0 = System.nanoTime();
                    items[0] = ItemsRead.during(() -> resp[0] = api.get(r.getValue()));
                    times.add((System.nanoTime() - t0) / 1e6);
                    if (resp[0].status() != 200) {
                        throw new IllegalStateException(r.getValue() + " answered " + resp[0].status() + ": " + resp[0].body());
                    }
                }
                double p50 = pct(times, 50);
                out.append("| ").append(n).append(" | ").append(r.getKey()).append(" | ").append(ms(p50)).append(" | ")
                        .append(ms(pct(times, 99))).append(" | ").append(String.format(Locale.ROOT, "%,d", items[0]))
                        .append(" | ").append(String.format(Locale.ROOT, "%.1f×", p50 / rawP50)).append(" |\n");
            }
        }
        api.patch("settings/jobs/", Map.of("STDOUT_MAX_BYTES_DISPLAY", 1_048_576L));
        return out.append('\n').toString();
    }

    private static void insertJob(JobStore jobs, EventStore events, long id, int size) {
        Instant t = Instant.parse("2026-05-01T00:00:00Z");
        UnifiedJob j = UnifiedJob.newPending(id, JobKind.JOB, "chatty-" + size, LaunchType.MANUAL, t, Map.of());
        UnifiedJob w = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, t));
        UnifiedJob r = w.with(JobTransitions.changesFor(w, JobStatus.RUNNING, t));
        jobs.insert(r.with(JobTransitions.changesFor(r, JobStatus.SUCCESSFUL, t.plusSeconds(600))));
        JobOutput.Writer writer = new JobOutput.Writer(events);
        List<JobEvent> batch = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            batch.add(new JobEvent(id, i, "runner_on_ok", null, "host-" + (i % 50), null, null, null,
                    "ok: [host-" + i + "] => {\"msg\": \"item " + i + "\"}", i - 1, i, "2026-05-01T00:00:00.000000Z", false, false, Map.of()));
            if (batch.size() == 500 || i == size) {
                writer.append(batch);
                batch = new ArrayList<>();
            }
        }
    }

}
