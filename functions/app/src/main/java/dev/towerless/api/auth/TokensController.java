package dev.towerless.api.auth;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Personal access tokens, as {@code awx.awx} uses them: POST with basic auth returns the token
 * once; it is stored only as a digest; DELETE revokes it.
 */
@Controller("/api/v2/tokens")
public class TokensController {
    private final ApiContext ctx;
    private final Authenticator authenticator;

    public TokensController(ApiContext ctx, Authenticator authenticator) {
        this.ctx = ctx;
        this.authenticator = authenticator;
    }

    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        Access access = AuthFilter.access(request);
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        // AWX: superusers and system auditors see every token; anyone else their own.
        List<Resource> tokens = access.readsAll() ? ctx.resources().all(ResourceTypes.TOKEN)
                : ctx.resources().where(ResourceTypes.TOKEN, "user", access.userId());
        List<Map<String, Object>> mine = tokens.stream().map(t -> render(t, null)).toList();
        ListQuery.Paged<Map<String, Object>> page = q.apply(mine, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    @Post("/")
    public HttpResponse<String> create(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, Object> input = Json.readObject(body);
        Object scope = input.getOrDefault("scope", "write");
        if (!validScope(scope)) {
            throw ApiException.field("scope", "Must be a simple space-separated string with allowed scopes ['read', 'write'].");
        }
        Long application = null;
        if (input.get("application") != null) {
            Object a = input.get("application");
            Resource app = (a instanceof Number n ? ctx.resources().get(ResourceTypes.APPLICATION, n.longValue()) : java.util.Optional.<Resource>empty())
                    .filter(r -> AccessPolicies.APPLICATIONS.canSee(AuthFilter.access(request), r))
                    .orElseThrow(() -> ApiException.field("application", "Invalid pk \"" + a + "\" - object does not exist."));
            application = app.id();
        }
        Object description = input.get("description");
        Authenticator.IssuedToken issued = authenticator.issue(AuthFilter.user(request),
                description == null ? "" : description.toString(), scope.toString(), application);
        return Responses.created(render(issued.resource(), issued.token()));
    }

    /** AWX's scope: space-separated words from read and write, none twice. */
    private static boolean validScope(Object scope) {
        if (!(scope instanceof String s) || s.isBlank()) {
            return false;
        }
        List<String> words = List.of(s.trim().split("\\s+"));
        return words.stream().allMatch(w -> w.equals("read") || w.equals("write")) && words.stream().distinct().count() == words.size();
    }

    /** The tokens of an application that the caller may see (their own, or any for superusers and auditors). */
    public HttpResponse<String> ofApplication(HttpRequest<?> request, long application) {
        Access access = AuthFilter.access(request);
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        List<Map<String, Object>> shown = ctx.resources().where(ResourceTypes.TOKEN, "application", application).stream()
                .filter(t -> access.readsAll() || t.reference("user").orElse(-1L) == access.userId())
                .map(t -> render(t, null)).toList();
        ListQuery.Paged<Map<String, Object>> page = q.apply(shown, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    @Get("/{id}/")
    public HttpResponse<String> detail(@PathVariable String id, HttpRequest<?> request) {
        return Responses.ok(render(mine(id, request, AuthFilter.access(request).readsAll()), null));
    }

    @Delete("/{id}/")
    public HttpResponse<String> delete(@PathVariable String id, HttpRequest<?> request) {
        Resource token = mine(id, request, AuthFilter.access(request).isSuperuser());
        ctx.resources().delete(ResourceTypes.TOKEN, token.id());
        return Responses.noContent();
    }

    /** The caller's own token, or anyone's when {@code anyones}; others' are 404, as if they did not exist. */
    private Resource mine(String id, HttpRequest<?> request, boolean anyones) {
        Resource user = AuthFilter.user(request);
        return ResourceController.parseId(id).flatMap(n -> ctx.resources().get(ResourceTypes.TOKEN, n))
                .filter(t -> t.reference("user").orElse(-1L) == user.id() || anyones)
                .orElseThrow(ApiException::notFound);
    }

    private static Map<String, Object> render(Resource t, String plaintext) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("type", "o_auth2_access_token");
        out.put("url", ApiContext.url("tokens", t.id()));
        out.put("related", Map.of("user", ApiContext.url("users", t.reference("user").orElse(0L))));
        out.put("summary_fields", Map.of());
        out.put("created", t.get("created"));
        out.put("modified", t.get("modified"));
        out.put("description", t.fields().getOrDefault("description", ""));
        out.put("user", t.get("user"));
        out.put("token", plaintext == null ? "************" : plaintext);
        out.put("refresh_token", null);
        out.put("application", t.get("application"));
        out.put("expires", t.get("expires"));
        out.put("scope", t.fields().getOrDefault("scope", "write"));
        return out;
    }
}
