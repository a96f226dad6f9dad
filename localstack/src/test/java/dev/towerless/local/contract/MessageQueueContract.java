package dev.towerless.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.core.ports.MessageQueue.QueueMessage;
import dev.towerless.local.SqsPoller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every queue backend must do: at-least-once delivery (an unacknowledged message comes
 * back), and partial batch failures (only failed messages come back).
 */
public abstract class MessageQueueContract {
    protected static final Duration VISIBILITY = Duration.ofSeconds(1);

    /** A new empty queue whose visibility timeout is {@link #VISIBILITY}. */
    protected abstract MessageQueue newQueue();

    @Test
    void aDeletedMessageIsNotDeliveredAgain() throws Exception {
        MessageQueue q = newQueue();
        q.send("{\"reason\":\"a\"}");
        List<QueueMessage> got = receiveAtLeast(q, 1);
        assertThat(got).extracting(QueueMessage::body).containsExactly("{\"reason\":\"a\"}");
        q.delete(got.get(0));
        Thread.sleep(VISIBILITY.toMillis() + 300);
        assertThat(q.receive(10, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void aMessageSentForLaterIsNotSeenBeforeItsDelay() throws Exception {
        MessageQueue q = newQueue();
        long sent = System.nanoTime();
        q.sendLater("later", Duration.ofSeconds(2));
        assertThat(q.receive(10, Duration.ofMillis(500))).as("before its delay").isEmpty();
        List<QueueMessage> got = receiveAtLeast(q, 1);
        assertThat(got).extracting(QueueMessage::body).containsExactly("later");
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void anUnacknowledgedMessageIsRedeliveredAfterItsVisibilityTimeout() throws Exception {
        MessageQueue q = newQueue();
        q.send("once");
        QueueMessage first = receiveAtLeast(q, 1).get(0);
        assertThat(q.receive(10, Duration.ZERO)).as("invisible while being handled").isEmpty();
        List<QueueMessage> again = receiveAtLeast(q, 1);
        assertThat(again.get(0).messageId()).isEqualTo(first.messageId());
        assertThat(again.get(0).receiveCount()).isGreaterThan(first.receiveCount());
    }

    @Test
    void aPartialBatchFailureRedeliversOnlyTheFailedMessages() throws Exception {
        MessageQueue q = newQueue();
        for (int i = 0; i < 5; i++) {
            q.send("m" + i);
        }
        Set<String> handled = new HashSet<>();
        SqsPoller poller = new SqsPoller("test", q, "arn:test", 10, event -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            event.getRecords().forEach(r -> {
                handled.add(r.getBody());
                if (r.getBody().equals("m1") || r.getBody().equals("m3")) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(r.getMessageId()));
                }
            });
            return new SQSBatchResponse(failures);
        });
        long deadline = System.currentTimeMillis() + 5_000;
        while (handled.size() < 5 && System.currentTimeMillis() < deadline) {
            poller.pollOnce(Duration.ofSeconds(1));
        }
        assertThat(handled).hasSize(5);
        Thread.sleep(VISIBILITY.toMillis() + 300);
        List<String> redelivered = new ArrayList<>();
        deadline = System.currentTimeMillis() + 3_000;
        while (redelivered.size() < 2 && System.currentTimeMillis() < deadline) {
            q.receive(10, Duration.ofSeconds(1)).forEach(m -> redelivered.add(m.body()));
        }
        assertThat(redelivered).containsExactlyInAnyOrder("m1", "m3");
    }

    @Test
    void aHandlerThatThrowsFailsTheWholeBatch() throws Exception {
        MessageQueue q = newQueue();
        q.send("x");
        q.send("y");
        SqsPoller poller = new SqsPoller("test", q, "arn:test", 10, event -> {
            throw new IllegalStateException("boom");
        });
        int seen = 0;
        long deadline = System.currentTimeMillis() + 5_000;
        while (seen < 2 && System.currentTimeMillis() < deadline) {
            seen += poller.pollOnce(Duration.ofSeconds(1));
        }
        Thread.sleep(VISIBILITY.toMillis() + 300);
        assertThat(receiveAtLeast(q, 2)).extracting(QueueMessage::body).containsExactlyInAnyOrder("x", "y");
    }

    protected static List<QueueMessage> receiveAtLeast(MessageQueue q, int n) {
        List<QueueMessage> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 5_000;
        while (out.size() < n && System.currentTimeMillis() < deadline) {
            out.addAll(q.receive(10, Duration.ofSeconds(1)));
        }
        return out;
    }
}
