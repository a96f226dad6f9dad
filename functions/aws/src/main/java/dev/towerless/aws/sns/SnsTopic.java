package dev.towerless.aws.sns;

import dev.towerless.core.ports.Topic;
import software.amazon.awssdk.services.sns.SnsClient;

/** One SNS topic by ARN. */
public final class SnsTopic implements Topic {
    private final SnsClient sns;
    private final String topicArn;

    public SnsTopic(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void publish(String message) {
        sns.publish(r -> r.topicArn(topicArn).message(message));
    }
}
