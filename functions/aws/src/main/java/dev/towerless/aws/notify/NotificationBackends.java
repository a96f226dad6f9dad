package dev.towerless.aws.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.core.ports.NotificationSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The notification backends, with AWX's payloads: a generic webhook (POST or PUT of the body,
 * which must be a JSON object, else {@code {}} is sent, as AWX does), Mattermost and Rocket.Chat
 * incoming webhooks, Grafana annotations, Slack's chat.postMessage, PagerDuty events, Twilio
 * SMS, and email over SMTP ({@link SmtpMailer}). Errors name the status and the address, never a
 * credential.
 */
public final class NotificationBackends implements NotificationSender {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Where the hosted services' APIs live (base URLs ending in {@code /}); tests point them at a local server. */
    public record ServiceEndpoints(String slack, String pagerDuty, String twilio) {
        public static final ServiceEndpoints PUBLIC = new ServiceEndpoints("https://slack.com/api/",
                "https://events.pagerduty.com/", "https://api.twilio.com/");
    }

    private final ServiceEndpoints endpoints;
    private final HttpClient verifying = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    public NotificationBackends() {
        this(ServiceEndpoints.PUBLIC);
    }

    public NotificationBackends(ServiceEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public int send(String type, Map<String, Object> config, String subject, String body) throws DeliveryException {
        switch (type) {
            case "webhook" -> {
                String method = String.valueOf(config.getOrDefault("http_method", "POST")).toUpperCase(java.util.Locale.ROOT);
                HttpRequest.Builder request = HttpRequest.newBuilder(uri(config.get("url")))
                        .method(method, HttpRequest.BodyPublishers.ofString(jsonObjectOrEmpty(body)));
                request.header("Content-Type", "application/json").header("User-Agent", "Towerless");
                if (config.get("headers") instanceof Map<?, ?> headers) {
                    headers.forEach((k, v) -> request.header(String.valueOf(k), String.valueOf(v)));
                }
                if (config.get("username") instanceof String user && !user.isEmpty()) {
                    String password = String.valueOf(config.getOrDefault("password", ""));
                    request.header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
                }
                return exchange(request, flag(config, "disable_ssl_verification"));
            }
            case "mattermost" -> {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("text", subject);
                putIfSet(payload, "username", config.get("mattermost_username"));
                putIfSet(payload, "channel", config.get("mattermost_channel"));
                putIfSet(payload, "icon_url", config.get("mattermost_icon_url"));
                return post(config.get("mattermost_url"), payload, Map.of(), flag(config, "mattermost_no_verify_ssl"));
            }
            case "rocketchat" -> {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("text", subject);
                putIfSet(payload, "username", config.get("rocketchat_username"));
                putIfSet(payload, "icon_url", config.get("rocketchat_icon_url"));
                return post(config.get("rocketchat_url"), payload, Map.of(), flag(config, "rocketchat_no_verify_ssl"));
            }
            case "grafana" -> {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("text", subject);
                payload.put("time", System.currentTimeMillis());
                putIfSet(payload, "dashboardId", config.get("dashboardId"));
                putIfSet(payload, "panelId", config.get("panelId"));
                if (config.get("annotation_tags") instanceof List<?> tags) {
                    payload.put("tags", tags);
                }
                String base = String.valueOf(config.get("grafana_url")).replaceAll("/+$", "");
                return post(base + "/api/annotations", payload, Map.of("Authorization", "Bearer " + config.get("grafana_key")),
                        flag(config, "grafana_no_verify_ssl"));
            }
            case "slack" -> {
                int sent = 0;
                for (String channel : strings(config.get("channels"))) {
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("channel", channel.startsWith("#") ? channel.substring(1) : channel);
                    Object color = config.get("hex_color");
                    if (color != null && !color.toString().isEmpty()) {
                        payload.put("attachments", List.of(Map.of("color", color, "text", subject)));
                    } else {
                        payload.put("text", subject);
                    }
                    String answer = postForBody(endpoints.slack() + "chat.postMessage", payload,
                            Map.of("Authorization", "Bearer " + config.get("token")));
                    try {
                        var reply = JSON.readTree(answer);
                        if (!reply.path("ok").asBoolean(false)) {
                            throw new DeliveryException("Slack refused the message to " + channel + ": "
                                    + reply.path("error").asText("no reason given"));
                        }
                    } catch (IOException e) {
                        throw new DeliveryException("Slack answered something that is not JSON for " + channel);
                    }
                    sent++;
                }
                return sent;
            }
            case "pagerduty" -> {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("service_key", config.get("service_key"));
                event.put("event_type", "trigger");
                event.put("description", subject);
                event.put("details", body);
                event.put("client", config.get("client_name"));
                return post(endpoints.pagerDuty() + "generic/2010-04-15/create_event.json", event, Map.of(), false);
            }
            case "twilio" -> {
                String sid = String.valueOf(config.get("account_sid"));
                String auth = "Basic " + Base64.getEncoder().encodeToString((sid + ":" + config.get("account_token"))
                        .getBytes(StandardCharsets.UTF_8));
                int sent = 0;
                for (String to : strings(config.get("to_numbers"))) {
                    String form = "To=" + encode(to) + "&From=" + encode(String.valueOf(config.get("from_number")))
                            + "&Body=" + encode(subject);
                    HttpRequest.Builder request = HttpRequest.newBuilder(uri(endpoints.twilio() + "2010-04-01/Accounts/"
                                    + encode(sid) + "/Messages.json"))
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", auth);
                    sent += exchange(request, false);
                }
                return sent;
            }
            case "email" -> {
                List<String> recipients = config.get("recipients") instanceof List<?> list
                        ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(config.get("recipients")));
                return SmtpMailer.send(new SmtpMailer.Settings(String.valueOf(config.get("host")),
                        number(config.get("port"), 25), config.get("username") == null ? null : String.valueOf(config.get("username")),
                        String.valueOf(config.getOrDefault("password", "")), flag(config, "use_tls"), flag(config, "use_ssl"),
                        String.valueOf(config.get("sender")), recipients, number(config.get("timeout"), 30)), subject, body);
            }
            default -> throw new DeliveryException("Towerless does not deliver " + type + " notifications.");
        }
    }

    private int post(Object url, Map<String, Object> payload, Map<String, String> headers, boolean insecure)
            throws DeliveryException {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri(url)).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(payload)))
                    .header("Content-Type", "application/json").header("User-Agent", "Towerless");
        } catch (IOException e) {
            throw new DeliveryException("could not write the message: " + e.getMessage());
        }
        headers.forEach(request::header);
        return exchange(request, insecure);
    }

    private int exchange(HttpRequest.Builder request, boolean insecure) throws DeliveryException {
        exchangeForBody(request, insecure);
        return 1;
    }

    private String postForBody(String url, Map<String, Object> payload, Map<String, String> headers) throws DeliveryException {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri(url)).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(payload)))
                    .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", "Towerless");
        } catch (IOException e) {
            throw new DeliveryException("could not write the message: " + e.getMessage());
        }
        headers.forEach(request::header);
        return exchangeForBody(request, false);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(value.toString());
    }

    /** Sends the request and returns the answer's body; a status of 300 or more is a failure. */
    private String exchangeForBody(HttpRequest.Builder request, boolean insecure) throws DeliveryException {
        HttpRequest built = request.timeout(TIMEOUT).build();
        try {
            HttpResponse<String> response = client(insecure).send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new DeliveryException("Error sending notification " + built.method() + " " + address(built.uri())
                        + ": " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new DeliveryException("Error sending notification " + built.method() + " " + address(built.uri()) + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while sending to " + address(built.uri()));
        }
    }

    /** The URL without user info or query, which may carry tokens. */
    private static String address(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath();
    }

    private static URI uri(Object url) throws DeliveryException {
        try {
            URI uri = URI.create(String.valueOf(url));
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new DeliveryException("Invalid URL for the notification: " + e.getMessage());
        }
    }

    /** AWX sends the rendered body only if it is a JSON object; anything else becomes {@code {}}. */
    static String jsonObjectOrEmpty(String body) {
        try {
            return JSON.readTree(body).isObject() ? body : "{}";
        } catch (IOException | RuntimeException e) {
            return "{}";
        }
    }

    private static void putIfSet(Map<String, Object> payload, String key, Object value) {
        if (value != null && !String.valueOf(value).isEmpty()) {
            payload.put(key, value);
        }
    }

    private static int number(Object value, int fallback) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return value == null ? fallback : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static boolean flag(Map<String, Object> config, String key) {
        return Boolean.TRUE.equals(config.get(key)) || "true".equalsIgnoreCase(String.valueOf(config.get(key)));
    }

    private HttpClient client(boolean insecure) throws DeliveryException {
        if (!insecure) {
            return verifying;
        }
        // The template asked not to verify certificates (self-signed receivers), as AWX allows.
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new DeliveryException("could not set up TLS: " + e.getMessage());
        }
    }
}
