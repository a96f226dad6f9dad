package dev.towerless.aws.notify;

import dev.towerless.core.ports.NotificationSender.DeliveryException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;

/**
 * AWX's email backend through Jakarta Mail (Angus Mail, its reference implementation): implicit
 * TLS ({@code use_ssl}) or required STARTTLS ({@code use_tls}) with the server's identity checked,
 * authentication by whatever mechanism the server offers (PLAIN, LOGIN, DIGEST-MD5, NTLM, XOAUTH2)
 * when a username is set, one UTF-8 plain-text message to every recipient. A line break in an
 * address or the subject is refused, never folded into the headers. Errors carry the server's
 * reply, never the password.
 */
final class SmtpMailer {

    record Settings(String host, int port, String username, String password, boolean useTls, boolean useSsl,
                    String sender, List<String> recipients, int timeoutSeconds) {
    }

    private SmtpMailer() {
    }

    /** Sends one message; returns how many recipients the server accepted. */
    static int send(Settings s, String subject, String body) throws DeliveryException {
        refuseLineBreaks("sender", s.sender());
        for (String r : s.recipients()) {
            refuseLineBreaks("recipient", r);
        }
        refuseLineBreaks("subject", subject);
        String protocol = s.useSsl() ? "smtps" : "smtp";
        Session session = Session.getInstance(properties(s, protocol));
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(address("sender", s.sender()));
            List<InternetAddress> to = new ArrayList<>();
            for (String r : s.recipients()) {
                to.add(address("recipient", r));
            }
            message.setRecipients(Message.RecipientType.TO, to.toArray(new InternetAddress[0]));
            message.setSubject(subject, "UTF-8");
            message.setSentDate(new Date());
            message.setText(body, "UTF-8");
            boolean auth = s.username() != null && !s.username().isEmpty();
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect(s.host(), s.port(), auth ? s.username() : null, auth ? s.password() : null);
                transport.sendMessage(message, message.getAllRecipients());
            }
            return to.size();
        } catch (SendFailedException e) {
            throw new DeliveryException(refusal(s, e));
        } catch (AuthenticationFailedException e) {
            throw new DeliveryException(prefix(s) + "authentication failed" + reply(e));
        } catch (MessagingException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new DeliveryException(prefix(s) + cause.getClass().getSimpleName() + reply(cause));
        }
    }

    private static Properties properties(Settings s, String protocol) {
        Properties p = new Properties();
        String k = "mail." + protocol + ".";
        String millis = Integer.toString(Math.max(1, s.timeoutSeconds()) * 1000);
        p.put(k + "host", s.host());
        p.put(k + "port", Integer.toString(s.port()));
        p.put(k + "connectiontimeout", millis);
        p.put(k + "timeout", millis);
        p.put(k + "writetimeout", millis);
        p.put(k + "localhost", "towerless");
        p.put(k + "auth", Boolean.toString(s.username() != null && !s.username().isEmpty()));
        p.put(k + "ssl.checkserveridentity", "true");
        if (s.useTls() && !s.useSsl()) {
            // AWX's use_tls: the session must be upgraded before anything else is said, or fail.
            p.put(k + "starttls.enable", "true");
            p.put(k + "starttls.required", "true");
        }
        return p;
    }

    /** Header injection: a CR or LF would let a value start a header (or the body) of its own. */
    private static void refuseLineBreaks(String what, String value) throws DeliveryException {
        if (value != null && value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new DeliveryException("The email " + what + " contains a line break; refused (it could inject mail headers).");
        }
    }

    private static InternetAddress address(String what, String value) throws DeliveryException {
        try {
            return new InternetAddress(value, true);
        } catch (AddressException e) {
            throw new DeliveryException("The email " + what + " " + value + " is not a valid address: " + e.getMessage());
        }
    }

    /** The recipient the server refused and its reply, as "RCPT TO:&lt;a@b&gt; answered 550 …". */
    private static String refusal(Settings s, SendFailedException e) {
        for (Exception next = e.getNextException(); next != null;
             next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException failed) {
                return prefix(s) + failed.getCommand() + " answered " + failed.getMessage().trim();
            }
        }
        return prefix(s) + "the server refused the message" + reply(e);
    }

    private static String prefix(Settings s) {
        return "Error sending email via " + s.host() + ":" + s.port() + ": ";
    }

    private static String reply(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? "" : " " + e.getMessage().trim();
    }
}
