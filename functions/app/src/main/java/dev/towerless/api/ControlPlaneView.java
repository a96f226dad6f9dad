package dev.towerless.api;

import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.liveness.LivenessSettings;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.PassLog;
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
 * depths say whether the control plane keeps up. One query on the active-jobs index.
 */
@Singleton
public class ControlPlaneView {
    public static final String DEFAULT_GROUP = "default";

    private final JobStore jobs;
    private final PassLog passes;
    private final SqsClient sqs;
    private final TowerlessConfig config;
    private final LivenessSettings liveness;

    public ControlPlaneView(JobStore jobs, PassLog passes, SqsClient sqs, TowerlessConfig config, LivenessSettings liveness) {
        this.jobs = jobs;
        this.passes = passes;
        this.sqs = sqs;
        this.config = config;
        this.liveness = liveness;
    }

    /** One entry per live runner: a running job's runner, AWX's Instance fields where they apply. */
    public List<Map<String, Object>> instances() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (UnifiedJob j : jobs.active()) {
            if (j.status() != JobStatus.RUNNING) {
                continue;
            }
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("id", j.id());
            i.put("type", "instance");
            i.put("url", ApiContext.url("instances", j.id()));
            i.put("hostname", j.string(JobFields.EXECUTION_NODE).orElse(""));
            i.put("node", j.string(JobFields.EXECUTION_NODE).orElse(""));
            i.put("node_type", "execution");
            i.put("node_state", "ready");
            i.put("runner_task", j.string(JobFields.RUNNER_TASK).orElse(""));
            i.put("heartbeat", j.get(JobFields.LAST_HEARTBEAT));
            i.put("last_seen", j.get(JobFields.LAST_HEARTBEAT));
            i.put("job", Map.of("id", j.id(), "type", j.kind().type(), "name", j.name()));
            i.put("capacity", 1);
            i.put("consumed_capacity", 1);
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

    /** The default instance group: Fargate capacity is elastic, so it is "unlimited" (0) until groups come. */
    public Map<String, Object> defaultGroup(List<Map<String, Object>> instances) {
        long waiting = jobs.active().stream().filter(j -> j.status() == JobStatus.WAITING).count();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", 1);
        g.put("type", "instance_group");
        g.put("url", ApiContext.url("instance_groups", 1));
        g.put("name", DEFAULT_GROUP);
        g.put("capacity", 0);
        g.put("consumed_capacity", instances.size());
        g.put("percent_capacity_remaining", 100.0);
        g.put("jobs_running", instances.size());
        g.put("jobs_waiting", waiting);
        g.put("jobs_total", instances.size() + waiting);
        g.put("instances", instances.size());
        g.put("is_container_group", true);
        g.put("max_concurrent_jobs", 0);
        g.put("max_forks", 0);
        g.put("policy_instance_percentage", 100);
        g.put("policy_instance_minimum", 0);
        g.put("policy_instance_list", List.of());
        g.put("pod_spec_override", "");
        g.put("credential", null);
        return g;
    }

    /** AWX's ping fields plus what an operator of a serverless control plane needs to see. */
    public Map<String, Object> ping() {
        List<Map<String, Object>> instances = instances();
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
        Map<String, Object> group = defaultGroup(instances);
        out.put("instance_groups", List.of(Map.of("name", DEFAULT_GROUP, "capacity", group.get("capacity"),
                "consumed_capacity", group.get("consumed_capacity"), "jobs_running", group.get("jobs_running"),
                "instances", instances.stream().map(i -> i.get("node")).toList())));
        out.put("task_manager", passes.last(TaskManagerService.NAME).orElse(null));
        out.put("reaper", passes.last(ReaperTick.NAME).orElse(null));
        out.put("queues", queueDepths());
        out.put("liveness", Map.of("heartbeat_seconds", liveness.heartbeatPeriod().toMillis() / 1000.0,
                "missed_heartbeats", liveness.missedHeartbeats(),
                "waiting_grace_seconds", liveness.waitingGrace().toSeconds(),
                "cancel_grace_seconds", liveness.cancelGrace().toSeconds()));
        return out;
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
