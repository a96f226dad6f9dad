package dev.towerless.aws.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.towerless.core.ports.NotificationSender.DeliveryException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each HTTP backend's request as the service expects it, sent over real HTTP to a local server. */
class NotificationBackendsTest {
    private HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile String slackAnswer = "{\"ok\": true}";
    private volatile int status = 200;
    private NotificationBackends backends;

    record Request(String method, String path, String authorization, String contentType, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() throws Exception {
            return new ObjectMapper().readValue(body, Map.class);
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = (exchange.getRequestURI().getPath().endsWith("chat.postMessage") ? slackAnswer : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        backends = new NotificationBackends(new NotificationBackends.ServiceEndpoints(base + "slack/", base + "pd/", base + "tw/"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void aWebhookPutsTheJsonBodyWithItsHeadersAndBasicAuth() throws Exception {
        int sent = backends.send("webhook", Map.of("url", url("/hook"), "http_method", "put", "username", "u",
                "password", "p", "headers", Map.of("X-Team", "ops")), "subject", "{\"id\": 7}");
        assertThat(sent).isEqualTo(1);
        Request r = requests.get(0);
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.authorization()).isEqualTo("Basic dTpw");
        assertThat(r.json()).containsEntry("id", 7);
    }

    @Test
    void aWebhookBodyThatIsNotAJsonObjectIsSentAsAnEmptyOne() throws Exception {
        backends.send("webhook", Map.of("url", url("/hook")), "subject", "plain words");
        assertThat(requests.get(0).body()).isEqualTo("{}");
    }

    @Test
    void slackPostsToEachChannelAndARefusalIsAnError() throws Exception {
        int sent = backends.send("slack", Map.of("token", "xoxb-1", "channels", List.of("#ops", "alerts"), "hex_color", "#ff0000"),
                "Job #7 failed", "ignored");
        assertThat(sent).isEqualTo(2);
        assertThat(requests).extracting(Request::path).containsOnly("/slack/chat.postMessage");
        assertThat(requests.get(0).authorization()).isEqualTo("Bearer xoxb-1");
        assertThat(requests.get(0).json()).containsEntry("channel", "ops")
                .containsEntry("attachments", List.of(Map.of("color", "#ff0000", "text", "Job #7 failed")));

        slackAnswer = "{\"ok\": false, \"error\": \"channel_not_found\"}";
        assertThatThrownBy(() -> backends.send("slack", Map.of("token", "xoxb-1", "channels", List.of("#gone")), "s", "b"))
                .isInstanceOf(DeliveryException.class).hasMessage("Slack refused the message to #gone: channel_not_found");
    }

    @Test
    void pagerDutyTriggersAnEventWithTheBodyAsDetails() throws Exception {
        backends.send("pagerduty", Map.of("subdomain", "acme", "token", "t", "service_key", "svc", "client_name", "Towerless"),
                "Job #7 failed", "{\"id\": 7}");
        Request r = requests.get(0);
        assertThat(r.path()).isEqualTo("/pd/generic/2010-04-15/create_event.json");
        assertThat(r.json()).containsEntry("service_key", "svc").containsEntry("event_type", "trigger")
                .containsEntry("description", "Job #7 failed").containsEntry("details", "{\"id\": 7}")
                .containsEntry("client", "Towerless");
    }

    @Test
    void twilioSendsAnSmsToEachNumber() throws Exception {
        int sent = backends.send("twilio", Map.of("account_sid", "AC1", "account_token", "tok", "from_number", "+15550001",
                "to_numbers", List.of("+15550002", "+15550003")), "Job #7 failed", "b");
        assertThat(sent).isEqualTo(2);
        Request r = requests.get(0);
        assertThat(r.path()).isEqualTo("/tw/2010-04-01/Accounts/AC1/Messages.json");
        assertThat(r.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(r.body()).isEqualTo("To=%2B15550002&From=%2B15550001&Body=Job+%237+failed");
        assertThat(r.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString("AC1:tok".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aServerErrorNamesTheAddressButNeverTheCredentials() {
        status = 503;
        assertThatThrownBy(() -> backends.send("webhook", Map.of("url", url("/hook?token=secret-in-query"), "username", "u",
                "password", "hunter2"), "s", "{}"))
                .isInstanceOf(DeliveryException.class)
                .hasMessage("Error sending notification POST " + url("/hook") + ": 503")
                .hasMessageNotContaining("hunter2").hasMessageNotContaining("secret-in-query");
    }

    @Test
    void mattermostAndRocketChatPostTheSubjectAsText() throws Exception {
        backends.send("mattermost", Map.of("mattermost_url", url("/mm"), "mattermost_channel", "town-square"), "Job #7 ok", "b");
        backends.send("rocketchat", Map.of("rocketchat_url", url("/rc"), "rocketchat_username", "bot"), "Job #7 ok", "b");
        assertThat(requests.get(0).json()).containsEntry("text", "Job #7 ok").containsEntry("channel", "town-square");
        assertThat(requests.get(1).json()).containsEntry("text", "Job #7 ok").containsEntry("username", "bot");
    }
}
