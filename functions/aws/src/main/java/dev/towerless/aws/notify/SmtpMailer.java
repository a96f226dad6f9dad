package dev.towerless.aws.notify;

import dev.towerless.core.ports.NotificationSender.DeliveryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * AWX's email backend over plain SMTP (RFC 5321): implicit TLS ({@code use_ssl}) or STARTTLS
 * ({@code use_tls}), AUTH PLAIN when a username is set, one message to every recipient, a UTF-8
 * plain-text body. Errors carry the server's reply, never the password.
 */
final class SmtpMailer {
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    record Settings(String host, int port, String username, String password, boolean useTls, boolean useSsl,
                    String sender, List<String> recipients, int timeoutSeconds) {
    }

    private SmtpMailer() {
    }

    /** Sends one message; returns how many recipients the server accepted. */
    static int send(Settings s, String subject, String body) throws DeliveryException {
        try (Conversation c = Conversation.open(s)) {
            c.expect(220, null);
            c.command("EHLO towerless", 250);
            if (s.useTls() && !s.useSsl()) {
                c.command("STARTTLS", 220);
                c.upgrade(s);
                c.command("EHLO towerless", 250);
            }
            if (s.username() != null && !s.username().isEmpty()) {
                String token = Base64.getEncoder().encodeToString(("\0" + s.username() + "\0" + s.password())
                        .getBytes(StandardCharsets.UTF_8));
                c.command("AUTH PLAIN " + token, 235, "AUTH PLAIN <credentials>");
            }
            c.command("MAIL FROM:<" + s.sender() + ">", 250);
            int accepted = 0;
            for (String r : s.recipients()) {
                c.command("RCPT TO:<" + r + ">", 250);
                accepted++;
            }
            c.command("DATA", 354);
            c.write(message(s, subject, body));
            c.command(".", 250);
            c.command("QUIT", 221);
            return accepted;
        } catch (IOException e) {
            throw new DeliveryException("Error sending email via " + s.host() + ":" + s.port() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** Headers and the dot-stuffed body, CRLF line endings (RFC 5322). */
    static String message(Settings s, String subject, String body) {
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(s.sender()).append("\r\n");
        m.append("To: ").append(String.join(", ", s.recipients())).append("\r\n");
        m.append("Subject: ").append(encodedHeader(subject.replaceAll("[\r\n]+", " "))).append("\r\n");
        m.append("Date: ").append(DATE.format(ZonedDateTime.now())).append("\r\n");
        m.append("Message-ID: <").append(UUID.randomUUID()).append("@towerless>\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: text/plain; charset=UTF-8\r\n");
        m.append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        for (String line : body.split("\r?\n", -1)) {
            m.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        return m.toString();
    }

    /** RFC 2047 for a subject that is not plain ASCII. */
    private static String encodedHeader(String text) {
        boolean ascii = text.chars().allMatch(ch -> ch >= 32 && ch < 127);
        return ascii ? text : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** One SMTP session: commands out, multi-line replies in. */
    private static final class Conversation implements AutoCloseable {
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;

        static Conversation open(Settings s) throws IOException {
            Conversation c = new Conversation();
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(s.host(), s.port()), s.timeoutSeconds() * 1000);
            plain.setSoTimeout(s.timeoutSeconds() * 1000);
            c.attach(s.useSsl() ? tls(plain, s) : plain);
            return c;
        }

        private static Socket tls(Socket plain, Settings s) throws IOException {
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, s.host(), s.port(), true);
            tls.startHandshake();
            return tls;
        }

        private void attach(Socket s) throws IOException {
            socket = s;
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out = s.getOutputStream();
        }

        void upgrade(Settings s) throws IOException {
            attach(tls(socket, s));
        }

        void command(String line, int expected) throws IOException {
            command(line, expected, line);
        }

        /** {@code shown} is what an error may repeat of the command (never a credential). */
        void command(String line, int expected, String shown) throws IOException {
            write(line + "\r\n");
            expect(expected, shown);
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void expect(int code, String after) throws IOException {
            String line;
            StringBuilder reply = new StringBuilder();
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("the server closed the connection" + (after == null ? "" : " after " + after));
                }
                reply.append(line).append(' ');
            } while (line.length() > 3 && line.charAt(3) == '-');
            if (!line.startsWith(Integer.toString(code))) {
                throw new IOException((after == null ? "greeting" : after) + " answered " + reply.toString().trim());
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a finished session: nothing to report
            }
        }
    }
}
