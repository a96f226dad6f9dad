package dev.towerless.local.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/** Wraps a port to count its calls (what a pass asks of the store). */
final class Metered {
    final AtomicLong calls = new AtomicLong();

    @SuppressWarnings("unchecked")
    <T> T wrap(Class<T> port, T target) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
            }
            calls.incrementAndGet();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, h);
    }

    void reset() {
        calls.set(0);
    }
}
