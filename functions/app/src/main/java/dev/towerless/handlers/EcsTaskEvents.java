package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.towerless.aws.ecs.EcsRunnerLauncher;
import dev.towerless.core.liveness.Reaper;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EventBridge "ECS Task State Change" events for the runner cluster: a STOPPED runner task whose
 * job is still waiting or running is reaped at once with ECS's stoppedReason, instead of after
 * the heartbeat grace. Other events, and duplicates, change nothing.
 */
@Singleton
public class EcsTaskEvents {
    private static final Pattern STARTED_BY = Pattern.compile("towerless-job-(\\d+)");

    private final Reaper reaper;

    public EcsTaskEvents(Reaper reaper) {
        this.reaper = reaper;
    }

    public boolean handle(ScheduledEvent event) {
        Map<String, Object> detail = event.getDetail();
        if (detail == null || !"STOPPED".equals(detail.get("lastStatus"))) {
            return false;
        }
        Optional<Long> jobId = jobId(detail);
        if (jobId.isEmpty()) {
            return false;
        }
        return reaper.taskStopped(jobId.get(), String.valueOf(detail.get("taskArn")),
                detail.get("stoppedReason") == null ? null : detail.get("stoppedReason").toString(), exitCode(detail));
    }

    /** From {@code startedBy} (set by the launcher), or the container's TOWERLESS_JOB_ID override. */
    @SuppressWarnings("unchecked")
    static Optional<Long> jobId(Map<String, Object> detail) {
        Object startedBy = detail.get("startedBy");
        if (startedBy != null) {
            Matcher m = STARTED_BY.matcher(startedBy.toString());
            if (m.matches()) {
                return Optional.of(Long.parseLong(m.group(1)));
            }
        }
        if (detail.get("overrides") instanceof Map<?, ?> overrides
                && overrides.get("containerOverrides") instanceof List<?> containers) {
            for (Object c : containers) {
                if (c instanceof Map<?, ?> container && container.get("environment") instanceof List<?> env) {
                    for (Object kv : env) {
                        Map<String, Object> pair = (Map<String, Object>) kv;
                        if (EcsRunnerLauncher.JOB_ID_ENV.equals(pair.get("name"))) {
                            return Optional.of(Long.parseLong(pair.get("value").toString()));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Integer exitCode(Map<String, Object> detail) {
        if (detail.get("containers") instanceof List<?> containers) {
            for (Object c : containers) {
                if (c instanceof Map<?, ?> m && m.get("exitCode") instanceof Number n) {
                    return n.intValue();
                }
            }
        }
        return null;
    }
}
