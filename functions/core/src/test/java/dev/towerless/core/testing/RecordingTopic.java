package dev.towerless.core.testing;

import dev.towerless.core.ports.Topic;
import java.util.ArrayList;
import java.util.List;

/** Remembers what was published. */
public final class RecordingTopic implements Topic {
    public final List<String> published = new ArrayList<>();

    @Override
    public synchronized void publish(String message) {
        published.add(message);
    }
}
