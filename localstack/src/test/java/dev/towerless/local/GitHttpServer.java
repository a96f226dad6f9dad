package dev.towerless.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real git smart-HTTP server for tests: git's own {@code git http-backend} (CGI) behind a small
 * HTTP server on 127.0.0.1 that demands HTTP Basic authentication with one username and
 * password. It can hold each ref advertisement for a while, so the client's processes live long
 * enough to be looked at.
 */
public final class GitHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final Path root;
    private final String expectedAuthorization;
    private final Duration advertisementDelay;
    public final AtomicInteger refused = new AtomicInteger();
    public final AtomicInteger served = new AtomicInteger();

    public GitHttpServer(Path root, String username, String password, Duration advertisementDelay) throws IOException {
        this.root = root;
        this.expectedAuthorization = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        this.advertisementDelay = advertisementDelay;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "git-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL of a repository under the root, e.g. {@code repo("sample.git")}. */
    public String repo(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"towerless-test\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            served.incrementAndGet();
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.startsWith("service=") && !advertisementDelay.isZero()) {
                Thread.sleep(advertisementDelay.toMillis());
            }
            ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
            Map<String, String> env = pb.environment();
            env.put("GIT_PROJECT_ROOT", root.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("REQUEST_METHOD", exchange.getRequestMethod());
            env.put("PATH_INFO", exchange.getRequestURI().getRawPath());
            env.put("QUERY_STRING", query == null ? "" : query);
            env.put("REMOTE_USER", "test");
            env.put("REMOTE_ADDR", "127.0.0.1");
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            env.put("CONTENT_TYPE", type == null ? "" : type);
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding != null) {
                env.put("HTTP_CONTENT_ENCODING", encoding);
            }
            String protocol = exchange.getRequestHeaders().getFirst("Git-Protocol");
            if (protocol != null) {
                env.put("GIT_PROTOCOL", protocol);
            }
            Process cgi = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = cgi.getOutputStream(); InputStream body = exchange.getRequestBody()) {
                body.transferTo(in);
            }
            byte[] out = cgi.getInputStream().readAllBytes();
            cgi.waitFor();
            respond(exchange, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** CGI output: headers (with an optional Status), a blank line, the body. */
    private static void respond(HttpExchange exchange, byte[] out) throws IOException {
        int split = -1;
        int skip = 0;
        for (int i = 0; i + 1 < out.length; i++) {
            if (out[i] == '\n' && out[i + 1] == '\n') {
                split = i;
                skip = 2;
                break;
            }
            if (i + 3 < out.length && out[i] == '\r' && out[i + 1] == '\n' && out[i + 2] == '\r' && out[i + 3] == '\n') {
                split = i;
                skip = 4;
                break;
            }
        }
        if (split < 0) {
            exchange.sendResponseHeaders(500, -1);
            return;
        }
        int status = 200;
        for (String line : new String(out, 0, split, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                exchange.getResponseHeaders().add(name, value);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(out, split + skip, out.length - split - skip);
        exchange.sendResponseHeaders(status, body.size() == 0 ? -1 : body.size());
        if (body.size() > 0) {
            exchange.getResponseBody().write(body.toByteArray());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
