package dev.towerless.app;

import dev.towerless.core.ports.MessageQueue;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * A queue whose URL was not given (a function deployed without it, a hand-built test context):
 * sends are logged, not fatal, so an API call never fails for it. The work they ask for is then
 * done only when something requeues it (a stale dirty marker is requeued on read).
 */
final class UnconfiguredQueue implements MessageQueue {
    private static final Logger LOG = Logger.getLogger(UnconfiguredQueue.class.getName());
    private final String variable;

    UnconfiguredQueue(String variable) {
        this.variable = variable;
    }

    @Override
    public void send(String body) {
        LOG.warning(() -> "not sent, " + variable + " is not set: " + body);
    }

    @Override
    public void sendLater(String body, Duration delay) {
        send(body);
    }

    @Override
    public List<QueueMessage> receive(int max, Duration wait) {
        return List.of();
    }

    @Override
    public void delete(QueueMessage message) {
    }
}
