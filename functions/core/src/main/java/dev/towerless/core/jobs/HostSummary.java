package dev.towerless.core.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AWX's JobHostSummary: one host's totals in one job's final stats ({@code playbook_on_stats}).
 * {@code hostId} is the host of that name in the job's inventory, or null when there is none
 * (a host added by {@code add_host}, or deleted since).
 */
public record HostSummary(long id, long jobId, Long hostId, String hostName, Map<String, Integer> counts, String created) {

    /** AWX's counters, in its serializer's order. */
    public static final List<String> COUNTERS = List.of("changed", "dark", "failures", "ok", "processed", "skipped",
            "ignored", "rescued");

    /**
     * Ids are the job's id times this plus the host's place in the job's sorted host names, so the
     * same stats always give the same ids: a redelivered "job finished" rewrites the same items.
     * (A job may report up to this many hosts; ids stay below 2^53 for job ids below 9·10^9.)
     */
    public static final long IDS_PER_JOB = 1_000_000L;

    public HostSummary {
        counts = Map.copyOf(counts);
    }

    public static long idFor(long jobId, int ordinal) {
        if (ordinal < 0 || ordinal >= IDS_PER_JOB - 1) {
            throw new IllegalArgumentException("a job reports at most " + (IDS_PER_JOB - 1) + " hosts");
        }
        return jobId * IDS_PER_JOB + ordinal + 1;
    }

    /** The job a summary id belongs to. */
    public static long jobOf(long summaryId) {
        return summaryId / IDS_PER_JOB;
    }

    public int count(String counter) {
        return counts.getOrDefault(counter, 0);
    }

    /** AWX: {@code failed = bool(dark or failures)}. */
    public boolean failed() {
        return count("dark") > 0 || count("failures") > 0;
    }

    /** The per-host counts of a stats event's data ({@code {"ok": {"web1": 2}, …}}), by host name. */
    public static Map<String, Map<String, Integer>> countsByHost(Map<String, Object> statsEventData) {
        Map<String, Map<String, Integer>> byHost = new java.util.TreeMap<>();
        for (String counter : COUNTERS) {
            if (statsEventData.get(counter) instanceof Map<?, ?> perHost) {
                perHost.forEach((host, n) -> byHost.computeIfAbsent(String.valueOf(host), h -> new LinkedHashMap<>())
                        .put(counter, n instanceof Number num ? num.intValue() : 0));
            }
        }
        return byHost;
    }
}
