package dev.towerless.core.ports;

import java.util.Map;

/** Delivers one rendered notification through its backend (email, webhook, Slack, Mattermost, Rocket.Chat, Grafana, PagerDuty, Twilio). */
public interface NotificationSender {

    /**
     * Sends {@code subject}/{@code body} with the template's opened configuration; returns how
     * many notifications were sent.
     *
     * @throws DeliveryException with a message fit for the notification's {@code error} field
     */
    int send(String notificationType, Map<String, Object> configuration, String subject, String body) throws DeliveryException;

    /** The backend refused or could not be reached; the message never holds a secret. */
    final class DeliveryException extends Exception {
        public DeliveryException(String message) {
            super(message);
        }
    }
}
