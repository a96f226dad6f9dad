package dev.towerless.api.auth;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
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
        Resource user = AuthFilter.user(request);
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        List<Map<String, Object>> mine = ctx.resources().where(ResourceTypes.TOKEN, "user", user.id()).stream()
                .map(t -> render(t, null)).toList();
        ListQuery.Paged<Map<String, Object>> page = q.apply(mine, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    @Post("/")
    public HttpResponse<String> create(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, Object> input = Json.readObject(body);
        Object scope = input.getOrDefault("scope", "write");
        if (!"read".equals(scope) && !"write".equals(scope)) {
            throw ApiException.field("scope", "Must be a simple space-separated string with allowed scopes ['read', 'write'].");
        }
        Object description = input.get("description");
        Authenticator.IssuedToken issued = authenticator.issue(AuthFilter.user(request),
                description == null ? "" : description.toString(), scope.toString());
        return Responses.created(render(issued.resource(), issued.token()));
    }

    @Get("/{id}/")
    public HttpResponse<String> detail(@PathVariable String id, HttpRequest<?> request) {
        return Responses.ok(render(mine(id, request), null));
    }

    @Delete("/{id}/")
    public HttpResponse<String> delete(@PathVariable String id, HttpRequest<?> request) {
        Resource token = mine(id, request);
        ctx.resources().delete(ResourceTypes.TOKEN, token.id());
        return Responses.noContent();
    }

    private Resource mine(String id, HttpRequest<?> request) {
        Resource user = AuthFilter.user(request);
        return ResourceController.parseId(id).flatMap(n -> ctx.resources().get(ResourceTypes.TOKEN, n))
                .filter(t -> t.reference("user").orElse(-1L) == user.id() || user.flag("is_superuser"))
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
        out.put("application", null);
        out.put("expires", t.get("expires"));
        out.put("scope", t.fields().getOrDefault("scope", "write"));
        return out;
    }
}
