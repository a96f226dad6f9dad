package dev.towerless.core.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counters a job store keeps so that a list's {@code count} never reads the history
 * (docs/list-reads.md): jobs per kind, finished jobs per kind and status, jobs per template,
 * jobs per kind and value of each field {@link JobFilters} keeps keys for (inventory, project,
 * launch type).
 *
 * <p>Only finished statuses are counted: a job's status changes four or five times in its life
 * but finishes once, so a counter per finished status costs one counter write per job (at its
 * end), and the transitions the task manager makes (pending, waiting, running) write no counter.
 * The active statuses are counted from the jobs the store already keeps apart for the task
 * manager, which are few.
 *
 * <p>A store moves a counter only after the job's own conditional write succeeded, so a
 * redelivered write (which fails its condition) counts nothing; a writer that dies between the
 * two leaves a counter short by one, which {@link #of(Iterable)} recomputes and the nightly
 * cleanup writes back.
 */
public final class JobCounters {
    private static final String PREFIX = "count#";

    private JobCounters() {
    }

    /** Jobs of one kind. */
    public static String ofKind(JobKind kind) {
        return PREFIX + kind.type();
    }

    /** Finished jobs of one kind in one finished status. */
    public static String ofStatus(JobKind kind, JobStatus status) {
        if (!status.isFinished()) {
            throw new IllegalArgumentException("only finished statuses are counted, not " + status.apiName());
        }
        return PREFIX + kind.type() + "#" + status.apiName();
    }

    /** Jobs launched from one unified job template. */
    public static String ofTemplate(long templateId) {
        return PREFIX + "template#" + templateId;
    }

    /**
     * Jobs of one kind launched one way ({@code launch_type}, which never changes): the count of an
     * {@code order_by=-finished} list filtered by launch type (AWX's UI: {@code not__launch_type=sync}),
     * and, by being there at all, which (kind, launch type) partitions of the finished index to read.
     */
    public static String ofLaunchType(JobKind kind, String launchType) {
        return ofField(kind, JobFields.LAUNCH_TYPE, launchType);
    }

    /**
     * Jobs of one kind whose {@code field} (one {@link JobFilters} keeps keys for) holds {@code value}:
     * the count of {@code ?inventory=N}, {@code ?project=N}, {@code ?launch_type=X}.
     */
    public static String ofField(JobKind kind, String field, String value) {
        return ofFilterKey(JobFilters.key(kind, field, value));
    }

    /** The counter of the jobs listed under one {@link JobFilters} key. */
    public static String ofFilterKey(String key) {
        return PREFIX + key;
    }

    /** The counters a stored job adds one to. */
    public static List<String> of(UnifiedJob job) {
        List<String> names = new ArrayList<>(6);
        names.add(ofKind(job.kind()));
        if (job.status().isFinished()) {
            names.add(ofStatus(job.kind(), job.status()));
        }
        job.longField(JobFields.UNIFIED_JOB_TEMPLATE).ifPresent(t -> names.add(ofTemplate(t)));
        JobFilters.keysOf(job).forEach(k -> names.add(ofFilterKey(k)));
        return names;
    }

    /** What every counter should hold for these jobs (a counter absent here should be 0). */
    public static Map<String, Long> of(Iterable<UnifiedJob> jobs) {
        Map<String, Long> out = new TreeMap<>();
        for (UnifiedJob j : jobs) {
            for (String name : of(j)) {
                out.merge(name, 1L, Long::sum);
            }
        }
        return out;
    }

    /**
     * True for the names of counters kept here. They share the sequences' table with the resource
     * stores' per-type counters ({@code count#resource#host}), which a job recount must leave alone:
     * no job backs them, so it would set every one to 0.
     */
    public static boolean isCounter(String name) {
        return name.startsWith(PREFIX) && !name.startsWith(PREFIX + "resource#");
    }

    /**
     * The counter moves of a status change: {@code -1} for the old status if it was finished,
     * {@code +1} for the new one if it is (a job that goes from pending to canceled: +1 canceled).
     */
    public static Map<String, Long> moves(JobKind kind, JobStatus from, JobStatus to) {
        Map<String, Long> out = new TreeMap<>();
        if (from == to) {
            return out;
        }
        if (from.isFinished()) {
            out.merge(ofStatus(kind, from), -1L, Long::sum);
        }
        if (to.isFinished()) {
            out.merge(ofStatus(kind, to), 1L, Long::sum);
        }
        return out;
    }
}
