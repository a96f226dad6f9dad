package dev.towerless.api.organizations;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.Map;

/** {@code teams/}: groups of users within an organization, granted roles together. */
@Controller("/api/v2/teams")
public class TeamsController extends ResourceController {
    private final UsersController users;

    public TeamsController(ApiContext ctx, UsersController users) {
        super(ctx, Schemas.TEAM);
        this.users = users;
    }

    @Get("/{id}/users/")
    public HttpResponse<String> listUsers(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, find(id), "users", users);
    }

    @Post("/{id}/users/")
    public HttpResponse<String> associateUser(@PathVariable String id, @Nullable @Body String body) {
        return associate(find(id), "users", ResourceTypes.USER, body, (u, current) -> { });
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("users", selfUrl(r) + "users/");
        related.put("roles", selfUrl(r) + "roles/");
    }
}
