package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The administrative checks system job: every organization's host count against its max_hosts,
 * recorded in the job's output, and an organization at 90 % alerted through its error notification
 * templates, received by a real HTTP endpoint, once.
 */
class AdministrativeChecksEndToEndTest {
    private HttpServer receiver;
    private final List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());
    private final List<String> paths = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = new ObjectMapper().readValue(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8), Map.class);
            received.add(body);
            paths.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private long webhook(Scenario s, long org, String path) {
        var r = s.api.post("notification_templates/", Map.of("name", "limits" + path.replace('/', '-') + "-" + s.tag, "organization", org,
                "notification_type", "webhook", "notification_configuration", Map.of("url",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + path, "http_method", "POST", "headers", Map.of())));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Scenario.id(r.json());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOrganizationAtNinetyPercentIsAlertedThroughItsErrorTemplatesAndEveryCheckIsRecorded() throws Exception {
        Scenario s = new Scenario(); // one host: localhost
        assertThat(s.api.patch("organizations/" + s.org + "/", Map.of("max_hosts", 10)).status()).isEqualTo(200);
        var bulk = s.api.post("bulk/host_create/", Map.of("inventory", s.inventory, "hosts",
                IntStream.rangeClosed(2, 9).mapToObj(i -> Map.of("name", "h" + i)).toList()));
        assertThat(bulk.status()).as(bulk.body()).isEqualTo(201); // 9 of 10
        long alerting = webhook(s, s.org, "/full");
        s.api.post("organizations/" + s.org + "/notification_templates_error/", Map.of("id", alerting));

        Scenario roomy = new Scenario(); // 1 of 10: no alert
        roomy.api.patch("organizations/" + roomy.org + "/", Map.of("max_hosts", 10));
        long quiet = webhook(roomy, roomy.org, "/roomy");
        roomy.api.post("organizations/" + roomy.org + "/notification_templates_error/", Map.of("id", quiet));

        List<Map<String, Object>> templates = (List<Map<String, Object>>) s.api.get(
                "system_job_templates/?job_type=administrative_checks").json().get("results");
        assertThat(templates).singleElement().satisfies(t -> assertThat(t).containsEntry("name", "Administrative Checks"));
        long job = ((Number) s.api.create("system_job_templates/" + templates.get(0).get("id") + "/launch/", Map.of())
                .get("system_job")).longValue();
        assertThat(s.awaitFinished("system_jobs/" + job + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");

        String record = s.api.get("system_jobs/" + job + "/stdout/?format=txt").body();
        assertThat(record).contains("Organization \"org-" + s.tag + "\" (" + s.org + "): 9 of max_hosts 10: ALERT")
                .contains("Organization \"org-" + roomy.tag + "\" (" + roomy.org + "): 1 of max_hosts 10: ok")
                .contains("Checked host counts of");

        Instant deadline = Instant.now().plusSeconds(30);
        while (received.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        Thread.sleep(1500); // anything else (a second alert, the roomy organization) would have come by now
        assertThat(paths).containsExactly("/full");
        assertThat(received.get(0)).containsEntry("organization", (int) s.org).containsEntry("max_hosts", 10)
                .containsEntry("active_hosts", 9).containsEntry("url", "https://platformhost/api/v2/system_jobs/" + job + "/");
        assertThat((String) received.get(0).get("message")).isEqualTo("Organization \"org-" + s.tag
                + "\" has 9 hosts: 90 % of its max_hosts (10). No host beyond 10 can be added.");
        Map<String, Object> sent = s.api.get("system_jobs/" + job + "/notifications/").json();
        assertThat((List<Map<String, Object>>) sent.get("results")).singleElement().satisfies(n -> assertThat(n)
                .containsEntry("status", "successful").containsEntry("notification_template", (int) alerting));
    }
}
