package dev.towerless.core.scheduling;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Instance groups as Towerless has them: every runner is its own Fargate task, so a group is a
 * budget, not a set of machines — {@code max_concurrent_jobs} jobs and {@code max_forks} of task
 * impact at once (0 = unlimited), as AWX's container groups. A job tries its preferred groups in
 * order (template, inventory, organization), else the default group.
 */
final class Capacity {
    private final Map<Long, Resource> groups;
    private final long defaultGroup;
    private final Map<Long, Integer> jobs = new HashMap<>();
    private final Map<Long, Integer> forks = new HashMap<>();

    Capacity(Map<Long, Resource> groups, long defaultGroup, List<UnifiedJob> active) {
        this.groups = groups;
        this.defaultGroup = defaultGroup;
        for (UnifiedJob j : active) {
            if (j.status() == JobStatus.WAITING || j.status() == JobStatus.RUNNING) {
                j.longField(JobFields.INSTANCE_GROUP).ifPresent(g -> consume(g, impact(j)));
            }
        }
    }

    /** The first of the job's groups with room for it, or empty if none has. */
    Optional<Long> place(UnifiedJob job) {
        List<Long> preferred = job.longList(JobFields.PREFERRED_INSTANCE_GROUPS).stream().filter(groups::containsKey).toList();
        for (long g : preferred.isEmpty() ? List.of(defaultGroup) : preferred) {
            if (fits(g, impact(job))) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    void consume(long group, int impact) {
        jobs.merge(group, 1, Integer::sum);
        forks.merge(group, impact, Integer::sum);
    }

    private boolean fits(long group, int impact) {
        Resource g = groups.get(group);
        if (g == null) {
            return true; // the default group before it has been created: unlimited
        }
        long maxJobs = number(g, "max_concurrent_jobs");
        long maxForks = number(g, "max_forks");
        return (maxJobs == 0 || jobs.getOrDefault(group, 0) + 1 <= maxJobs)
                && (maxForks == 0 || forks.getOrDefault(group, 0) + impact <= maxForks);
    }

    static int impact(UnifiedJob j) {
        return j.longField(JobFields.TASK_IMPACT).map(Long::intValue).orElse(1);
    }

    private static long number(Resource r, String field) {
        Object v = r.get(field);
        return v instanceof Number n ? n.longValue() : 0;
    }
}
