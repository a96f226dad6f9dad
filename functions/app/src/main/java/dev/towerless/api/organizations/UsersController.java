package dev.towerless.api.organizations;

import dev.towerless.api.access.Grants;
import dev.towerless.api.access.RoleViews;
import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.access.Memberships;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleAccess;
import dev.towerless.core.access.UserFields;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.security.Passwords;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import jakarta.inject.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code users/}: accounts, their passwords (stored hashed) and their roles. Only superusers create
 * users here (organization admins add them through {@code organizations/N/users/}), and only
 * superusers make superusers or system auditors.
 */
@Controller("/api/v2/users")
public class UsersController extends ResourceController {
    private final Provider<Grants> grants;

    public UsersController(ApiContext ctx, Provider<Grants> grants) {
        super(ctx, Schemas.USER);
        this.grants = grants;
    }

    /** AWX's UserPermission: a body from anyone but a superuser is refused; an empty one gets its 400s (org admins). */
    @Override
    protected void beforeCreate(Access access, Map<String, Object> input) {
        if (access.isSuperuser()) {
            return;
        }
        boolean directOrgAdmin = access.directRoles().stream().map(Role::ofId).flatMap(Optional::stream)
                .anyMatch(r -> ResourceTypes.ORGANIZATION.equals(r.contentType()) && "admin_role".equals(r.field()));
        ApiException.require(input.isEmpty() && directOrgAdmin);
    }

    /** A new user from a sub-list ({@code organizations/N/users/}): the same checks, without the top-level route's. */
    public Resource createUser(HttpRequest<?> request, Map<String, Object> input) {
        return createFrom(request, input);
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        if (ctx.resources().findByName(ResourceTypes.USER, (String) fields.get("username")).isPresent()) {
            throw ApiException.field("username", "A user with that username already exists.");
        }
        Object password = fields.get("password");
        if (password == null || password.toString().isEmpty()) {
            throw ApiException.field("password", "Password required for new User.");
        }
        return passwordHash(password);
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        Object username = changes.get(UserFields.USERNAME);
        if (username != null && !username.equals(existing.get(UserFields.USERNAME))
                && ctx.resources().findByName(ResourceTypes.USER, username.toString()).filter(u -> u.id() != existing.id()).isPresent()) {
            throw ApiException.field("username", "A user with that username already exists.");
        }
        Object password = changes.remove("password");
        return password == null || password.toString().isEmpty() || "$encrypted$".equals(password) ? Map.of() : passwordHash(password);
    }

    /** AWX's update_filter: "Cannot change is_superuser." and the like for fields only an admin or a superuser may change. */
    @Override
    protected void checkUpdate(Access access, Resource existing, Map<String, Object> input) {
        String forbidden = AccessPolicies.USERS.forbiddenChange(access, existing, input);
        if (forbidden != null) {
            throw ApiException.forbidden(forbidden);
        }
    }

    private static Map<String, Object> passwordHash(Object password) {
        return Map.of("password", Passwords.hash(password.toString()));
    }

    /** AWX: a superuser who may not delete a user (themself, the last superuser) is told so; others get the usual 403. */
    @Override
    protected void refuseDelete(Access access, Resource user) {
        throw access.isSuperuser() ? ApiException.forbidden("Cannot delete user.") : ApiException.permissionDenied();
    }

    /** The user's own roles that the caller may see (not those of their teams), each saying whether the caller may revoke it. */
    @Get("/{id}/roles/")
    public HttpResponse<String> roles(@PathVariable String id, HttpRequest<?> request) {
        Resource user = findVisible(id, request);
        Access access = AuthFilter.access(request);
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (long roleId : Memberships.directRoles(user)) {
            Role.ofId(roleId).filter(r -> ctx.resources().get(r.contentType(), r.objectId()).isPresent())
                    .filter(r -> RoleAccess.canSee(access, r))
                    .ifPresent(r -> rendered.add(RoleViews.renderWithUnattach(r, access, RoleAccess.canGrantToUser(access, r, user))));
        }
        for (Role singleton : List.of(Role.SYSTEM_ADMINISTRATOR, Role.SYSTEM_AUDITOR)) {
            if (user.flag(singleton.equals(Role.SYSTEM_ADMINISTRATOR) ? UserFields.IS_SUPERUSER : UserFields.IS_SYSTEM_AUDITOR)) {
                rendered.add(0, RoleViews.renderWithUnattach(singleton, access, access.isSuperuser()));
            }
        }
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    /** AWX: an unknown user here is a 400, and the caller needs no right to see the user beyond what granting asks. */
    @Post("/{id}/roles/")
    public HttpResponse<String> grant(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Object userId = parseId(id).isPresent() ? parseId(id).get() : id;
        Resource user = grants.get().lookup(ResourceTypes.USER, userId, "User");
        return grants.get().roleOfUser(request, user, body);
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("roles", selfUrl(r) + "roles/");
        related.put("access_list", selfUrl(r) + "access_list/");
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        out.put(UserFields.IS_SYSTEM_AUDITOR, r.flag(UserFields.IS_SYSTEM_AUDITOR));
        out.put("ldap_dn", "");
        out.put("last_login", r.get("last_login"));
        out.put("external_account", null);
        out.put("auth", List.of());
    }
}
