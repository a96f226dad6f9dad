package dev.towerless.local.bench;

import dev.towerless.aws.s3.S3DownloadStore;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobOutput;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.StdoutDownloads;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.local.EmbeddedStack;
import dev.towerless.local.MotoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code bench downloads}: one finished job of about {@code bench.downloadMb} MB of stdout (50 by
 * default; 80-character lines, 50 to an event), downloaded whole through HTTP from the stack that
 * streams (no threshold, the local default) and from a second stack whose downloads go through
 * moto's S3 at the default threshold: the first request (events read, multipart upload, 302), the
 * presigned GET that follows it, and a second request (the stored object found, 302). The ratios
 * are to the stream of the same text in the same run and to API Gateway's 29 s.
 */
final class StdoutDownloadBenchmark {
    private static final int LINES_PER_EVENT = 50;
    private static final double API_GATEWAY_SECONDS = 29;
    private static final int ROUNDS = 3;

    private StdoutDownloadBenchmark() {
    }

    static String run(EmbeddedStack plain, int megabytes) throws Exception {
        var moto = MotoServer.start().orElseThrow(() -> new IllegalStateException("moto_server is not installed"));
        try (moto; S3Client s3 = moto.s3();
             EmbeddedStack redirecting = EmbeddedStack.start(EmbeddedStack.Settings.forTests(
                     Files.createTempDirectory("towerless-bench-downloads-")).withEnvironment(Map.of(
                     S3DownloadStore.BUCKET_ENV, "towerless-stdout", "AWS_ENDPOINT_URL_S3", moto.endpoint()),
                     Duration.ofSeconds(15)))) {
            s3.createBucket(r -> r.bucket("towerless-stdout"));
            int events = (int) Math.max(1, (long) megabytes * 1_000_000 / (LINES_PER_EVENT * 81L));
            long plainJob = finishedJob(plain, events);
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            List<Double> stream = new ArrayList<>();
            List<Double> upload = new ArrayList<>();
            List<Double> fetch = new ArrayList<>();
            List<Double> reuse = new ArrayList<>();
            HttpResponse<byte[]> streamed = null;
            // Round 0 warms both stacks' code paths and is not reported; each round's first download is of a new job.
            for (int round = 0; round <= ROUNDS; round++) {
                long job = finishedJob(redirecting, events);
                long t0 = System.nanoTime();
                streamed = get(http, plain, plainJob);
                double s = seconds(t0);
                t0 = System.nanoTime();
                HttpResponse<byte[]> first = get(http, redirecting, job);
                double u = seconds(t0);
                String location = first.headers().firstValue("Location").orElseThrow(() ->
                        new IllegalStateException("expected a 302, got " + first.statusCode()));
                t0 = System.nanoTime();
                HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create(location)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                double f = seconds(t0);
                t0 = System.nanoTime();
                HttpResponse<byte[]> second = get(http, redirecting, job);
                double r = seconds(t0);
                if (second.statusCode() != 302 || !java.util.Arrays.equals(file.body(), streamed.body())) {
                    throw new IllegalStateException("the redirected download is not the streamed one");
                }
                if (round > 0) {
                    stream.add(s);
                    upload.add(u);
                    fetch.add(f);
                    reuse.add(r);
                }
            }
            double mb = streamed.body().length / 1e6;
            double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return "## Large stdout downloads through S3 (" + BenchmarkReport.today() + ")\n\n"
                    + "`bench downloads` (`-Dbench.downloadMb=" + megabytes + "`). One finished job of " + events + " events, "
                    + String.format(Locale.ROOT, "%.1f", mb) + " MB of `txt_download` text, on each of two embedded stacks in one "
                    + "JVM: one without a threshold (streams, the local default) and one with its downloads bucket on "
                    + "moto_server's S3 at the default threshold (" + StdoutDownloads.DEFAULT_THRESHOLD + " bytes, as on AWS). "
                    + "One client, " + ROUNDS + " rounds after a warm-up round (each round's first download of a new job), "
                    + "median (min–max), load average " + String.format(Locale.ROOT, "%.1f", load)
                    + " (2 cores, shared).\n\n"
                    + "| request | time | × the stream | × API Gateway's 29 s |\n|---|---|---|---|\n"
                    + row("streamed download (no threshold)", stream, stream)
                    + row("first download: events read, multipart upload, 302", upload, stream)
                    + row("GET of the presigned URL (moto)", fetch, stream)
                    + row("second download: object found, 302", reuse, stream)
                    + "\nThe first download reads the same events as the stream and uploads 8 MiB parts as it reads them; "
                    + "its time against the stream's is what the upload costs. A finished job pays it once; a running job's "
                    + "download pays it each time. moto runs on the same machine: S3 across a Region's network, and "
                    + "DynamoDB's reads on AWS, are not measured here.\n";
        }
    }

    private static String row(String label, List<Double> times, List<Double> stream) {
        double m = Benchmarks.median(times);
        return String.format(Locale.ROOT, "| %s | %.2f s (%.2f–%.2f) | %.2f | %.3f |%n", label, m, java.util.Collections.min(times),
                java.util.Collections.max(times), m / Benchmarks.median(stream), m / API_GATEWAY_SECONDS);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static HttpResponse<byte[]> get(HttpClient http, EmbeddedStack on, long job) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(on.apiUrl() + "jobs/" + job + "/stdout/?format=txt_download"))
                .header("Authorization", "Bearer " + on.adminToken()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static long finishedJob(EmbeddedStack on, int events) {
        long id = on.context().getBean(ResourceStore.class).nextId(LaunchService.JOB_SEQUENCE);
        Instant now = Instant.now();
        on.context().getBean(JobStore.class).insert(UnifiedJob.newPending(id, JobKind.JOB, "download-" + id, LaunchType.MANUAL,
                now, Map.of()).with(Map.of(JobFields.STATUS, JobStatus.SUCCESSFUL.apiName(), JobFields.FINISHED,
                Timestamps.format(now))));
        JobOutput.Writer writer = new JobOutput.Writer(on.context().getBean(EventStore.class));
        List<JobEvent> batch = new ArrayList<>();
        for (int c = 1; c <= events; c++) {
            StringBuilder stdout = new StringBuilder();
            for (int l = 0; l < LINES_PER_EVENT; l++) {
                String line = "ok: [host-" + c + "-" + l + "] ";
                stdout.append(line).append("x".repeat(80 - line.length())).append(l < LINES_PER_EVENT - 1 ? "\n" : "");
            }
            batch.add(new JobEvent(id, c, "runner_on_ok", "u-" + c, "web", null, null, null, stdout.toString(), 0, 0,
                    "2026-12-01T10:00:00.000000Z", false, false, Map.of()));
            if (batch.size() == 500) {
                writer.append(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            writer.append(batch);
        }
        return id;
    }
}
