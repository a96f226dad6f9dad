package dev.towerless.runner;

import dev.towerless.core.jobs.JobStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a run ended: the final status, its explanation, and fields to record with it. */
record Outcome(JobStatus status, String explanation, Map<String, Object> fields) {

    static Outcome of(JobStatus status, String explanation) {
        return new Outcome(status, explanation, Map.of());
    }

    Outcome with(String field, Object value) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        f.put(field, value);
        return new Outcome(status, explanation, f);
    }
}
