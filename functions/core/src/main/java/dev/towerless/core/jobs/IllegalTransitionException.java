package dev.towerless.core.jobs;

/** A status change AWX's state machine does not allow (e.g. successful → running). */
public class IllegalTransitionException extends RuntimeException {
    public IllegalTransitionException(JobStatus from, JobStatus to) {
        super("a job cannot move from " + from.apiName() + " to " + to.apiName());
    }
}
