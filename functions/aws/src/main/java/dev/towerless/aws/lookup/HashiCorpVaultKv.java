package dev.towerless.aws.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.core.ports.SecretLookup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * AWX's {@code hashivault_kv} backend over Vault's HTTP API: a token (or an AppRole login) and a
 * read of {@code /v1/<mount>/<path>} (KV v1) or {@code /v1/<mount>/data/<path>} (KV v2, with an
 * optional version), then the key's value. As in AWX, redirects are not followed, 412 (Vault
 * Enterprise's eventual consistency) is retried, and a failure says only its HTTP status: a
 * response body is never shown.
 */
public final class HashiCorpVaultKv {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    String lookup(Map<String, String> in, Map<String, String> metadata) throws SecretLookup.Failed {
        String url = in.getOrDefault("url", "");
        if (url.isEmpty()) {
            throw new SecretLookup.Failed("The Vault server URL is required.");
        }
        HttpClient client = client(in.get("cacert"));
        String token = token(client, in, metadata);
        String secretPath = metadata.getOrDefault("secret_path", "");
        String backend = metadata.getOrDefault("secret_backend", "");
        String key = metadata.getOrDefault("secret_key", "");
        boolean v2 = "v2".equals(in.getOrDefault("api_version", "v1"));
        List<String> segments = new ArrayList<>(List.of("v1"));
        if (v2) {
            if (!backend.isEmpty()) {
                segments.addAll(List.of(backend, "data", secretPath));
            } else { // the first segment of the path is the mount
                List<String> parts = new ArrayList<>(Arrays.stream(secretPath.split("/")).filter(p -> !p.isEmpty()).toList());
                String mount = parts.isEmpty() ? secretPath : parts.remove(0);
                segments.add(mount);
                segments.add("data");
                segments.addAll(parts);
            }
        } else {
            if (!backend.isEmpty()) {
                segments.add(backend);
            }
            segments.add(secretPath);
        }
        String path = String.join("/", segments).replaceAll("/{2,}", "/").replaceAll("/+$", "");
        String version = metadata.getOrDefault("secret_version", "");
        URI target = URI.create(url).resolve(path + (v2 && !version.isEmpty()
                ? "?version=" + URLEncoder.encode(version, StandardCharsets.UTF_8) : ""));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(TIMEOUT).GET()
                .header("Authorization", "Bearer " + token).header("X-Vault-Token", token);
        namespace(request, in);
        HttpResponse<String> response = send(client, request.build(), 5);
        JsonNode body = parse(response.body());
        JsonNode data = v2 ? body.path("data").path("data") : body.path("data");
        if (key.isEmpty()) {
            return data.toString();
        }
        JsonNode value = data.get(key);
        if (value == null) {
            throw new SecretLookup.Failed(key + " is not present at " + secretPath);
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    /** AWX's {@code handle_auth}: the token, else an AppRole login at the auth path. */
    private String token(HttpClient client, Map<String, String> in, Map<String, String> metadata) throws SecretLookup.Failed {
        if (!in.getOrDefault("token", "").isEmpty()) {
            return in.get("token");
        }
        if (!in.getOrDefault("role_id", "").isEmpty() && !in.getOrDefault("secret_id", "").isEmpty()) {
            String authPath = !metadata.getOrDefault("auth_path", "").isEmpty() ? metadata.get("auth_path")
                    : in.getOrDefault("default_auth_path", "approle");
            String body;
            try {
                body = JSON.writeValueAsString(Map.of("role_id", in.get("role_id"), "secret_id", in.get("secret_id")));
            } catch (IOException e) {
                throw new SecretLookup.Failed("The AppRole login could not be written.");
            }
            URI login = URI.create(in.get("url")).resolve(("v1/auth/" + authPath + "/login").replaceAll("/{2,}", "/"));
            HttpRequest.Builder request = HttpRequest.newBuilder(login).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            namespace(request, in);
            JsonNode token = parse(send(client, request.build(), 1).body()).path("auth").path("client_token");
            if (!token.isTextual()) {
                throw new SecretLookup.Failed("The AppRole login returned no client token.");
            }
            return token.asText();
        }
        if (!in.getOrDefault("kubernetes_role", "").isEmpty()) {
            throw new SecretLookup.Failed("Kubernetes authentication needs a Kubernetes service account, which Towerless "
                    + "does not run under; use a token or AppRole.");
        }
        throw new SecretLookup.Failed("Either token or AppRole/Kubernetes authentication parameters must be set");
    }

    private static void namespace(HttpRequest.Builder request, Map<String, String> in) {
        if (!in.getOrDefault("namespace", "").isEmpty()) {
            request.header("X-Vault-Namespace", in.get("namespace"));
        }
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request, int attempts) throws SecretLookup.Failed {
        try {
            HttpResponse<String> response = null;
            for (int i = 0; i < attempts; i++) {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 412) {
                    break;
                }
                Thread.sleep(1000);
            }
            if (response.statusCode() >= 300) {
                throw new SecretLookup.Failed("HTTP " + response.statusCode());
            }
            return response;
        } catch (IOException e) {
            throw new SecretLookup.Failed(e.getClass().getSimpleName() + " reaching the Vault server");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SecretLookup.Failed("interrupted");
        }
    }

    private static JsonNode parse(String body) throws SecretLookup.Failed {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new SecretLookup.Failed("The Vault server's answer is not JSON.");
        }
    }

    /** Redirects never followed (AWX's {@code allow_redirects=False}); a CA certificate, when given, is the only one trusted. */
    private static HttpClient client(String cacert) throws SecretLookup.Failed {
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (cacert != null && !cacert.isBlank()) {
            try {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(cacert.getBytes(StandardCharsets.US_ASCII)))) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, tmf.getTrustManagers(), null);
                builder.sslContext(ssl);
            } catch (Exception e) {
                throw new SecretLookup.Failed("The CA certificate could not be read.");
            }
        }
        return builder.build();
    }
}
