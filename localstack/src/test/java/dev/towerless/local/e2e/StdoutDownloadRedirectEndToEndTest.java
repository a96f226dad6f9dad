package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.towerless.local.MotoServer;
import dev.towerless.api.auth.Authenticator;
import dev.towerless.aws.s3.S3DownloadStore;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobOutput;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.EmbeddedStack;
import dev.towerless.local.LocalStackFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stdout downloads as on AWS: the embedded stack with its downloads bucket on moto's S3 and a
 * 64 KB threshold. A large download is a 302 to a presigned URL that a plain HTTP client follows to
 * exactly the text the stack without a threshold streams, under AWX's filename; a finished job's
 * is uploaded once; a small one still streams; a user who cannot read the job gets no URL.
 */
class StdoutDownloadRedirectEndToEndTest {
    private static final String BUCKET = "towerless-stdout";
    private static final int THRESHOLD = 64 * 1024;
    private static Optional<MotoServer> moto = Optional.empty();
    private static S3Client s3;
    private static EmbeddedStack stack;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        if (moto.isEmpty()) {
            return;
        }
        s3 = moto.get().s3();
        s3.createBucket(r -> r.bucket(BUCKET));
        // Versioned here only so that the test can count uploads: each PutObject adds a version.
        s3.putBucketVersioning(r -> r.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        stack = EmbeddedStack.start(EmbeddedStack.Settings.forTests(Files.createTempDirectory("towerless-s3-downloads-"))
                .withEnvironment(Map.of(S3DownloadStore.BUCKET_ENV, BUCKET, S3DownloadStore.THRESHOLD_ENV, Integer.toString(THRESHOLD),
                        "AWS_ENDPOINT_URL_S3", moto.get().endpoint(), "TOWERLESS_PROMPT_STALL_SECONDS", "10"),
                        java.time.Duration.ofSeconds(15)));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (s3 != null) {
            s3.close();
        }
        moto.ifPresent(MotoServer::close);
    }

    private static long job(EmbeddedStack on, JobStatus status) {
        ResourceStore store = on.context().getBean(ResourceStore.class);
        long id = store.nextId(LaunchService.JOB_SEQUENCE);
        Instant now = Instant.now();
        UnifiedJob j = UnifiedJob.newPending(id, JobKind.JOB, "downloads-" + id, LaunchType.MANUAL, now, Map.of());
        Map<String, Object> fields = status.isFinished()
                ? Map.of(JobFields.STATUS, status.apiName(), JobFields.FINISHED, Timestamps.format(now))
                : Map.of(JobFields.STATUS, status.apiName());
        on.context().getBean(JobStore.class).insert(j.with(fields));
        return id;
    }

    /** Ansible-like output of {@code n} events (colour, multi-line tasks, silent events), the same for any job id. */
    private static void writeEvents(EmbeddedStack on, long job, int n) {
        Random r = new Random(42);
        List<JobEvent> all = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
            String stdout = switch (r.nextInt(4)) {
                case 0 -> "";
                case 1 -> "\u001B[0;32mok: [host-" + c + "] \"quoted\" é\u001B[0m";
                case 2 -> "\nTASK [task " + c + "] ***\nchanged: [web]\n";
                default -> "verbose " + c;
            };
            all.add(new JobEvent(job, c, "runner_on_ok", "u-" + c, "web", null, null, null, stdout, 0, 0,
                    "2026-12-01T10:00:00.000000Z", false, false, Map.of()));
        }
        JobOutput.Writer writer = new JobOutput.Writer(on.context().getBean(EventStore.class));
        for (int i = 0; i < all.size(); i += 500) {
            writer.append(all.subList(i, Math.min(all.size(), i + 500)));
        }
    }

    private static HttpResponse<String> get(EmbeddedStack on, String token, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(on.apiUrl() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Follows a Location as a browser would: no credentials of ours, only the URL's signature. */
    private static HttpResponse<String> follow(HttpResponse<String> redirect) throws Exception {
        String location = redirect.headers().firstValue("Location").orElseThrow();
        return HTTP.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int uploads(String key) {
        return (int) s3.listObjectVersions(r -> r.bucket(BUCKET).prefix(key)).versions().stream()
                .filter(v -> v.key().equals(key)).count();
    }

    @Test
    void aLargeDownloadIsARedirectToTheSameTextUnderAwxsFilenameAndAFinishedJobsIsUploadedOnce() throws Exception {
        assumeTrue(moto.isPresent(), "moto_server is not installed (pip install 'moto[server]'); the S3 downloads are not tried");
        long job = job(stack, JobStatus.SUCCESSFUL);
        writeEvents(stack, job, 6_000);
        EmbeddedStack plain = LocalStackFixture.stack(); // no threshold: streams, as the local stack always does
        long reference = job(plain, JobStatus.SUCCESSFUL);
        writeEvents(plain, reference, 6_000);

        for (String format : List.of("txt_download", "ansi_download")) {
            HttpResponse<String> streamed = get(plain, plain.adminToken(), "jobs/" + reference + "/stdout/?format=" + format);
            assertThat(streamed.statusCode()).isEqualTo(200);
            assertThat(streamed.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isGreaterThan(THRESHOLD);

            HttpResponse<String> redirect = get(stack, stack.adminToken(), "jobs/" + job + "/stdout/?format=" + format);
            assertThat(redirect.statusCode()).as(format).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(redirect.headers().firstValue("Location").orElseThrow())
                    .startsWith(moto.get().endpoint() + "/" + BUCKET + "/stdout/job/" + job + "/" + format + "?")
                    .contains("X-Amz-Expires=300");
            HttpResponse<String> file = follow(redirect);
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).as("the text the stack without a threshold streams").isEqualTo(streamed.body());
            String suffix = format.equals("ansi_download") ? ".ansi.txt" : ".txt";
            assertThat(file.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"job_" + job + suffix + "\"");
            assertThat(streamed.headers().firstValue("Content-Disposition"))
                    .contains("attachment; filename=\"job_" + reference + suffix + "\"");
            assertThat(file.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");

            HttpResponse<String> again = get(stack, stack.adminToken(), "jobs/" + job + "/stdout/?format=" + format);
            assertThat(again.statusCode()).isEqualTo(302);
            assertThat(follow(again).body()).isEqualTo(streamed.body());
            assertThat(uploads("stdout/job/" + job + "/" + format)).as("the finished job's download is uploaded once").isEqualTo(1);
        }
        assertThat(stack.context().getBean(EventStore.class).extent(job)).isPresent();
    }

    @Test
    void aSmallDownloadAndARangeStillStream() throws Exception {
        assumeTrue(moto.isPresent(), "moto_server is not installed (pip install 'moto[server]'); the S3 downloads are not tried");
        long job = job(stack, JobStatus.SUCCESSFUL);
        writeEvents(stack, job, 40);
        HttpResponse<String> small = get(stack, stack.adminToken(), "jobs/" + job + "/stdout/?format=txt_download");
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.body()).contains("verbose").doesNotContain("\u001B");
        assertThat(small.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"job_" + job + ".txt\"");
        assertThat(uploads("stdout/job/" + job + "/txt_download")).isZero();

        long large = job(stack, JobStatus.SUCCESSFUL);
        writeEvents(stack, large, 6_000);
        HttpResponse<String> range = get(stack, stack.adminToken(), "jobs/" + large + "/stdout/?format=txt_download&start_line=0&end_line=5");
        assertThat(range.statusCode()).isEqualTo(200);
        assertThat(range.body().chars().filter(c -> c == '\n').count()).as("five lines, inline").isEqualTo(5);
    }

    @Test
    void aRunningJobsDownloadIsUploadedAnewAndNeverUnderTheFinishedKey() throws Exception {
        assumeTrue(moto.isPresent(), "moto_server is not installed (pip install 'moto[server]'); the S3 downloads are not tried");
        long job = job(stack, JobStatus.RUNNING);
        writeEvents(stack, job, 6_000);
        HttpResponse<String> first = get(stack, stack.adminToken(), "jobs/" + job + "/stdout/?format=txt_download");
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location").orElseThrow()).contains("/stdout/job/" + job + "/running-");
        String text = follow(first).body();
        Thread.sleep(5);
        HttpResponse<String> second = get(stack, stack.adminToken(), "jobs/" + job + "/stdout/?format=txt_download");
        assertThat(second.headers().firstValue("Location")).isNotEqualTo(first.headers().firstValue("Location"));
        assertThat(follow(second).body()).isEqualTo(text);
        assertThat(uploads("stdout/job/" + job + "/txt_download")).isZero();
    }

    @Test
    void aUserWhoCannotReadTheJobGetsNoUrl() throws Exception {
        assumeTrue(moto.isPresent(), "moto_server is not installed (pip install 'moto[server]'); the S3 downloads are not tried");
        long job = job(stack, JobStatus.SUCCESSFUL);
        writeEvents(stack, job, 6_000);
        ResourceStore store = stack.context().getBean(ResourceStore.class);
        var admin = new dev.towerless.local.ApiClient(stack.apiUrl(), stack.adminToken());
        long user = ((Number) admin.create("users/", Map.of("username", "outsider-" + job, "password", "pw-outsider"))
                .get("id")).longValue();
        String token = stack.context().getBean(Authenticator.class)
                .issue(store.get(ResourceTypes.USER, user).orElseThrow(), "test", "read").token();
        int display = get(stack, token, "jobs/" + job + "/stdout/?format=txt").statusCode();
        assertThat(display).isIn(403, 404);
        for (String format : List.of("txt_download", "ansi_download")) {
            HttpResponse<String> refused = get(stack, token, "jobs/" + job + "/stdout/?format=" + format);
            assertThat(refused.statusCode()).as("as the display formats answer").isEqualTo(display);
            assertThat(refused.headers().firstValue("Location")).isEmpty();
            assertThat(refused.body()).doesNotContain("X-Amz");
            assertThat(uploads("stdout/job/" + job + "/" + format)).isZero();
        }
    }

    @Test
    void throughTheLambdaHandlerALargeDownloadIsARedirectAndOneReadToLearnItsSizeIsOneResponse() throws Exception {
        assumeTrue(moto.isPresent(), "moto_server is not installed (pip install 'moto[server]'); the S3 downloads are not tried");
        var function = new io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction(stack.context());
        long large = job(stack, JobStatus.SUCCESSFUL);
        writeEvents(stack, large, 6_000);
        var redirect = lambda(function, "/api/v2/jobs/" + large + "/stdout/");
        assertThat(redirect.getStatusCode()).isEqualTo(302);
        String location = header(redirect, "Location");
        assertThat(location).contains("/stdout/job/" + large + "/txt_download?");
        String fetched = HTTP.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(fetched).isEqualTo(get(stack, stack.adminToken(), "jobs/" + large + "/stdout/?format=txt_download&start_line=0"
                + "&end_line=1000000").body());

        // 1,500 short lines: the extent's bound (6 bytes a character) passes 64 KB, the text does not
        long read = job(stack, JobStatus.SUCCESSFUL);
        List<JobEvent> events = new ArrayList<>();
        StringBuilder want = new StringBuilder();
        for (int c = 1; c <= 1_500; c++) {
            events.add(new JobEvent(read, c, "verbose", null, null, null, null, null, "line \"" + c + "\"", 0, 0,
                    "2026-12-01T10:00:00.000000Z", false, false, Map.of()));
            want.append("line \"").append(c).append("\"\n");
        }
        new JobOutput.Writer(stack.context().getBean(EventStore.class)).append(events);
        var whole = lambda(function, "/api/v2/jobs/" + read + "/stdout/");
        assertThat(whole.getStatusCode()).isEqualTo(200);
        String body = Boolean.TRUE.equals(whole.getIsBase64Encoded())
                ? new String(java.util.Base64.getDecoder().decode(whole.getBody()), java.nio.charset.StandardCharsets.UTF_8)
                : whole.getBody();
        assertThat(body).isEqualTo(want.toString());
        assertThat(header(whole, "Content-Disposition")).isEqualTo("attachment; filename=\"job_" + read + ".txt\"");
        int payload = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(whole).length;
        assertThat(payload).as("the response Lambda returns is within the threshold").isLessThan(THRESHOLD);
        assertThat(uploads("stdout/job/" + read + "/txt_download")).isZero();

        // streamed (the bound clears it): the body travels as text, not base64, which the bound does not allow for
        long small = job(stack, JobStatus.SUCCESSFUL);
        writeEvents(stack, small, 40);
        var streamed = lambda(function, "/api/v2/jobs/" + small + "/stdout/");
        assertThat(streamed.getStatusCode()).isEqualTo(200);
        assertThat(streamed.getIsBase64Encoded()).isNotEqualTo(Boolean.TRUE);
        assertThat(streamed.getBody()).isEqualTo(get(stack, stack.adminToken(), "jobs/" + small + "/stdout/?format=txt_download").body());
    }

    private static com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent lambda(
            io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction function, String path) {
        var e = new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent();
        e.setHttpMethod("GET");
        e.setPath(path);
        e.setResource("/{proxy+}");
        e.setHeaders(Map.of("Authorization", "Bearer " + stack.adminToken()));
        e.setMultiValueHeaders(Map.of("Authorization", List.of("Bearer " + stack.adminToken())));
        e.setQueryStringParameters(Map.of("format", "txt_download"));
        e.setMultiValueQueryStringParameters(Map.of("format", List.of("txt_download")));
        var ctx = new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext();
        ctx.setHttpMethod("GET");
        ctx.setPath("/prod" + path);
        ctx.setStage("prod");
        ctx.setRequestId("req-downloads");
        e.setRequestContext(ctx);
        return function.handleRequest(e, new dev.towerless.local.api.FakeLambdaContext());
    }

    private static String header(com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent r, String name) {
        if (r.getHeaders() != null && r.getHeaders().get(name) != null) {
            return r.getHeaders().get(name);
        }
        List<String> values = r.getMultiValueHeaders() == null ? null : r.getMultiValueHeaders().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
