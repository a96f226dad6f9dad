package dev.towerless.core.scheduling;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.UnifiedJob;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWX's soft blocking (research §2.4), rebuilt each pass from the waiting and running jobs plus
 * those started during the pass. The first holder of a key is the one named in explanations.
 *
 * <table>
 *   <tr><th>held by</th><th>blocks</th></tr>
 *   <tr><td>project update → project</td><td>jobs of the project, other updates of it</td></tr>
 *   <tr><td>inventory update → inventory and source</td><td>jobs and ad hoc commands on the inventory; updates of the source</td></tr>
 *   <tr><td>ad hoc command → inventory</td><td>jobs and ad hoc commands on the inventory</td></tr>
 *   <tr><td>job → template</td><td>jobs of the template unless allow_simultaneous</td></tr>
 *   <tr><td>system job → one global key</td><td>every other system job</td></tr>
 * </table>
 */
final class BlockingRules {
    private final Map<String, UnifiedJob> holders = new HashMap<>();

    BlockingRules(List<UnifiedJob> active) {
        for (UnifiedJob j : active) {
            if (j.status() == JobStatus.WAITING || j.status() == JobStatus.RUNNING) {
                hold(j);
            }
        }
    }

    /** Records the keys a job holds once it runs (also for jobs started during this pass). */
    void hold(UnifiedJob j) {
        for (String key : keysHeldBy(j)) {
            holders.putIfAbsent(key, j);
        }
    }

    Optional<UnifiedJob> blockerOf(UnifiedJob j) {
        for (String key : keysWanted(j)) {
            UnifiedJob holder = holders.get(key);
            if (holder != null && holder.id() != j.id()) {
                return Optional.of(holder);
            }
        }
        return Optional.empty();
    }

    private static List<String> keysHeldBy(UnifiedJob j) {
        return switch (j.kind()) {
            case PROJECT_UPDATE -> ref(j, JobFields.PROJECT).map(p -> List.of("project:" + p)).orElse(List.of());
            case INVENTORY_UPDATE -> concat(ref(j, JobFields.INVENTORY).map(i -> "inventory:" + i),
                    ref(j, "inventory_source").map(s -> "source:" + s));
            case AD_HOC_COMMAND -> ref(j, JobFields.INVENTORY).map(i -> List.of("inventory:" + i)).orElse(List.of());
            case JOB -> ref(j, JobFields.UNIFIED_JOB_TEMPLATE).map(t -> List.of("template:" + t)).orElse(List.of());
            case SYSTEM_JOB -> List.of("system");
            case WORKFLOW_JOB, WORKFLOW_APPROVAL -> List.of();
        };
    }

    private static List<String> keysWanted(UnifiedJob j) {
        return switch (j.kind()) {
            case JOB -> {
                boolean simultaneous = Boolean.TRUE.equals(j.get(JobFields.ALLOW_SIMULTANEOUS));
                yield concat(ref(j, JobFields.PROJECT).map(p -> "project:" + p),
                        ref(j, JobFields.INVENTORY).map(i -> "inventory:" + i),
                        simultaneous ? Optional.empty() : ref(j, JobFields.UNIFIED_JOB_TEMPLATE).map(t -> "template:" + t));
            }
            case PROJECT_UPDATE -> ref(j, JobFields.PROJECT).map(p -> List.of("project:" + p)).orElse(List.of());
            case INVENTORY_UPDATE -> ref(j, "inventory_source").map(s -> List.of("source:" + s)).orElse(List.of());
            case AD_HOC_COMMAND -> ref(j, JobFields.INVENTORY).map(i -> List.of("inventory:" + i)).orElse(List.of());
            case SYSTEM_JOB -> List.of("system");
            case WORKFLOW_JOB, WORKFLOW_APPROVAL -> List.of();
        };
    }

    @SafeVarargs
    private static List<String> concat(Optional<String>... keys) {
        return java.util.Arrays.stream(keys).flatMap(Optional::stream).toList();
    }

    private static Optional<Long> ref(UnifiedJob j, String field) {
        return j.longField(field);
    }
}
