package dev.towerless.core.housekeeping;

import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What AWX's system jobs do ({@code awx-manage cleanup_jobs}, {@code cleanup_tokens}): remove
 * finished jobs older than a number of days with their events, and expired tokens. Never touches
 * an active job (the delete is conditional on the job having finished).
 */
public final class Cleanup {
    /** AWX's default when {@code days} is not given. */
    public static final int DEFAULT_DAYS = 90;

    private final JobStore jobs;
    private final EventStore events;
    private final ResourceStore resources;
    private final Clock clock;

    public Cleanup(JobStore jobs, EventStore events, ResourceStore resources, Clock clock) {
        this.jobs = jobs;
        this.events = events;
        this.resources = resources;
        this.clock = clock;
    }

    /** Removes jobs of every kind that finished more than {@code days} days ago; returns counts per kind. */
    public Map<JobKind, Integer> jobsOlderThan(int days, Consumer<String> log) {
        Instant cutoff = clock.instant().minus(Duration.ofDays(days));
        Map<JobKind, Integer> removed = new EnumMap<>(JobKind.class);
        for (JobKind kind : JobKind.values()) {
            int n = 0;
            int eventCount = 0;
            for (UnifiedJob j : jobs.all(kind)) {
                if (j.status().isFinished() && j.finished().map(f -> f.isBefore(cutoff)).orElse(false)) {
                    eventCount += events.deleteAll(j.id());
                    if (jobs.deleteIfFinished(j.id())) {
                        n++;
                    }
                }
            }
            removed.put(kind, n);
            log.accept("Removed " + n + " " + kind.endpoint().replace('_', ' ') + " finished before "
                    + Timestamps.format(cutoff) + " (" + eventCount + " events)");
        }
        // The list counters (docs/list-reads.md) move after each job write; a writer that died in
        // between left one off by one. This nightly run recounts them from the jobs it keeps.
        Map<String, Long> fixed = jobs.repairCounts();
        log.accept(fixed.isEmpty() ? "Job counters correct" : "Job counters corrected: " + fixed);
        // Jobs stored before the status index existed have no key in it, so ?status= pages miss them
        // until this sets it (once: a later run finds every key in place and writes nothing).
        long keyed = jobs.repairIndexKeys();
        if (keyed > 0) {
            log.accept("Job index keys and list entries written: " + keyed + " (jobs an older version stored, or entries a failed write left)");
        }
        return removed;
    }

    /** Removes API tokens that have expired; returns how many. */
    public int expiredTokens(Consumer<String> log) {
        Instant now = clock.instant();
        int n = 0;
        for (Resource t : resources.all(ResourceTypes.TOKEN)) {
            if (t.string("expires").map(e -> Timestamps.parse(e).isBefore(now)).orElse(false)
                    && resources.delete(ResourceTypes.TOKEN, t.id())) {
                n++;
            }
        }
        log.accept("Removed " + n + " expired tokens");
        return n;
    }
}
