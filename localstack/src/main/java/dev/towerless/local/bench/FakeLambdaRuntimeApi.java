package dev.towerless.local.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Lambda's Runtime API (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) as far as a cold
 * start uses it, so that the real runtime interface client can run a handler here as on Lambda:
 * {@code GET /2018-06-01/runtime/invocation/next} hands out the queued events with Lambda's
 * headers (request id, deadline, function ARN, trace id) and blocks when there are none, as Lambda
 * freezes the sandbox; {@code POST .../invocation/{id}/response} and {@code .../error} record the
 * answer; {@code POST /2018-06-01/runtime/init/error} records an init failure; and with SnapStart
 * {@code GET /2018-06-01/runtime/restore/next} answers at once, standing for the checkpoint and
 * restore, which only Lambda can do. Every call is timestamped ({@link System#nanoTime}).
 */
final class FakeLambdaRuntimeApi implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime/";

    /** One call the runtime made: what, when, and the body it sent (a response or an error). */
    record Call(String what, long atNanos, String requestId, String body) {
    }

    private final HttpServer server;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final String functionName;

    FakeLambdaRuntimeApi(String functionName, List<String> events) throws IOException {
        this.functionName = functionName;
        this.events.addAll(events);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-runtime-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** What AWS_LAMBDA_RUNTIME_API holds: host and port, no scheme. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Waits until the runtime has made {@code count} calls named {@code what}, or fails. */
    void await(String what, int count, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < end) {
            List<Call> now = calls();
            if (now.stream().filter(c -> c.what().equals(what)).count() >= count) {
                return;
            }
            Call failure = now.stream().filter(c -> c.what().endsWith("error")).findFirst().orElse(null);
            if (failure != null) {
                throw new IllegalStateException("the runtime reported " + failure.what() + ": " + failure.body());
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no " + count + "× " + what + " within " + timeoutMillis + " ms; calls: " + calls());
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = System.nanoTime();
        String path = exchange.getRequestURI().getPath().substring(BASE.length());
        String method = exchange.getRequestMethod();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (method.equals("GET") && path.equals("invocation/next")) {
                calls.add(new Call("next", at, null, ""));
                String event = events.take(); // no more events: the runtime waits here, as in a frozen sandbox
                String id = UUID.randomUUID().toString();
                calls.add(new Call("event", System.nanoTime(), id, event));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", id);
                exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 60_000));
                exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:eu-west-1:123456789012:function:" + functionName);
                exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id",
                        "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0");
                send(exchange, 200, event);
            } else if (method.equals("GET") && path.equals("restore/next")) {
                calls.add(new Call("restore", at, null, ""));
                send(exchange, 200, "");
            } else if (method.equals("POST") && path.matches("invocation/[^/]+/(response|error)")) {
                String[] parts = path.split("/");
                calls.add(new Call(parts[2].equals("response") ? "response" : "invocation error", at, parts[1], body));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && (path.equals("init/error") || path.equals("restore/error"))) {
                calls.add(new Call(path.replace('/', ' '), at, null, body));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                send(exchange, 404, "{\"errorMessage\":\"not part of the Runtime API: " + method + " " + path + "\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
