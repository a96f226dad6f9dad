package dev.towerless.core.concurrency;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request issues beside each other (a page's counters beside its keys, a job's output beside
 * the job) so that they cost one round trip, not one each. Their pools never queue a read: when every
 * thread is busy the caller makes the read itself, so the same reads happen one after the other and
 * a read that waits on other reads can never wait behind them.
 */
public final class SideReads {
    private SideReads() {
    }

    /** A pool of at most {@code threads} daemon threads named {@code name}, idle ones ended after 30 s. */
    public static ExecutorService pool(String name, int threads) {
        return new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** What a read issued beside another returned; its failure as the caller's own. */
    public static <T> T result(Future<T> read) {
        try {
            return read.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a read", e);
        }
    }
}
