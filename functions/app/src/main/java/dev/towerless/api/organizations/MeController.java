package dev.towerless.api.organizations;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.resources.Resource;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code me/}: the requesting user, in a list envelope as AWX serves it. */
@Controller("/api/v2/me")
public class MeController {
    private final ApiContext ctx;
    private final UsersController users;

    public MeController(ApiContext ctx, UsersController users) {
        this.ctx = ctx;
        this.users = users;
    }

    @Get("/")
    public HttpResponse<String> me(HttpRequest<?> request) {
        Resource user = AuthFilter.user(request);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("count", 1);
        envelope.put("next", null);
        envelope.put("previous", null);
        envelope.put("results", List.of(users.render(user, Views.of(ctx, request))));
        return Responses.ok(envelope);
    }
}
