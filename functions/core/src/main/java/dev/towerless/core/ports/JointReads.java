package dev.towerless.core.ports;

import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import java.util.Collection;
import java.util.Map;

/**
 * Objects of the {@link ResourceStore} and jobs of the {@link JobStore} read together: one round
 * trip where a backend can read both at once (DynamoDB's BatchGetItem spans tables). A polled job
 * list reads its caller's token and user, the objects its last answer named and the jobs it
 * showed in one call, instead of a batch of objects, then, after the page's keys, a batch of jobs.
 * Every read is consistent, as {@link ResourceStore#getMany} and {@link JobStore#findMany} are.
 */
public interface JointReads {

    /**
     * What was found: objects by type and id, jobs by id; whatever does not exist is left out. And
     * {@code newest}: for each template asked about whose newest job the job store records (its
     * pointer, {@link JobStore#newestOfTemplates(Collection, Map, Map)}), that job's id, 0 for "none".
     */
    record Found(Map<String, Map<Long, Resource>> resources, Map<Long, UnifiedJob> jobs, Map<Long, Long> newest) {
        public static final Found NOTHING = new Found(Map.of(), Map.of(), Map.of());

        public Found(Map<String, Map<Long, Resource>> resources, Map<Long, UnifiedJob> jobs) {
            this(resources, jobs, Map.of());
        }
    }

    /** These objects, jobs and the job store's records of these templates' newest jobs, read at once. */
    Found read(Map<String, ? extends Collection<Long>> resources, Collection<Long> jobs, Collection<Long> templates);

    default Found read(Map<String, ? extends Collection<Long>> resources, Collection<Long> jobs) {
        return read(resources, jobs, java.util.List.of());
    }

    /**
     * Two reads, one after the other: for stores that cannot read both at once (the core's test
     * fakes, whose job store records no newest jobs: it reads them when asked).
     */
    static JointReads separately(ResourceStore resources, JobStore jobs) {
        return (wanted, jobIds, templates) -> new Found(wanted.isEmpty() ? Map.of() : resources.getMany(wanted),
                jobIds.isEmpty() ? Map.of() : jobs.findMany(jobIds));
    }
}
