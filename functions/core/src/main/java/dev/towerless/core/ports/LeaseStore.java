package dev.towerless.core.ports;

import java.time.Duration;

/**
 * Named leases for single-writer passes (the task manager). A holder that dies simply lets its
 * lease expire. A caller that finds the lease taken can ask the holder to run once more, so
 * that a wake-up arriving mid-pass is never lost.
 */
public interface LeaseStore {

    /** Takes the lease if it is free, expired, or already ours. */
    boolean tryAcquire(String name, String holder, Duration ttl);

    /** Marks that the current holder must run another pass; false if nobody holds the lease. */
    boolean requestRerun(String name);

    /**
     * Releases the lease unless a rerun was requested; in that case clears the request, keeps
     * the lease and returns false so the holder runs again.
     */
    boolean releaseUnlessRerunRequested(String name, String holder);

    /** Gives the lease up unconditionally (used when a pass fails). */
    void release(String name, String holder);
}
