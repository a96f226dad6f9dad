package dev.towerless.core.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Remembers the last pass of each periodic manager, for the operator views (ping, status). */
public interface PassLog {

    void record(String manager, Instant finishedAt, Duration took, Map<String, Object> summary);

    /** {@code finished_at}, {@code duration_ms} and the summary of the last pass, if any. */
    Optional<Map<String, Object>> last(String manager);
}
