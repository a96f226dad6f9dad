package dev.towerless.core.ports;

import dev.towerless.core.jobs.HostSummary;
import java.util.List;
import java.util.Optional;

/**
 * Job host summaries, written once per job when its final stats arrive. Writing the same
 * summaries again (same ids) stores them once, so a redelivered message changes nothing.
 */
public interface HostSummaryStore {

    void putAll(List<HostSummary> summaries);

    /** One job's summaries, in id order (one query). */
    List<HostSummary> ofJob(long jobId);

    /** One host's summaries, newest job first, at most {@code limit} (one query on a sparse index). */
    List<HostSummary> ofHost(long hostId, int limit);

    Optional<HostSummary> find(long id);

    /** Removes a job's summaries (when the job is deleted); returns how many there were. */
    int deleteOfJob(long jobId);
}
