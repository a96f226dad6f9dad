package dev.towerless.api.auth;

import dev.towerless.api.dialect.Responses;
import dev.towerless.core.resources.Resource;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;
import java.util.Set;

/** Every API call but the root and ping needs a valid token or username and password (401 otherwise). */
@ServerFilter("/api/**")
public class AuthFilter {
    public static final String USER_ATTRIBUTE = "towerless.user";
    private static final Set<String> PUBLIC = Set.of("/api", "/api/v2", "/api/v2/ping");

    private final Authenticator authenticator;
    private final dev.towerless.app.Bootstrap bootstrap;
    private final dev.towerless.aws.config.TowerlessConfig config;

    public AuthFilter(Authenticator authenticator, dev.towerless.app.Bootstrap bootstrap, dev.towerless.aws.config.TowerlessConfig config) {
        this.authenticator = authenticator;
        this.bootstrap = bootstrap;
        this.config = config;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        bootstrap.ensureOnce(() -> config.adminPasswordArn().map(arn ->
                dev.towerless.aws.config.AwsClients.secretValue(config.region(), arn)));
        String path = request.getPath();
        String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (PUBLIC.contains(normalized)) {
            return null;
        }
        String authorization = request.getHeaders().get("Authorization");
        var user = authenticator.authenticate(authorization);
        if (user.isEmpty()) {
            String detail = authorization == null ? "Authentication credentials were not provided."
                    : "Invalid username/password or token.";
            return Responses.json(HttpStatus.UNAUTHORIZED, Map.of("detail", detail))
                    .header("WWW-Authenticate", "Bearer realm=\"api\" insufficient_scope");
        }
        request.setAttribute(USER_ATTRIBUTE, user.get());
        return null;
    }

    public static Resource user(HttpRequest<?> request) {
        return request.getAttribute(USER_ATTRIBUTE, Resource.class)
                .orElseThrow(() -> new IllegalStateException("request passed without authentication"));
    }
}
