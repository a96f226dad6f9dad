package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Notifications over real HTTP: a job's started/success/error templates, inherited ones, tests and failures. */
class NotificationEndToEndTest {
    private HttpServer receiver;
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    record Received(String path, String method, String authorization, Map<String, Object> body) {
    }

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = new ObjectMapper().readValue(text, Map.class);
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            int status = exchange.getRequestURI().getPath().startsWith("/broken") ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private Received await(Predicate<Received> what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            synchronized (received) {
                for (Received r : received) {
                    if (what.test(r)) {
                        return r;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no matching notification arrived; got " + received);
    }

    /**
     * A notification template's notifications go with it, also those an older version stored
     * before notifications had their template's key in the parent index (none outlives it).
     */
    @Test
    void deletingATemplateDeletesItsNotificationsEvenThoseStoredBeforeTheParentIndex() throws Exception {
        Scenario s = new Scenario();
        long hook = webhook(s, "gone", "/gone", Map.of());
        long older = ((Number) s.api.post("notification_templates/" + hook + "/test/", Map.of()).json().get("notification")).longValue();
        long newer = ((Number) s.api.post("notification_templates/" + hook + "/test/", Map.of()).json().get("notification")).longValue();
        var dynamo = LocalStackFixture.stack().context().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class);
        String resources = dynamo.listTables().tableNames().stream().filter(n -> n.endsWith("resources")).findFirst().orElseThrow();
        // as the previous version stored it: no parent_key
        dynamo.updateItem(r -> r.tableName(resources).key(Map.of(
                        "type", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("notification"),
                        "id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(Long.toString(older))))
                .updateExpression("REMOVE parent_key"));
        assertThat(s.api.delete("notification_templates/" + hook + "/").status()).isEqualTo(204);
        for (long n : List.of(older, newer)) {
            assertThat(s.api.get("notifications/" + n + "/").status()).as("notification " + n).isEqualTo(404);
        }
    }

    private long webhook(Scenario s, String name, String path, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name + "-" + s.tag, "organization", s.org,
                "notification_type", "webhook", "notification_configuration", Map.of("url", url(path),
                        "username", "hook", "password", "hook-secret", "http_method", "POST", "headers", Map.of("X-Towerless", "yes"))));
        body.putAll(extra);
        ApiClient.Response r = s.api.post("notification_templates/", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).doesNotContain("hook-secret");
        return Scenario.id(r.json());
    }

    @Test
    void aJobNotifiesWhenItStartsAndWhenItSucceedsAndTheTemplatesOrganizationHearsToo() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "hello.yml", Map.of());
        long started = webhook(s, "started", "/started", Map.of());
        long success = webhook(s, "success", "/success", Map.of());
        long orgWide = webhook(s, "org", "/org", Map.of("messages", Map.of("success",
                Map.of("message", "{{ job_friendly_name }} {{ job.name }} {{ job.status }}",
                        "body", "{\"text\": \"{{ job.name }} ended {{ job.status }}\", \"id\": {{ job.id }}}"))));
        assertThat(s.api.post("job_templates/" + template + "/notification_templates_started/", Map.of("id", started)).status())
                .isEqualTo(204);
        s.api.post("job_templates/" + template + "/notification_templates_success/", Map.of("id", success));
        s.api.post("organizations/" + s.org + "/notification_templates_success/", Map.of("id", orgWide));

        long job = s.launch(template, Map.of());
        assertThat(s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");

        Received start = await(r -> r.path().equals("/started"));
        assertThat(start.body()).containsEntry("id", (int) job).containsEntry("status", "running");
        assertThat(start.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString("hook:hook-secret".getBytes(StandardCharsets.UTF_8)));
        Received done = await(r -> r.path().equals("/success"));
        assertThat(done.body()).containsEntry("status", "successful").containsEntry("playbook", "hello.yml");
        Received org = await(r -> r.path().equals("/org"));
        assertThat(org.body()).containsEntry("id", (int) job);
        assertThat(String.valueOf(org.body().get("text"))).endsWith("ended successful");

        // A duplicated "job finished" (SNS and SQS deliver at least once) sends nothing twice.
        dev.towerless.core.ports.Topic lifecycle = LocalStackFixture.stack().context().getBean(dev.towerless.core.ports.Topic.class,
                io.micronaut.inject.qualifiers.Qualifiers.byName("lifecycle"));
        lifecycle.publish(dev.towerless.core.launch.WakeMessage.jobFinished(job, "successful"));
        lifecycle.publish(dev.towerless.core.launch.WakeMessage.jobFinished(job, "successful"));
        Thread.sleep(2000);
        assertThat(received).filteredOn(r -> r.path().equals("/success")).hasSize(1);
        assertThat(received).filteredOn(r -> r.path().equals("/org")).hasSize(1);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sent = (List<Map<String, Object>>) s.api.get("jobs/" + job + "/notifications/").json().get("results");
        assertThat(sent).hasSize(3).allSatisfy(n -> assertThat(n).containsEntry("status", "successful")
                .containsEntry("notifications_sent", 1).containsEntry("notification_type", "webhook"));
        assertThat(sent).anySatisfy(n -> assertThat(n.get("subject")).asString().startsWith("Job " + s.api.get("jobs/" + job + "/")
                .json().get("name")));
    }

    @Test
    void aFailedJobSendsItsErrorNotificationsAndAReceiverThatFailsIsRecorded() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "fail.yml", Map.of());
        long error = webhook(s, "error", "/error", Map.of());
        long broken = webhook(s, "broken", "/broken", Map.of());
        s.api.post("job_templates/" + template + "/notification_templates_error/", Map.of("id", error));
        s.api.post("job_templates/" + template + "/notification_templates_error/", Map.of("id", broken));
        s.api.post("job_templates/" + template + "/notification_templates_success/", Map.of("id", error));

        long job = s.launch(template, Map.of());
        assertThat(s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "failed");
        assertThat(await(r -> r.path().equals("/error")).body()).containsEntry("status", "failed");

        Instant deadline = Instant.now().plusSeconds(30);
        Map<String, Object> failedOne;
        do {
            Thread.sleep(200);
            failedOne = s.api.get("notification_templates/" + broken + "/notifications/").json();
        } while (((Number) failedOne.get("count")).intValue() == 0 && Instant.now().isBefore(deadline));
        @SuppressWarnings("unchecked")
        Map<String, Object> n = ((List<Map<String, Object>>) failedOne.get("results")).get(0);
        assertThat(n).containsEntry("status", "failed");
        assertThat(String.valueOf(n.get("error"))).contains("500").doesNotContain("hook-secret");
        assertThat(received).filteredOn(r -> r.path().equals("/error")).as("no success notification for a failure").hasSize(1);
    }

    @Test
    void configurationIsCheckedSecretsStayHiddenAndTestSendsAtOnce() throws Exception {
        Scenario s = new Scenario();
        long hook = webhook(s, "hook", "/test", Map.of());
        Map<String, Object> shown = s.api.get("notification_templates/" + hook + "/").json();
        assertThat(shown.get("notification_configuration")).asString().contains("password=$encrypted$");

        // Sending $encrypted$ back keeps the stored password.
        s.api.patch("notification_templates/" + hook + "/", Map.of("notification_configuration", Map.of("url", url("/test"),
                "username", "hook", "password", "$encrypted$")));
        ApiClient.Response test = s.api.post("notification_templates/" + hook + "/test/", Map.of());
        assertThat(test.status()).isEqualTo(202);
        assertThat(await(r -> r.path().equals("/test")).authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString("hook:hook-secret".getBytes(StandardCharsets.UTF_8)));
        long notification = ((Number) test.json().get("notification")).longValue();
        assertThat(s.api.get("notifications/" + notification + "/").json()).containsEntry("status", "successful");
        // seven more tests: the template shows its five newest, newest first (from its part of the parent index)
        List<Long> sent = new java.util.ArrayList<>(List.of(notification));
        for (int i = 0; i < 7; i++) {
            sent.add(((Number) s.api.post("notification_templates/" + hook + "/test/", Map.of()).json().get("notification")).longValue());
        }
        java.util.Collections.reverse(sent);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> recent = (List<Map<String, Object>>) ((Map<String, Object>) s.api.get("notification_templates/" + hook + "/")
                .json().get("summary_fields")).get("recent_notifications");
        assertThat(recent).extracting(m -> ((Number) m.get("id")).longValue()).containsExactlyElementsOf(sent.subList(0, 5));
        assertThat(s.api.get("notification_templates/" + hook + "/notifications/").json().get("count")).isEqualTo(8);

        ApiClient.Response missing = s.api.post("notification_templates/", Map.of("name", "x-" + s.tag, "organization", s.org,
                "notification_type", "webhook", "notification_configuration", Map.of("http_method", "POST")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json()).containsEntry("notification_configuration",
                List.of("Missing required fields for Notification Configuration: url."));
        ApiClient.Response jinja = s.api.post("notification_templates/", Map.of("name", "y-" + s.tag, "organization", s.org,
                "notification_type", "webhook", "notification_configuration", Map.of("url", url("/x")),
                "messages", Map.of("error", Map.of("message", "{% if job.failed %}bad{% endif %}"))));
        assertThat(jinja.status()).isEqualTo(400);
        assertThat(jinja.body()).contains("messages");
        ApiClient.Response irc = s.api.post("notification_templates/", Map.of("name", "z-" + s.tag, "organization", s.org,
                "notification_type", "irc", "notification_configuration", Map.of("server", "irc.example.com")));
        assertThat(irc.status()).isEqualTo(400);
        assertThat(irc.body()).contains("notification_type", "email, slack, pagerduty, twilio, webhook");
        ApiClient.Response email = s.api.post("notification_templates/", Map.of("name", "e-" + s.tag, "organization", s.org,
                "notification_type", "email", "notification_configuration", Map.of("host", "smtp.example.com", "port", 587)));
        assertThat(email.status()).isEqualTo(400);
        assertThat(email.json()).containsEntry("notification_configuration",
                List.of("Missing required fields for Notification Configuration: sender, recipients."));
    }
}
