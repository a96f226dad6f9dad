package dev.towerless.core.ports;

/** A conditional write lost: the item exists already, or changed since it was read. */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
