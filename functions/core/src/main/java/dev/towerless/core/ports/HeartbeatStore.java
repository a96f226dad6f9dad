package dev.towerless.core.ports;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Runners' heartbeats, one small item per running job, apart from the job itself. A heartbeat
 * that rewrote the job would pay for the whole job item (more than 1 KB with large extra vars)
 * and for its entry in every index projecting it; here it is one write unit, whatever the job
 * holds, and touches no index, so thousands of runners make no hot key.
 *
 * <p>The reaper's verdict "this runner went silent" is written in two steps, each a single-item
 * conditional write: first {@link #silence} (only if no heartbeat came since the one it judged),
 * which makes every later {@link #beat} fail so the runner stops, then the job's own status
 * change. A reaper that dies in between is finished by the next pass, which finds the job still
 * running, its heartbeat still old and the silence already written.
 */
public interface HeartbeatStore {

    /** The last heartbeat of a job: when, from which runner, and whether the reaper silenced it. */
    record Beat(Instant at, String runner, boolean silenced) {
    }

    /**
     * Records that {@code runner} is alive and running {@code jobId} at {@code at}. False if the
     * job's heartbeats were silenced (the reaper ended it): the runner must stop.
     */
    boolean beat(long jobId, String runner, Instant at);

    /** The last heartbeats of these jobs, by job id; a job that never sent one is left out. */
    Map<Long, Beat> lastBeats(Collection<Long> jobIds);

    /**
     * Silences the job's heartbeats, only if its last heartbeat is still the one seen
     * ({@code seen} empty: none was sent). True if silenced now or already, so a verdict whose
     * second write was lost can be finished; false if a heartbeat came since, and the verdict
     * no longer holds.
     */
    boolean silence(long jobId, Optional<Instant> seen);
}
