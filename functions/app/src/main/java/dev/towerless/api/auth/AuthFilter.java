package dev.towerless.api.auth;

import dev.towerless.api.dialect.Responses;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessDenied;
import dev.towerless.core.access.Memberships;
import dev.towerless.core.resources.Resource;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;
import java.util.Set;

/**
 * Every API call but the root and ping needs a valid token or username and password (401
 * otherwise). The request then carries the caller's {@link Access}: who they are and every role
 * they hold, read once. A token of scope {@code read} may only GET, HEAD and OPTIONS (AWX's
 * APIView.check_permissions, before any view runs).
 */
@ServerFilter("/api/**")
public class AuthFilter {
    private static final String ACCESS_ATTRIBUTE = "towerless.access";
    private static final Set<String> PUBLIC = Set.of("/api", "/api/v2", "/api/v2/ping");
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Authenticator authenticator;
    private final Memberships memberships;
    private final dev.towerless.app.Bootstrap bootstrap;
    private final dev.towerless.aws.config.TowerlessConfig config;

    public AuthFilter(Authenticator authenticator, Memberships memberships, dev.towerless.app.Bootstrap bootstrap,
                      dev.towerless.aws.config.TowerlessConfig config) {
        this.authenticator = authenticator;
        this.memberships = memberships;
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
        var who = authenticator.authenticate(authorization);
        if (who.isEmpty()) {
            // AWX: a wrong password is refused as such; an unknown token counts as no credentials at all.
            boolean basic = authorization != null && authorization.trim().toLowerCase(java.util.Locale.ROOT).startsWith("basic ");
            return Responses.json(HttpStatus.UNAUTHORIZED, Map.of("detail", basic ? "Invalid username/password."
                            : "Authentication credentials were not provided. To establish a login session, visit /api/login/."))
                    .header("WWW-Authenticate", "Bearer realm=api authorization_url=/api/o/authorize/");
        }
        if (!who.get().mayWrite() && !SAFE.contains(request.getMethod())) {
            return Responses.json(HttpStatus.FORBIDDEN, Map.of("detail", AccessDenied.GENERIC));
        }
        request.setAttribute(ACCESS_ATTRIBUTE, memberships.accessFor(who.get().user(), who.get().mayWrite()));
        return null;
    }

    /** The caller's access for this request. */
    public static Access access(HttpRequest<?> request) {
        return request.getAttribute(ACCESS_ATTRIBUTE, Access.class)
                .orElseThrow(() -> new IllegalStateException("request passed without authentication"));
    }

    public static Resource user(HttpRequest<?> request) {
        return access(request).user();
    }
}
