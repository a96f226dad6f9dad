package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Housekeeping queues (one per task, fed by the housekeeping topic): each message launches that
 * task as an AWX system job, so it shows in {@code system_jobs/} with its output like any other
 * run, with {@code launch_type=scheduled}. A task the housekeeping launched within the last
 * {@link #AT_MOST_EVERY} is not launched again, so a redelivered or duplicated message changes nothing.
 */
@Singleton
public class HousekeepingConsumer {
    static final Duration AT_MOST_EVERY = Duration.ofHours(12);
    /** AWX's install-time "Cleanup Job Schedule" keeps 120 days. */
    static final int DAYS_KEPT = 120;
    private static final Logger LOG = Logger.getLogger(HousekeepingConsumer.class.getName());

    private final LaunchService launches;
    private final ResourceStore resources;
    private final JobStore jobs;
    private final Clock clock;

    public HousekeepingConsumer(LaunchService launches, ResourceStore resources, JobStore jobs, Clock clock) {
        this.launches = launches;
        this.resources = resources;
        this.jobs = jobs;
        this.clock = clock;
    }

    public SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            try {
                runTask(taskOf(m.getEventSourceArn()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "housekeeping message " + m.getMessageId() + " failed", e);
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** Launches the task's system job unless one was launched recently; true if launched. */
    public boolean runTask(String jobType) {
        Resource template = resources.all(ResourceTypes.SYSTEM_JOB_TEMPLATE).stream()
                .filter(t -> jobType.equals(t.get("job_type"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no system job template for " + jobType));
        // Only its own runs count: a user's schedule of the same template is the user's business.
        boolean recent = jobs.ofTemplate(template.id(), 20).stream()
                .filter(j -> LaunchType.SCHEDULED.apiName().equals(j.get(JobFields.LAUNCH_TYPE)) && j.get(JobFields.SCHEDULE) == null)
                .anyMatch(j -> Duration.between(j.created(), clock.instant()).compareTo(AT_MOST_EVERY) < 0);
        if (recent) {
            LOG.info(() -> jobType + " ran less than " + AT_MOST_EVERY + " ago; not again");
            return false;
        }
        Resource system = resources.findByName(ResourceTypes.USER, "admin").orElse(new Resource(ResourceTypes.USER, 0,
                Map.of("username", "system")));
        launches.launchSystemJob(template, jobType.equals("cleanup_jobs") ? Map.of("days", DAYS_KEPT) : Map.of(),
                Origin.user(system, LaunchType.SCHEDULED));
        LOG.info(() -> "housekeeping launched " + jobType + " at " + Timestamps.format(clock.instant()));
        return true;
    }

    /** The queue's name ends with the task: ...:towerless-housekeeping-cleanup_jobs. */
    static String taskOf(String queueArn) {
        String name = queueArn == null ? "" : queueArn.substring(queueArn.lastIndexOf(':') + 1);
        int at = name.indexOf("housekeeping-");
        if (at < 0) {
            throw new IllegalArgumentException("not a housekeeping queue: " + queueArn);
        }
        return name.substring(at + "housekeeping-".length());
    }
}
