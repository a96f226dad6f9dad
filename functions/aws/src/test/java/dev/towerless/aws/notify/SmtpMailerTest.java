package dev.towerless.aws.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.ports.NotificationSender.DeliveryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The email backend against a small SMTP server speaking the protocol over a real socket. */
class SmtpMailerTest {
    private ServerSocket server;
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder data = new StringBuilder();
    private volatile String refuseRecipient;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0);
        Thread t = new Thread(this::serve, "test-smtp");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                reply(out, "220 test.local ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    commands.add(line);
                    if (line.startsWith("EHLO")) {
                        reply(out, "250-test.local\r\n250 AUTH PLAIN");
                    } else if (line.startsWith("AUTH PLAIN")) {
                        reply(out, "235 2.7.0 Authentication successful");
                    } else if (line.startsWith("RCPT TO:") && refuseRecipient != null && line.contains(refuseRecipient)) {
                        reply(out, "550 5.1.1 no such user");
                    } else if (line.equals("DATA")) {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        String d;
                        while (!(d = in.readLine()).equals(".")) {
                            data.append(d).append('\n');
                        }
                        reply(out, "250 2.0.0 queued");
                    } else if (line.equals("QUIT")) {
                        reply(out, "221 bye");
                        break;
                    } else {
                        reply(out, "250 ok");
                    }
                }
            } catch (IOException e) {
                return; // server closed
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private Map<String, Object> config(List<String> recipients) {
        return Map.of("host", "127.0.0.1", "port", server.getLocalPort(), "username", "ops", "password", "mail-secret",
                "sender", "towerless@example.com", "recipients", recipients, "timeout", 5);
    }

    @Test
    void sendsOneMessageToEveryRecipientWithItsSubjectAndBody() throws Exception {
        int sent = new NotificationBackends().send("email", config(List.of("a@example.com", "b@example.com")),
                "Job #7 'deploy' successful: https://awx/#/jobs/7", "line one\n.starts with a dot\nlast");

        assertThat(sent).isEqualTo(2);
        assertThat(commands).contains("MAIL FROM:<towerless@example.com>", "RCPT TO:<a@example.com>", "RCPT TO:<b@example.com>");
        String auth = commands.stream().filter(c -> c.startsWith("AUTH PLAIN ")).findFirst().orElseThrow();
        // RFC 4616: [authzid] NUL authcid NUL passwd; Jakarta Mail names the same identity as authzid.
        assertThat(new String(Base64.getDecoder().decode(auth.substring(11)), StandardCharsets.UTF_8))
                .matches("(ops)?\u0000ops\u0000mail-secret");
        assertThat(data.toString()).contains("Subject: Job #7 'deploy' successful: https://awx/#/jobs/7\n",
                "To: a@example.com, b@example.com\n", "Content-Type: text/plain; charset=UTF-8\n",
                "\nline one\n..starts with a dot\nlast\n");
    }

    @Test
    void aRefusedRecipientFailsWithTheServersReplyAndNoPassword() {
        refuseRecipient = "nobody@example.com";
        assertThatThrownBy(() -> new NotificationBackends().send("email", config(List.of("nobody@example.com")), "s", "b"))
                .isInstanceOf(DeliveryException.class)
                .hasMessageContaining("RCPT TO:<nobody@example.com> answered 550 5.1.1 no such user")
                .hasMessageNotContaining("mail-secret");
    }

    @Test
    void aLineBreakInARecipientIsRefusedBeforeAnythingIsSent() {
        Map<String, Object> config = config(List.of("a@example.com\r\nBcc: everyone@example.com"));
        assertThatThrownBy(() -> new NotificationBackends().send("email", config, "s", "b"))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("recipient contains a line break");
        assertThat(commands).noneMatch(c -> c.startsWith("RCPT") || c.startsWith("DATA") || c.contains("everyone@"));
        assertThat(data.toString()).isEmpty();
    }

    @Test
    void aLineBreakInTheSubjectOrSenderIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> new NotificationBackends().send("email", config(List.of("a@example.com")),
                "Job done\r\nBcc: everyone@example.com", "b"))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("subject contains a line break");
        Map<String, Object> badSender = new java.util.HashMap<>(config(List.of("a@example.com")));
        badSender.put("sender", "t@example.com\nBcc: everyone@example.com");
        assertThatThrownBy(() -> new NotificationBackends().send("email", badSender, "s", "b"))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("sender contains a line break");
        assertThat(commands).noneMatch(c -> c.startsWith("MAIL") || c.startsWith("DATA") || c.contains("everyone@"));
    }

    @Test
    void useTlsAgainstAServerWithoutStartTlsFailsWithoutSendingTheCredentials() {
        Map<String, Object> config = new java.util.HashMap<>(config(List.of("a@example.com")));
        config.put("use_tls", true);
        assertThatThrownBy(() -> new NotificationBackends().send("email", config, "s", "b"))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("STARTTLS").hasMessageNotContaining("mail-secret");
        assertThat(commands).noneMatch(c -> c.startsWith("AUTH") || c.startsWith("MAIL") || c.contains("mail-secret"));
    }

    @Test
    void anUnreachableServerFailsNamingIt() throws Exception {
        int port = server.getLocalPort();
        server.close();
        Map<String, Object> config = Map.of("host", "127.0.0.1", "port", port, "sender", "t@example.com",
                "recipients", List.of("a@example.com"), "timeout", 2);
        assertThatThrownBy(() -> new NotificationBackends().send("email", config, "s", "b"))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("127.0.0.1:" + port);
    }
}
