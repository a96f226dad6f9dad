package dev.towerless.local.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HashiCorp Vault on 127.0.0.1 speaking the parts of its HTTP API that AWX's
 * {@code hashivault_kv} plugin uses: token auth ({@code X-Vault-Token}), an AppRole login, KV v1
 * reads ({@code GET /v1/<mount>/<path>}) and KV v2 reads ({@code GET /v1/<mount>/data/<path>},
 * {@code ?version=N}), with Vault's answer shapes and its 403 and 404 for a bad token or path.
 */
final class VaultKvServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final String token;
    private final Map<String, Map<String, Object>> v1 = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> v2 = new ConcurrentHashMap<>();
    private final Map<String, String> appRoles = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    VaultKvServer(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A KV v1 secret at {@code mount/path}. */
    void putV1(String mountAndPath, Map<String, Object> data) {
        v1.put(mountAndPath, data);
    }

    /** The versions of a KV v2 secret ({@code mount}, {@code path}), version 1 first. */
    void putV2(String mount, String path, List<Map<String, Object>> versions) {
        v2.put(mount + "/data/" + path, versions);
    }

    void appRole(String roleId, String secretId) {
        appRoles.put(roleId, secretId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
        try (exchange) {
            if (exchange.getRequestMethod().equals("POST") && path.matches("/v1/auth/[^/]+/login")) {
                Map<?, ?> body = JSON.readValue(exchange.getRequestBody(), Map.class);
                Object secret = appRoles.get(String.valueOf(body.get("role_id")));
                if (secret == null || !secret.equals(body.get("secret_id"))) {
                    answer(exchange, 400, Map.of("errors", List.of("invalid role or secret ID")));
                } else {
                    answer(exchange, 200, Map.of("auth", Map.of("client_token", token, "lease_duration", 60)));
                }
                return;
            }
            if (!token.equals(exchange.getRequestHeaders().getFirst("X-Vault-Token"))) {
                answer(exchange, 403, Map.of("errors", List.of("permission denied")));
                return;
            }
            String key = path.replaceFirst("^/v1/", "");
            if (v2.containsKey(key)) {
                List<Map<String, Object>> versions = v2.get(key);
                int version = query != null && query.startsWith("version=") ? Integer.parseInt(query.substring(8)) : versions.size();
                if (version < 1 || version > versions.size()) {
                    answer(exchange, 404, Map.of("errors", List.of()));
                    return;
                }
                answer(exchange, 200, Map.of("data", Map.of("data", versions.get(version - 1),
                        "metadata", Map.of("version", version, "destroyed", false))));
            } else if (v1.containsKey(key)) {
                answer(exchange, 200, Map.of("data", v1.get(key), "lease_duration", 2764800, "renewable", false));
            } else {
                answer(exchange, 404, Map.of("errors", List.of()));
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
