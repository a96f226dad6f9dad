package dev.towerless.core.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationTypesTest {
    private static Map<String, Object> email(Object sender, List<String> recipients) {
        return Map.of("host", "smtp.example.com", "port", 587, "sender", sender, "recipients", recipients);
    }

    @Test
    void anEmailTemplateWithALineBreakInAnAddressIsRefusedOnSave() {
        assertThat(NotificationTypes.problems("email", email("ops@example.com", List.of("a@example.com\r\nBcc: all@example.com"))))
                .contains("Enter a valid email address: sender and recipients may not contain line breaks.");
        assertThat(NotificationTypes.problems("email", email("ops@example.com\nBcc: all@example.com", List.of("a@example.com"))))
                .contains("Enter a valid email address: sender and recipients may not contain line breaks.");
        assertThat(NotificationTypes.problems("email", email("ops@example.com", List.of("a@example.com", "b@example.com"))))
                .isEmpty();
    }
}
