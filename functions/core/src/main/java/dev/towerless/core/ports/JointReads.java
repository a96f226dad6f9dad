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

    /** What was found: objects by type and id, jobs by id; whatever does not exist is left out. */
    record Found(Map<String, Map<Long, Resource>> resources, Map<Long, UnifiedJob> jobs) {
        public static final Found NOTHING = new Found(Map.of(), Map.of());
    }

    Found read(Map<String, ? extends Collection<Long>> resources, Collection<Long> jobs);

    /** Two reads, one after the other: for stores that cannot read both at once (the core's test fakes). */
    static JointReads separately(ResourceStore resources, JobStore jobs) {
        return (wanted, jobIds) -> new Found(wanted.isEmpty() ? Map.of() : resources.getMany(wanted),
                jobIds.isEmpty() ? Map.of() : jobs.findMany(jobIds));
    }
}
