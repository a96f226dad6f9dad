package dev.towerless.api.auth;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.Json;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Post;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.security.Passwords;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code applications/}: AWX's OAuth2 applications, unique by name within an organization. Their
 * client id is public; a confidential one's client secret is shown once, when it is made, and
 * stored only as a digest.
 */
@Controller("/api/v2/applications")
public class ApplicationsController extends ResourceController {
    private static final String SECRET_SHOWN_ONCE = "towerless.client_secret";

    private final TokensController tokens;

    public ApplicationsController(ApiContext ctx, TokensController tokens) {
        super(ctx, Schemas.APPLICATION);
        this.tokens = tokens;
    }

    @Get("/{id}/tokens/")
    public HttpResponse<String> tokensOf(@PathVariable String id, HttpRequest<?> request) {
        return tokens.ofApplication(request, findVisible(id, request).id());
    }

    /** AWX's ApplicationOAuth2TokenList: a token of the caller's for this application. */
    @Post("/{id}/tokens/")
    public HttpResponse<String> createToken(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, Object> input = new LinkedHashMap<>(Json.readObject(body));
        input.put("application", findVisible(id, request).id());
        return tokens.create(request, Json.write(input));
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", (Passwords.newToken() + Passwords.newToken()).substring(0, 40));
        if ("confidential".equals(fields.get("client_type"))) {
            String secret = Passwords.newToken() + Passwords.newToken();
            request.setAttribute(SECRET_SHOWN_ONCE, secret);
            out.put("client_secret_digest", Passwords.tokenDigest(secret));
        }
        return out;
    }



    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("tokens", selfUrl(r) + "tokens/");
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        out.put("client_id", r.get("client_id"));
        out.put("client_secret", r.get("client_secret_digest") == null ? "" : "************");
    }

    /** The secret of an application made by this request, to show once. */
    @Override
    protected Resource afterCreate(Resource created, HttpRequest<?> request) {
        return request.getAttribute(SECRET_SHOWN_ONCE, String.class)
                .map(secret -> created.with(Map.of("client_secret_shown_once", secret))).orElse(created);
    }

    @Override
    public Map<String, Object> render(Resource r, Views views) {
        Map<String, Object> out = super.render(r, views);
        if (r.get("client_secret_shown_once") != null) {
            out.put("client_secret", r.get("client_secret_shown_once"));
        }
        return out;
    }
}
