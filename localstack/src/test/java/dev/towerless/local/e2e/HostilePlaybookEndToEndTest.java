package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.towerless.aws.codec.JsonYamlVariables;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.runplane.RunSecrets;
import dev.towerless.core.security.SecretBox;
import dev.towerless.local.Emulators;
import dev.towerless.local.LocalStackFixture;
import dev.towerless.local.SampleRepository;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The run plane's wall, attacked through a real job: a playbook with a machine credential dumps
 * its environment, every process's environment and command line it can see, the runner's files
 * and other jobs' temp dirs, and tries every listening service as DynamoDB, SQS, SNS and the API,
 * while another job holding other secrets runs beside it. It finds its own job's credentials and
 * nothing else, can open nothing, and the sealing key is nowhere any job left anything.
 */
class HostilePlaybookEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The run is walled off here only if the runner can switch users (root) or bubblewrap works. */
    private static boolean machineCanWallOffRuns() throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            return true;
        }
        Process p = new ProcessBuilder("bwrap", "--unshare-pid", "--dev-bind", "/", "/", "--proc", "/proc", "true")
                .redirectErrorStream(true).start();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aHostilePlaybookFindsOnlyItsOwnJobsSecretsAndCanOpenNothing() throws Exception {
        Assumptions.assumeTrue(machineCanWallOffRuns(), "not root and no usable bubblewrap: a playbook runs with the stack's"
                + " own rights on this machine (docs/security.md says what holds then)");
        Scenario s = new Scenario();
        Path stateDir = LocalStackFixture.stateDir();
        String sealingKey = Files.readString(stateDir.resolve("secret-key")).trim();
        String accessKey = Emulators.accessKeyId();
        String ownPassword = "own-Machine-" + s.tag;
        String otherPassword = "other-Machine-" + s.tag;
        String otherToken = "other-Token-" + s.tag;

        Path repo = Files.createTempDirectory("towerless-hostile-repo-");
        String url = SampleRepository.create(ScmCredentialEndToEndTest.playbooks(), repo.resolve("hostile.git"));
        long project = s.project(url);
        assertThat(s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(2))).containsEntry("status", "successful");

        // The other job: a custom credential injects a token (environment and a file), a machine credential a password.
        long type = Scenario.id(s.api.create("credential_types/", Map.of("name", "token " + s.tag, "kind", "cloud",
                "inputs", Map.of("fields", List.of(Map.of("id", "token", "label", "Token", "type", "string", "secret", true))),
                "injectors", Map.of("env", Map.of("OTHER_JOB_TOKEN", "{{ token }}", "OTHER_JOB_FILE", "{{ tower.filename }}"),
                        "file", Map.of("template", "token={{ token }}\n")))));
        long otherToken_ = Scenario.id(s.api.create("credentials/", Map.of("name", "other token " + s.tag, "organization", s.org,
                "credential_type", type, "inputs", Map.of("token", otherToken))));
        long otherMachine = Scenario.id(s.api.create("credentials/", Map.of("name", "other machine " + s.tag,
                "credential_type", 1, "organization", s.org, "inputs", Map.of("username", "other", "password", otherPassword))));
        long holder = s.template(project, "hold_secret.yml", Map.of("ask_variables_on_launch", true));
        s.api.post("job_templates/" + holder + "/credentials/", Map.of("id", otherToken_));
        s.api.post("job_templates/" + holder + "/credentials/", Map.of("id", otherMachine));
        long other = s.launch(holder, Map.of("extra_vars", Map.of("seconds", 90)));
        awaitStdout(s, other, "TASK [Hold the secret]", Duration.ofMinutes(2));
        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        String othersBundle = jobs.find(other).orElseThrow().string(JobFields.RUN_SECRETS).orElseThrow();

        long ownMachine = Scenario.id(s.api.create("credentials/", Map.of("name", "own machine " + s.tag,
                "credential_type", 1, "organization", s.org, "inputs", Map.of("username", "me", "password", ownPassword))));
        long hostileTemplate = s.template(project, "hostile.yml", Map.of("ask_variables_on_launch", true));
        s.api.post("job_templates/" + hostileTemplate + "/credentials/", Map.of("id", ownMachine));
        Map<String, Object> report;
        long hostile;
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        receiver.createContext("/report", exchange -> {
            received.complete(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            hostile = s.launch(hostileTemplate, Map.of("extra_vars", Map.of(
                    "report_url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/report",
                    "hunt_paths", String.join(" ", stateDir.toString(), stateDir.resolve("logs").toString(),
                            Path.of("").toAbsolutePath().toString(), System.getProperty("java.io.tmpdir")))));
            Map<String, Object> done = s.awaitFinished("jobs/" + hostile + "/", Duration.ofMinutes(3));
            assertThat(done).as(s.api.get("jobs/" + hostile + "/stdout/?format=txt").body()).containsEntry("status", "successful");
            report = JSON.readValue(received.get(10, TimeUnit.SECONDS), Map.class);
        } finally {
            receiver.stop(0);
            s.api.post("jobs/" + other + "/cancel/", Map.of());
        }
        s.awaitFinished("jobs/" + other + "/", Duration.ofMinutes(1));

        // Its environment was built from nothing: none of the runner's variables.
        Map<String, Object> env = (Map<String, Object>) report.get("env");
        assertThat(env.keySet()).noneMatch(k -> k.startsWith("TOWERLESS_") || k.startsWith("AWS_"));
        assertThat(env).containsKeys("JOB_ID", "AWX_PRIVATE_DATA_DIR", "HOME");
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(((Number) report.get("uid")).intValue()).as("ansible's uid").isNotZero();
        }

        // Everything it read, decoded.
        StringBuilder found = new StringBuilder(JSON.writeValueAsString(env));
        ((Map<String, Map<String, String>>) report.get("procs")).values().forEach(p -> p.values().forEach(v ->
                found.append('\n').append(v.startsWith("/") ? v : decode(v))));
        ((Map<String, String>) report.get("files")).forEach((path, content) -> found.append('\n').append(path).append('\n')
                .append(decode(content)));
        String all = found.toString();
        assertThat(all).as("the probe read its own job's files").contains(ownPassword);
        assertThat(all).as("the sealing key").doesNotContain(sealingKey);
        assertThat(all).as("the emulators' access key").doesNotContain(accessKey);
        assertThat(all).as("the other job's secrets").doesNotContain(otherToken).doesNotContain(otherPassword);

        // The store and the queues refused it whatever key it tried; the API wanted a token.
        List<Integer> emulatorPorts = List.of(URI.create(LocalStackFixture.stack().context()
                .getProperty("aws.endpoint.url.dynamodb", String.class).orElseThrow()).getPort(),
                URI.create(LocalStackFixture.stack().context().getProperty("aws.endpoint.url.sqs", String.class).orElseThrow()).getPort());
        assertThat((List<Integer>) report.get("ports")).as("the probe found the emulators").containsAll(emulatorPorts);
        List<Map<String, Object>> services = (List<Map<String, Object>>) report.get("services");
        assertThat(services).filteredOn(x -> emulatorPorts.contains(((Number) x.get("port")).intValue()))
                .isNotEmpty().allSatisfy(x -> assertThat(x.get("status")).as(String.valueOf(x)).isEqualTo(403));
        assertThat(services).noneMatch(x -> String.valueOf(x.get("body")).contains("TableNames")
                || String.valueOf(x.get("body")).contains("QueueUrl") || String.valueOf(x.get("body")).contains("TopicArn")
                || String.valueOf(x.get("body")).contains("$encrypted$AESGCM$"));
        assertThat(services).filteredOn(x -> "api".equals(x.get("as"))).noneMatch(x -> ((Number) x.get("status")).intValue() == 200);

        // Nothing it found opens anything: neither the other job's bundle nor a stored credential.
        ResourceStore resources = LocalStackFixture.stack().context().getBean(ResourceStore.class);
        String storedPassword = (String) ((Map<String, Object>) resources.get(ResourceTypes.CREDENTIAL, otherMachine).orElseThrow()
                .get("inputs")).get("password");
        Set<String> candidates = new LinkedHashSet<>();
        Matcher keys = Pattern.compile("[A-Za-z0-9+/]{43}=").matcher(all);
        while (keys.find()) {
            candidates.add(keys.group());
        }
        for (String candidate : candidates) {
            assertThatThrownBy(() -> RunSecrets.open(othersBundle, candidate, new JsonYamlVariables())).as(candidate)
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> SecretBox.fromBase64(candidate).open(storedPassword)).isInstanceOf(RuntimeException.class);
        }

        // The sealing key is in no job's record, output or events, and no file was left behind.
        EventStore events = LocalStackFixture.stack().context().getBean(EventStore.class);
        for (long job : List.of(hostile, other)) {
            String detail = s.api.get("jobs/" + job + "/").body();
            assertThat(detail).contains("\"job_args\"", "\"job_env\"", "\"job_cwd\"").doesNotContain(sealingKey)
                    .doesNotContain(accessKey).doesNotContain("TOWERLESS_").doesNotContain(otherToken);
            assertThat(s.api.get("jobs/" + job + "/stdout/?format=txt").body()).doesNotContain(sealingKey).doesNotContain(otherToken);
            assertThat(events.all(job)).allSatisfy(e -> assertThat(e.stdout() + e.eventData()).doesNotContain(sealingKey)
                    .doesNotContain(otherToken));
            assertThat(jobs.find(job).orElseThrow().get(JobFields.RUN_SECRETS)).as("bundle of a finished job").isNull();
        }
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path dir : tmp.filter(p -> p.getFileName().toString().matches("tlt?-.*|towerless-(task|job|ad_hoc|project|inventory).*"))
                    .toList()) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.filter(Files::isRegularFile).filter(f -> contains(f, sealingKey, otherToken, ownPassword))
                            .forEach(leftovers::add);
                } catch (java.io.IOException | java.io.UncheckedIOException gone) {
                    // another test's task ended meanwhile
                }
            }
        }
        try (Stream<Path> logs = Files.list(stateDir.resolve("logs"))) {
            logs.filter(f -> contains(f, sealingKey, otherToken, ownPassword, otherPassword)).forEach(leftovers::add);
        }
        assertThat(leftovers).as("files holding a secret after the jobs ended").isEmpty();
    }

    private static boolean contains(Path file, String... needles) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            return Stream.of(needles).anyMatch(text::contains);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8).replace('\0', '\n');
        } catch (IllegalArgumentException e) {
            return base64;
        }
    }

    private static void awaitStdout(Scenario s, long job, String text, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!s.api.get("jobs/" + job + "/stdout/?format=txt").body().contains(text)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job " + job + " never printed " + text + ": " + s.api.get("jobs/" + job + "/").body());
            }
            Thread.sleep(200);
        }
        Thread.sleep(1500); // the sleep task's process is running now
    }
}
