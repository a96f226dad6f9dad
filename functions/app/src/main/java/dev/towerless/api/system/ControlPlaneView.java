package dev.towerless.api.system;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.Responses;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.liveness.LivenessSettings;
import dev.towerless.core.ports.HeartbeatStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.PassLog;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.handlers.ReaperTick;
import dev.towerless.handlers.TaskManagerService;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The dispatcher's status view, serverless: runners are the running jobs' runners (each proves
 * itself by heartbeats), capacity is what they use, and the managers' last passes and the queue
 * depths say whether the control plane keeps up. One read of the active-jobs index (its 16 shards
 * together), then the running jobs' heartbeats, 100 to a batch read; when the last look found
 * nothing unfinished, the kinds' counters first, and the index only if they say a job is
 * ({@link JobStore#activeShown}: monitoring probes poll ping/).
 */
@Singleton
public class ControlPlaneView {
    private final JobStore jobs;
    private final HeartbeatStore heartbeats;
    private final ResourceStore resources;
    private final PassLog passes;
    private final SqsClient sqs;
    private final TowerlessConfig config;
    private final LivenessSettings liveness;

    public ControlPlaneView(JobStore jobs, HeartbeatStore heartbeats, ResourceStore resources, PassLog passes, SqsClient sqs,
                            TowerlessConfig config, LivenessSettings liveness) {
        this.jobs = jobs;
        this.heartbeats = heartbeats;
        this.resources = resources;
        this.passes = passes;
        this.sqs = sqs;
        this.config = config;
        this.liveness = liveness;
    }

    /** One entry per live runner: a running job's runner, AWX's Instance fields where they apply. */
    public List<Map<String, Object>> instances() {
        return instances(jobs.activeShown());
    }

    private List<Map<String, Object>> instances(List<UnifiedJob> active) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<UnifiedJob> running = active.stream().filter(j -> j.status() == JobStatus.RUNNING).toList();
        Map<Long, HeartbeatStore.Beat> beats = running.isEmpty() ? Map.of() : heartbeats.lastBeats(running.stream().map(UnifiedJob::id).toList());
        for (UnifiedJob j : running) {
            // No heartbeat yet (or a runner of the version that wrote it on the job): the claim's time.
            Object heartbeat = beats.containsKey(j.id()) ? Timestamps.format(beats.get(j.id()).at())
                    : j.get(JobFields.LAST_HEARTBEAT) != null ? j.get(JobFields.LAST_HEARTBEAT) : j.get(JobFields.STARTED);
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("id", j.id());
            i.put("type", "instance");
            i.put("url", ApiContext.url("instances", j.id()));
            i.put("hostname", j.string(JobFields.EXECUTION_NODE).orElse(""));
            i.put("node", j.string(JobFields.EXECUTION_NODE).orElse(""));
            i.put("node_type", "execution");
            i.put("node_state", "ready");
            i.put("runner_task", j.string(JobFields.RUNNER_TASK).orElse(""));
            i.put("heartbeat", heartbeat);
            i.put("last_seen", heartbeat);
            i.put("job", Map.of("id", j.id(), "type", j.kind().type(), "name", j.name()));
            i.put("capacity", j.longField(JobFields.TASK_IMPACT).orElse(1L));
            i.put("consumed_capacity", j.longField(JobFields.TASK_IMPACT).orElse(1L));
            i.put("instance_group", j.get(JobFields.INSTANCE_GROUP));
            i.put("percent_capacity_remaining", 0.0);
            i.put("jobs_running", 1);
            i.put("jobs_total", 1);
            i.put("enabled", true);
            i.put("managed_by_policy", true);
            i.put("version", Responses.PRODUCT_VERSION);
            i.put("errors", "");
            out.add(i);
        }
        return out;
    }

    /**
     * A group's live numbers, from the waiting and running jobs assigned to it. With no limit
     * (0) a group of Fargate tasks has no fixed capacity: it reports 0 and 100 % remaining.
     */
    public Map<String, Object> usage(Resource group, List<UnifiedJob> active) {
        long jobsRunning = 0;
        long consumed = 0;
        for (UnifiedJob j : active) {
            if ((j.status() == JobStatus.WAITING || j.status() == JobStatus.RUNNING)
                    && j.longField(JobFields.INSTANCE_GROUP).orElse(-1L) == group.id()) {
                jobsRunning++;
                consumed += j.longField(JobFields.TASK_IMPACT).orElse(1L);
            }
        }
        long capacity = group.reference("max_forks").orElse(0L);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("capacity", capacity);
        out.put("consumed_capacity", consumed);
        out.put("percent_capacity_remaining", capacity == 0 ? 100.0
                : Math.max(0.0, Math.round(10_000.0 * (capacity - consumed) / capacity) / 100.0));
        out.put("jobs_running", jobsRunning);
        out.put("jobs_total", jobsRunning);
        out.put("instances", jobsRunning);
        return out;
    }

    /** AWX's ping fields plus what an operator of a serverless control plane needs to see. */
    public Map<String, Object> ping() {
        // Probes poll this: its reads do not depend on each other, so they go out together (one round
        // trip, not seven one after another). The active jobs' heartbeats follow the active jobs.
        var activeRead = READS.submit(jobs::activeShown);
        var groupsRead = READS.submit(() -> resources.all(ResourceTypes.INSTANCE_GROUP));
        var taskManager = READS.submit(() -> passes.last(TaskManagerService.NAME));
        var reaper = READS.submit(() -> passes.last(ReaperTick.NAME));
        var scheduler = READS.submit(() -> passes.last(dev.towerless.handlers.SchedulerTick.NAME));
        var queues = READS.submit(this::queueDepths);
        List<UnifiedJob> active = result(activeRead);
        List<Map<String, Object>> instances = instances(active);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ha", true);
        out.put("version", Responses.PRODUCT_VERSION);
        out.put("active_node", "towerless");
        out.put("install_uuid", "00000000-0000-0000-0000-000000000000");
        List<Map<String, Object>> pingInstances = new ArrayList<>();
        for (Map<String, Object> i : instances) {
            pingInstances.add(Map.of("node", i.get("node"), "node_type", "execution", "uuid", i.get("runner_task"),
                    "heartbeat", String.valueOf(i.get("heartbeat")), "capacity", 1, "version", Responses.PRODUCT_VERSION));
        }
        out.put("instances", pingInstances);
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Resource g : result(groupsRead)) {
            Map<String, Object> u = usage(g, active);
            groups.add(Map.of("name", g.name(), "capacity", u.get("capacity"), "consumed_capacity", u.get("consumed_capacity"),
                    "jobs_running", u.get("jobs_running"), "max_concurrent_jobs", g.fields().getOrDefault("max_concurrent_jobs", 0L)));
        }
        out.put("instance_groups", groups);
        out.put("task_manager", result(taskManager).orElse(null));
        out.put("reaper", result(reaper).orElse(null));
        out.put("scheduler", result(scheduler).orElse(null));
        out.put("queues", result(queues));
        out.put("liveness", Map.of("heartbeat_seconds", liveness.heartbeatPeriod().toMillis() / 1000.0,
                "missed_heartbeats", liveness.missedHeartbeats(),
                "waiting_grace_seconds", liveness.waitingGrace().toSeconds(),
                "cancel_grace_seconds", liveness.cancelGrace().toSeconds()));
        return out;
    }

    /** Reads ping/ issues together; a full pool runs a read in the caller's thread. */
    private static final java.util.concurrent.ExecutorService READS = dev.towerless.core.concurrency.SideReads.pool("ping-reads", 24);

    private static <T> T result(java.util.concurrent.Future<T> read) {
        return dev.towerless.core.concurrency.SideReads.result(read);
    }

    private Map<String, Object> queueDepths() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (config.wakeQueueUrl().isEmpty()) {
            return out;
        }
        try {
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(config.wakeQueueUrl())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            out.put("wake", Map.of("visible", Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
                    "in_flight", Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"))));
        } catch (RuntimeException e) {
            out.put("wake", Map.of("error", String.valueOf(e.getMessage())));
        }
        return out;
    }
}
