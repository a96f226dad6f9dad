package dev.towerless.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.sns.SnsTopic;
import dev.towerless.aws.sqs.SqsMessageQueue;
import dev.towerless.core.launch.WakeMessage;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.local.Provisioner;
import dev.towerless.local.SharedEmulators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lifecycle topic fans out to the wake queue, raw, as the CDK stack subscribes it. */
class FauxqsTopicTest {

    @Test
    void aPublishedLifecycleEventReachesTheSubscribedWakeQueueUnwrapped() {
        String prefix = SharedEmulators.uniquePrefix();
        var sqs = SharedEmulators.sqs();
        Provisioner.Provisioned p = Provisioner.createMessaging(sqs, SharedEmulators.sns(), prefix);
        new SnsTopic(SharedEmulators.sns(), p.topicArn(Messaging.LIFECYCLE)).publish(WakeMessage.jobFinished(42, "successful"));
        MessageQueue wake = new SqsMessageQueue(sqs, p.queueUrl(Messaging.WAKE));
        List<MessageQueue.QueueMessage> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 5_000;
        while (got.isEmpty() && System.currentTimeMillis() < deadline) {
            got.addAll(wake.receive(10, Duration.ofSeconds(1)));
        }
        assertThat(got).extracting(MessageQueue.QueueMessage::body)
                .containsExactly("{\"reason\":\"job_finished\",\"job_id\":42,\"status\":\"successful\"}");
    }
}
