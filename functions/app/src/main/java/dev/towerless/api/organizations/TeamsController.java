package dev.towerless.api.organizations;

import dev.towerless.api.access.Grants;
import dev.towerless.api.access.RoleViews;
import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.Memberships;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleAccess;
import dev.towerless.core.access.RoleCatalogue;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code teams/}: groups of users within an organization, granted roles together. Its
 * {@code users/} are the members of its member role; its {@code roles/} are what it was granted.
 */
@Controller("/api/v2/teams")
public class TeamsController extends ResourceController {
    private final UsersController users;
    private final Grants grants;

    public TeamsController(ApiContext ctx, UsersController users, Grants grants) {
        super(ctx, Schemas.TEAM);
        this.users = users;
        this.grants = grants;
    }

    /** The team's direct members that the caller may see. */
    @Get("/{id}/users/")
    public HttpResponse<String> listUsers(@PathVariable String id, HttpRequest<?> request) {
        Resource team = findVisible(id, request);
        return users.listChildren(request, ctx.memberships().directMembers(Role.of(ResourceTypes.TEAM, team.id(), RoleCatalogue.MEMBER)));
    }

    /** Adds a user to the team (or removes one); a body without an id creates the user first. */
    @Post("/{id}/users/")
    public HttpResponse<String> associateUser(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource team = findVisible(id, request);
        return grants.userRole(request, Role.of(ResourceTypes.TEAM, team.id(), RoleCatalogue.MEMBER), body, true);
    }

    /** What the team was granted (its own read role aside), as far as the caller may see. */
    @Get("/{id}/roles/")
    public HttpResponse<String> roles(@PathVariable String id, HttpRequest<?> request) {
        Resource team = findVisible(id, request);
        Access access = AuthFilter.access(request);
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (long roleId : team.references(Memberships.ROLES)) {
            Role.ofId(roleId).filter(r -> r.isSingleton() || ctx.resources().get(r.contentType(), r.objectId()).isPresent())
                    .filter(r -> RoleAccess.canSee(access, r))
                    .ifPresent(r -> rendered.add(RoleViews.renderWithUnattach(r, access, RoleAccess.canGrantToTeam(access, r, team))));
        }
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    /** Grants a role to the team (or revokes it): AWX's TeamRolesList, system roles refused both ways. */
    @Post("/{id}/roles/")
    public HttpResponse<String> grantRole(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource team = findVisible(id, request);
        Map<String, Object> input = Json.readObject(body);
        Object roleId = input.get("id");
        if (roleId == null || Boolean.FALSE.equals(roleId) || roleId instanceof Number n && n.longValue() == 0) {
            throw Grants.message("Role 'id' field is missing.");
        }
        Role role = grants.role(roleId);
        Grants.refuseOrganizationParticipation(role);
        if (role.isSingleton()) {
            throw Grants.message("You cannot grant system-level permissions to a team.");
        }
        return grants.teamRole(request, role, team, input, input.containsKey("disassociate"));
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("users", selfUrl(r) + "users/");
        related.put("roles", selfUrl(r) + "roles/");
    }
}
