package dev.towerless.api.auth;

import dev.towerless.api.dialect.PrefetchHints;
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
    private static final String HINT_ATTRIBUTE = "towerless.prefetch-hint";
    private static final Set<String> PUBLIC = Set.of("/api", "/api/v2", "/api/v2/ping");
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Authenticator authenticator;
    private final Memberships memberships;
    private final dev.towerless.app.Bootstrap bootstrap;
    private final dev.towerless.aws.config.TowerlessConfig config;
    private final PrefetchHints hints;

    public AuthFilter(Authenticator authenticator, Memberships memberships, dev.towerless.app.Bootstrap bootstrap,
                      dev.towerless.aws.config.TowerlessConfig config, PrefetchHints hints) {
        this.authenticator = authenticator;
        this.memberships = memberships;
        this.bootstrap = bootstrap;
        this.config = config;
        this.hints = hints;
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
        // a GET reads, beside its token, what this user's last GET of the same URL named (PrefetchHints)
        String url = request.getMethod() == HttpMethod.GET ? urlOf(request) : null;
        var who = url == null ? authenticator.authenticate(authorization)
                : authenticator.authenticate(authorization, user -> hints.of(user, url));
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
        Access access = memberships.accessFor(who.get().user(), who.get().mayWrite());
        access.lookup().preload(who.get().hinted().resources(), who.get().read());
        access.lookup().preloadJobs(who.get().hinted().jobs(), who.get().jobs());
        access.lookup().preloadNewest(who.get().newest());
        request.setAttribute(ACCESS_ATTRIBUTE, access);
        if (url != null) {
            request.setAttribute(HINT_ATTRIBUTE, hints.recorder(who.get().user().id(), url));
        }
        return null;
    }

    private static String urlOf(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        return query == null || query.isEmpty() ? request.getPath() : request.getPath() + "?" + query;
    }

    /** Where this request's prefetches are remembered for the next GET of its URL, if it is a GET. */
    public static java.util.Optional<PrefetchHints.Recorder> hintRecorder(HttpRequest<?> request) {
        return request.getAttribute(HINT_ATTRIBUTE, PrefetchHints.Recorder.class);
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
