package dev.towerless.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.security.Redactor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns ansible-runner's JSON event lines into stored events: secrets redacted from stdout and
 * every string in event_data, carriage returns dropped, and oversized module results trimmed
 * so one event always fits in one store item.
 */
final class AnsibleEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FAILED_EVENTS = Set.of("runner_on_failed", "runner_on_unreachable",
            "runner_on_async_failed", "runner_item_on_failed");
    private static final int MAX_RESULT_CHARS = 32_000;

    private final long jobId;
    private final Redactor redactor;

    AnsibleEvents(long jobId, Redactor redactor) {
        this.jobId = jobId;
        this.redactor = redactor;
    }

    /** The event in a JSON line, or null if the line is not an event (plain output). */
    @SuppressWarnings("unchecked")
    JobEvent parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        Map<String, Object> raw;
        try {
            raw = JSON.readValue(line, Map.class);
        } catch (java.io.IOException e) {
            return null;
        }
        if (!(raw.get("counter") instanceof Number counter) || !(raw.get("event") instanceof String event)) {
            return null;
        }
        Map<String, Object> data = raw.get("event_data") instanceof Map<?, ?> m
                ? (Map<String, Object>) redactAll(new LinkedHashMap<>((Map<String, Object>) m)) : new LinkedHashMap<>();
        trimResult(data);
        if (raw.get("parent_uuid") instanceof String parent) {
            data.put("parent_uuid", parent);
        }
        Object res = data.get("res");
        boolean changed = res instanceof Map<?, ?> r && Boolean.TRUE.equals(r.get("changed"));
        boolean failed = FAILED_EVENTS.contains(event) && !Boolean.TRUE.equals(data.get("ignore_errors"));
        String stdout = redactor.redact(String.valueOf(raw.getOrDefault("stdout", ""))).replace("\r", "");
        return new JobEvent(jobId, counter.longValue(), event, (String) raw.get("uuid"),
                string(data, "host", string(data, "remote_addr", null)), string(data, "play", null),
                string(data, "task", null), string(data, "role", null), stdout,
                intOf(raw.get("start_line")), intOf(raw.get("end_line")), utc(String.valueOf(raw.get("created"))),
                failed, changed, data);
    }

    private Object redactAll(Object value) {
        if (value instanceof String s) {
            return redactor.redact(s);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), redactAll(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(this::redactAll).toList();
        }
        return value;
    }

    private static void trimResult(Map<String, Object> data) {
        Object res = data.get("res");
        if (res == null) {
            return;
        }
        try {
            if (JSON.writeValueAsString(res).length() > MAX_RESULT_CHARS) {
                data.put("res", Map.of("_towerless_trimmed", "result larger than " + MAX_RESULT_CHARS + " characters"));
            }
        } catch (java.io.IOException e) {
            data.remove("res");
        }
    }

    /** ansible-runner writes UTC times without a zone; AWX shows them with one. */
    static String utc(String created) {
        if (created == null || created.equals("null")) {
            return dev.towerless.core.jobs.Timestamps.format(java.time.Instant.now());
        }
        String withZone = created.endsWith("Z") || created.contains("+") ? created : created + "Z";
        try {
            return dev.towerless.core.jobs.Timestamps.format(java.time.Instant.parse(withZone));
        } catch (java.time.format.DateTimeParseException e) {
            return dev.towerless.core.jobs.Timestamps.format(java.time.Instant.now());
        }
    }

    private static String string(Map<String, Object> data, String key, String def) {
        Object v = data.get(key);
        return v instanceof String s && !s.isEmpty() ? s : def;
    }

    private static int intOf(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }
}
