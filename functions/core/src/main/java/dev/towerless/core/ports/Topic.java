package dev.towerless.core.ports;

/** A fan-out topic (job lifecycle, housekeeping): every subscribed queue gets each message. */
public interface Topic {
    void publish(String message);
}
