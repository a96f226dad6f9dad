package dev.towerless.api.organizations;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import java.util.Map;

/** {@code users/}: accounts, their passwords (stored hashed) and their roles. */
@Controller("/api/v2/users")
public class UsersController extends ResourceController {
    public UsersController(ApiContext ctx) {
        super(ctx, Schemas.USER);
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        if (ctx.resources().findByName(ResourceTypes.USER, (String) fields.get("username")).isPresent()) {
            throw ApiException.field("username", "A user with that username already exists.");
        }
        return passwordHash(fields.get("password"));
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        Object password = changes.remove("password");
        return password == null || "$encrypted$".equals(password) ? Map.of() : passwordHash(password);
    }

    private static Map<String, Object> passwordHash(Object password) {
        return password == null || password.toString().isEmpty() ? Map.of()
                : Map.of("password", dev.towerless.core.security.Passwords.hash(password.toString()));
    }
}
