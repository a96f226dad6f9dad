package dev.towerless.core.scheduling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Bounded fan-out for independent store writes and launches within one pass. With parallelism
 * 1 it runs in order on the calling thread, which keeps deterministic tests deterministic.
 */
public final class Parallel {
    private Parallel() {
    }

    public static <T, R> List<R> map(List<T> items, int parallelism, Function<T, R> f) {
        if (parallelism <= 1 || items.size() <= 1) {
            List<R> out = new ArrayList<>(items.size());
            items.forEach(i -> out.add(f.apply(i)));
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, items.size()), r -> {
            Thread t = new Thread(r, "pass-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> f.apply(item)));
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> fut : futures) {
                out.add(fut.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    public static <T> int count(List<T> items, int parallelism, Predicate<T> f) {
        return (int) map(items, parallelism, f::test).stream().filter(Boolean::booleanValue).count();
    }
}
