package dev.towerless.core.ports;

import java.util.List;

/** One page of a listing and the total number of matching items (AWX's {@code count}). */
public record Page<T>(List<T> items, long count) {
}
