package dev.towerless.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Runs in a fresh JVM whose classpath is the Lambda jar and this one class (ColdStartBenchmark
 * copies it out): what Lambda's Java runtime does for a cold start. It constructs the handler (the
 * init phase: Micronaut's context and every bean the handler injects), optionally runs the
 * SnapStart priming hook (what the checkpoint would run before the snapshot), then sends the first
 * event and a second one, and prints {@code init_ms first_ms second_ms} measured from the JVM's
 * start. Only JDK, Jackson and aws-lambda-java-core/events classes: all are in the Lambda jar.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        String eventClass = args[1];
        String eventJson = args[2];
        boolean prime = Boolean.parseBoolean(args[3]);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();

        Object handler = Class.forName(handlerClass).getConstructor().newInstance();
        if (prime) {
            Method getContext = handler.getClass().getMethod("getApplicationContext");
            Object context = getContext.invoke(handler);
            Class<?> priming = Class.forName("dev.towerless.handlers.SnapStartPriming");
            Object bean = context.getClass().getMethod("getBean", Class.class).invoke(context, priming);
            priming.getMethod("primeOnce").invoke(bean);
        }
        long init = System.currentTimeMillis() - jvmStart;

        ObjectMapper json = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        Class<?> type = Class.forName(eventClass);
        Method handle = handler.getClass().getMethod("handleRequest", Object.class, Context.class);
        Context lambda = (Context) Proxy.newProxyInstance(ColdStartProbe.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, a) -> switch (method.getName()) {
                    case "getAwsRequestId" -> "cold-start-bench";
                    case "getFunctionName" -> "towerless-bench";
                    case "getRemainingTimeInMillis" -> 60_000;
                    case "getMemoryLimitInMB" -> 1536;
                    case "getLogger" -> (LambdaLogger) Proxy.newProxyInstance(ColdStartProbe.class.getClassLoader(),
                            new Class<?>[]{LambdaLogger.class}, (p, m, x) -> null);
                    default -> null;
                });
        long before = System.currentTimeMillis();
        handle.invoke(handler, json.readValue(eventJson, type), lambda);
        long first = System.currentTimeMillis() - before;
        before = System.currentTimeMillis();
        handle.invoke(handler, json.readValue(eventJson, type), lambda);
        long second = System.currentTimeMillis() - before;
        System.out.println("COLD-START " + init + " " + first + " " + second);
        System.exit(0);
    }
}
