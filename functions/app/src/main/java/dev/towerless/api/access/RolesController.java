package dev.towerless.api.access;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.organizations.TeamsController;
import dev.towerless.api.organizations.UsersController;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleAccess;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.access.RoleDefinition;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWX's {@code roles/}: every role the caller may see, each role's direct members
 * ({@code users/}) and the teams granted it ({@code teams/}), and granting and revoking through
 * both. What the awx.awx {@code role} module drives.
 */
@Controller("/api/v2/roles")
public class RolesController {
    private final ApiContext ctx;
    private final Grants grants;
    private final UsersController users;
    private final TeamsController teams;

    public RolesController(ApiContext ctx, Grants grants, UsersController users, TeamsController teams) {
        this.ctx = ctx;
        this.grants = grants;
        this.users = users;
        this.teams = teams;
    }

    /**
     * The roles of every object the caller may see, and the two system roles; AWX's filters
     * {@code role_field} and {@code content_type__model} narrow them before the usual ones.
     */
    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        Views views = Views.of(ctx, request);
        Access access = views.access();
        Map<String, List<String>> params = new LinkedHashMap<>(request.getParameters().asMap());
        List<String> fields = params.remove("role_field");
        List<String> models = params.remove("content_type__model");
        List<Role> roles = new ArrayList<>();
        if (models == null) {
            roles.add(Role.SYSTEM_ADMINISTRATOR);
            roles.add(Role.SYSTEM_AUDITOR);
        }
        for (String type : RoleCatalogue.TYPES) {
            if (models != null && !models.contains(type.replace("_", ""))) {
                continue;
            }
            for (Resource o : visible(access, type)) {
                for (RoleDefinition d : RoleCatalogue.rolesOf(type)) {
                    roles.add(Role.of(type, o.id(), d.field()));
                }
            }
        }
        List<Map<String, Object>> rendered = roles.stream()
                .filter(r -> fields == null || fields.contains(r.field()))
                .map(r -> RoleViews.render(r, access)).toList();
        ListQuery q = ListQuery.parse(params);
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    private List<Resource> visible(Access access, String type) {
        var policy = AccessPolicies.of(type);
        List<Resource> candidates = access.readsAll() ? ctx.resources().all(type)
                : policy.candidates(access).map(ids -> List.copyOf(ctx.resources().getMany(type, ids).values()))
                .orElseGet(() -> ctx.resources().all(type));
        return candidates.stream().filter(o -> policy.canSee(access, o))
                .sorted(java.util.Comparator.comparingLong(Resource::id)).toList();
    }

    @Get("/{id}/")
    public HttpResponse<String> detail(@PathVariable String id, HttpRequest<?> request) {
        Access access = AuthFilter.access(request);
        return Responses.ok(RoleViews.render(visibleRole(id, access), access));
    }

    /** The role's direct members, by username (not limited to the users the caller may see, as in AWX). */
    @Get("/{id}/users/")
    public HttpResponse<String> roleUsers(@PathVariable String id, HttpRequest<?> request) {
        Role role = visibleRole(id, AuthFilter.access(request));
        return users.listOf(request, ctx.memberships().directMembers(role), Views.of(ctx, request));
    }

    @Post("/{id}/users/")
    public HttpResponse<String> grantToUser(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, Object> input = Json.readObject(body);
        Object userId = input.get("id");
        if (userId != null && !Boolean.FALSE.equals(userId)) {
            grants.lookup(ResourceTypes.USER, userId, "User"); // AWX looks the user up before the role
        }
        Role role = visibleRole(id, AuthFilter.access(request));
        return grants.userRole(request, role, body, false);
    }

    @Get("/{id}/teams/")
    public HttpResponse<String> roleTeams(@PathVariable String id, HttpRequest<?> request) {
        Role role = visibleRole(id, AuthFilter.access(request));
        return teams.listOf(request, ctx.memberships().teamsGranted(role), Views.of(ctx, request));
    }

    /** AWX checks the team first, then the role; here a revoke needs {@code disassociate} to be truthy. */
    @Post("/{id}/teams/")
    public HttpResponse<String> grantToTeam(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, Object> input = Json.readObject(body);
        Object teamId = input.get("id");
        if (teamId == null || Boolean.FALSE.equals(teamId) || teamId instanceof Number n && n.longValue() == 0) {
            throw Grants.message("Team 'id' field is missing.");
        }
        Resource team = grants.lookup(ResourceTypes.TEAM, teamId, "Team");
        Role role = existingRole(id);
        Object disassociate = input.get("disassociate");
        boolean revoke = disassociate != null && !Boolean.FALSE.equals(disassociate) && !"".equals(disassociate)
                && !(disassociate instanceof Number n && n.intValue() == 0);
        return grants.teamRole(request, role, team, input, revoke);
    }

    private Role existingRole(String id) {
        Optional<Role> role = dev.towerless.api.dialect.ResourceController.parseId(id).flatMap(Role::ofId)
                .filter(r -> r.isSingleton() || ctx.resources().get(r.contentType(), r.objectId()).isPresent());
        return role.orElseThrow(ApiException::notFound);
    }

    private Role visibleRole(String id, Access access) {
        Role role = existingRole(id);
        ApiException.require(RoleAccess.canSee(access, role));
        return role;
    }
}
