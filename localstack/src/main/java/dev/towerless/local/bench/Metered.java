package dev.towerless.local.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/** Wraps a port to count its calls and the time spent in them (what a pass waits on the store). */
final class Metered {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong nanos = new AtomicLong();

    @SuppressWarnings("unchecked")
    <T> T wrap(Class<T> port, T target) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
            }
            long t0 = System.nanoTime();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                calls.incrementAndGet();
                nanos.addAndGet(System.nanoTime() - t0);
            }
        };
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, h);
    }

    void reset() {
        calls.set(0);
        nanos.set(0);
    }
}
