package dev.towerless.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;

/**
 * A message on the wake or notifications queue: {@code {"reason": …, "job_id": …, "status": …}},
 * sent directly (launches, the EventBridge tick) or through the lifecycle topic, raw or in an
 * SNS envelope. {@code jobId} and {@code status} are absent for a tick.
 */
record LifecycleMessage(String reason, Long jobId, String status) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Empty when the body is not such a message (it then belongs in the dead-letter queue). */
    static Optional<LifecycleMessage> parse(String body) {
        try {
            Object parsed = JSON.readValue(body, Object.class);
            if (!(parsed instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            if ("Notification".equals(map.get("Type")) && map.get("Message") instanceof String inner) {
                return parse(inner);
            }
            if (!(map.get("reason") instanceof String reason)) {
                return Optional.empty();
            }
            return Optional.of(new LifecycleMessage(reason, map.get("job_id") instanceof Number id ? id.longValue() : null,
                    map.get("status") instanceof String s ? s : null));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
