package dev.towerless.core.ports;

import java.util.List;
import java.util.function.Function;

/** One page of a listing and the total number of matching items (AWX's {@code count}). */
public record Page<T>(List<T> items, long count) {
    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), count);
    }
}
