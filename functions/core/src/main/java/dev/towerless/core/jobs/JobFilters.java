package dev.towerless.core.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The job fields a store keeps key lists for, besides type, template and status, so that
 * {@code ?inventory=N}, {@code ?project=N} and {@code ?launch_type=X} pages read only the page
 * (docs/list-reads.md). A launch copies them from its template and prompts, and only the
 * deletion of the inventory or project sets one to null later (AWX's SET_NULL), so a job's keys
 * are written with the job, moved by that unlink, and removed with the job.
 *
 * <p>A key is {@code <type>#<word>#<value>}: {@code job#inventory#12}, {@code project_update#project#4},
 * {@code job#launch#scheduled}. The counter of a key ({@link JobCounters#ofField}) is the key
 * behind {@code count#}; a launch type's is the one {@code order_by=-finished} pages already count
 * by ({@link JobCounters#ofLaunchType}).
 */
public final class JobFilters {
    /** The filterable fields and the word their keys carry. */
    private static final Map<String, String> WORDS = Map.of(
            JobFields.INVENTORY, "inventory",
            JobFields.PROJECT, "project",
            JobFields.LAUNCH_TYPE, "launch");

    /** The fields a job store keeps keys for. */
    public static final Set<String> FIELDS = WORDS.keySet();

    /**
     * The filterable fields of each kind's AWX model: {@code jobs/?inventory=} is a filter,
     * {@code project_updates/?inventory=} AWX's 400, so an inventory update's project (its source's
     * project, which Towerless keeps on it to run it) is listed nowhere.
     */
    private static final Map<JobKind, Set<String>> FIELDS_OF = Map.of(
            JobKind.JOB, Set.of(JobFields.INVENTORY, JobFields.PROJECT, JobFields.LAUNCH_TYPE),
            JobKind.AD_HOC_COMMAND, Set.of(JobFields.INVENTORY, JobFields.LAUNCH_TYPE),
            JobKind.INVENTORY_UPDATE, Set.of(JobFields.INVENTORY, JobFields.LAUNCH_TYPE),
            JobKind.PROJECT_UPDATE, Set.of(JobFields.PROJECT, JobFields.LAUNCH_TYPE),
            JobKind.WORKFLOW_JOB, Set.of(JobFields.INVENTORY, JobFields.LAUNCH_TYPE),
            JobKind.SYSTEM_JOB, Set.of(JobFields.LAUNCH_TYPE),
            JobKind.WORKFLOW_APPROVAL, Set.of(JobFields.LAUNCH_TYPE));

    /** Whether jobs of {@code kind} are listed by {@code field} (its AWX model has it). */
    public static boolean kept(JobKind kind, String field) {
        return FIELDS_OF.getOrDefault(kind, Set.of()).contains(field);
    }

    private JobFilters() {
    }

    /** The key of the jobs of {@code kind} whose {@code field} holds {@code value}. */
    public static String key(JobKind kind, String field, String value) {
        String word = WORDS.get(field);
        if (word == null) {
            throw new IllegalArgumentException("no keys are kept for the jobs' " + field);
        }
        return kind.type() + "#" + word + "#" + value;
    }

    /** The keys a stored job is listed under: one per filterable field it has a value for. */
    public static List<String> keysOf(UnifiedJob job) {
        List<String> out = new ArrayList<>(3);
        for (String field : List.of(JobFields.INVENTORY, JobFields.PROJECT, JobFields.LAUNCH_TYPE)) {
            if (kept(job.kind(), field)) {
                valueOf(job, field).ifPresent(v -> out.add(key(job.kind(), field, v)));
            }
        }
        return out;
    }

    /** A field's value as its keys spell it: an id in decimal, a launch type by its name; empty if unset. */
    public static Optional<String> valueOf(UnifiedJob job, String field) {
        Object v = job.get(field);
        if (v instanceof Number n) {
            return Optional.of(Long.toString(n.longValue()));
        }
        return v == null || v.toString().isEmpty() ? Optional.empty() : Optional.of(v.toString());
    }
}
