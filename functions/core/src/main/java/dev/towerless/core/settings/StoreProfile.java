package dev.towerless.core.settings;

import dev.towerless.core.jobs.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A store-call profile ({@link SystemSettings#PROFILE_STORE_CALLS}): while {@code until} has not
 * passed, every store call taking at least {@code thresholdMs} is logged. AWX's profile_sql takes a
 * threshold in seconds and minutes (a number, default 5); store calls take milliseconds, so the threshold is
 * in ms, and 0 logs every call. An empty value ({@code {}} or null) turns profiling off.
 */
public record StoreProfile(long thresholdMs, Instant until) {
    public static final long MAX_MINUTES = 24 * 60;
    /** awx-manage profile_sql's default duration. */
    public static final long DEFAULT_MINUTES = 5;
    private static final Set<String> KEYS = Set.of("threshold_ms", "minutes", "until");

    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }

    /** The stored value as a profile; empty when off or unreadable. */
    public static Optional<StoreProfile> of(Map<String, Object> stored) {
        if (stored == null || !(stored.get("threshold_ms") instanceof Number t) || !(stored.get("until") instanceof String u)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoreProfile(t.longValue(), Timestamps.parse(u)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Why {@code value} is not a profile, or empty when it is one (or turns profiling off). */
    static Optional<String> parse(Object value, Instant now) {
        if (value == null || value instanceof Map<?, ?> m && m.isEmpty()) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> m)) {
            return Optional.of("Expected a dictionary of items but got type \"" + (value instanceof String ? "str" : "list") + "\".");
        }
        for (Object k : m.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                return Optional.of("Unknown key \"" + k + "\": expected threshold_ms (ms, 0 logs every call) and minutes (above 0, at most "
                        + MAX_MINUTES + ").");
            }
        }
        if (!(m.get("threshold_ms") instanceof Number t) || t.doubleValue() != Math.rint(t.doubleValue()) || t.longValue() < 0) {
            return Optional.of("threshold_ms: a whole number of milliseconds, 0 or more, is required.");
        }
        Object minutes = m.containsKey("minutes") ? m.get("minutes") : DEFAULT_MINUTES;
        if (!(minutes instanceof Number n) || !(n.doubleValue() > 0) || n.doubleValue() > MAX_MINUTES) {
            return Optional.of("minutes: a number of minutes above 0 and at most " + MAX_MINUTES + " is required.");
        }
        return Optional.empty();
    }

    /** What is stored for a valid value: the profile with the moment it ends (a {@code until} given is recomputed). */
    static Map<String, Object> stored(Object value, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            Number minutes = m.get("minutes") instanceof Number n ? n : DEFAULT_MINUTES;
            out.put("threshold_ms", ((Number) m.get("threshold_ms")).longValue());
            out.put("minutes", minutes);
            out.put("until", Timestamps.format(now.plus(Duration.ofMillis(Math.round(minutes.doubleValue() * 60_000)))));
        }
        return out;
    }
}
