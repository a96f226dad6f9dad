package dev.towerless.core.jobs;

import java.util.Map;

/**
 * One structured event of a job, as ansible-runner emits it (or as the runner synthesises for
 * non-ansible work such as a git checkout). Stdout of a job is the concatenation of its events'
 * {@code stdout} in counter order, exactly as AWX renders it.
 */
public record JobEvent(
        long jobId,
        long counter,
        String event,
        String uuid,
        String host,
        String play,
        String task,
        String role,
        String stdout,
        int startLine,
        int endLine,
        String created,
        boolean failed,
        boolean changed,
        Map<String, Object> eventData) {

    public JobEvent {
        eventData = eventData == null ? Map.of() : eventData;
        stdout = stdout == null ? "" : stdout;
    }
}
