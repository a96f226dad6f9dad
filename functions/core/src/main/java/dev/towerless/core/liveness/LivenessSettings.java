package dev.towerless.core.liveness;

import java.time.Duration;

/**
 * How often runners prove they are alive, and how long the reaper waits before it gives up on
 * them. A runner is lost after {@code missedHeartbeats} periods of silence (AWX: 2 missed
 * 60 s heartbeats); a waiting job must be claimed within {@code waitingGrace} (AWX: 360 s,
 * which also covers a Fargate task's provisioning); a cancel must be acknowledged within
 * {@code cancelGrace}.
 */
public record LivenessSettings(Duration heartbeatPeriod, int missedHeartbeats, Duration waitingGrace,
                               Duration cancelGrace) {

    public static LivenessSettings defaults() {
        return new LivenessSettings(Duration.ofSeconds(5), 2, Duration.ofSeconds(360), Duration.ofSeconds(60));
    }

    public Duration heartbeatGrace() {
        return heartbeatPeriod.multipliedBy(missedHeartbeats);
    }
}
