package dev.towerless.api.access;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.organizations.UsersController;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleAccess;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * Granting and revoking roles through every endpoint AWX offers for it ({@code roles/N/users/},
 * {@code roles/N/teams/}, {@code users/N/roles/}, {@code teams/N/roles/},
 * {@code organizations/N/users|admins/}, {@code teams/N/users/}), with AWX's order of checks and
 * its messages: {@code {"id": N}} grants, {@code {"id": N, "disassociate": true}} revokes (AWX reads
 * only the presence of {@code disassociate}, except on {@code roles/N/teams/}), 204 either way.
 */
@Singleton
public class Grants {
    private final ApiContext ctx;
    private final Provider<UsersController> users;

    public Grants(ApiContext ctx, Provider<UsersController> users) {
        this.ctx = ctx;
        this.users = users;
    }

    /**
     * A user into or out of {@code role}. {@code mayCreate}: a body without an id makes the user first
     * (organization and team user lists), as AWX's BaseUsersList does.
     */
    public HttpResponse<String> userRole(HttpRequest<?> request, Role role, String body, boolean mayCreate) {
        Map<String, Object> input = Json.readObject(body);
        boolean revoke = input.containsKey("disassociate");
        Object id = input.get("id");
        if (isMissing(id)) {
            if (!mayCreate) {
                throw message("User 'id' field is missing.");
            }
            if (revoke) {
                throw message("\"id\" is required to disassociate");
            }
            return createAndGrant(request, role, input);
        }
        return grantToUser(request, role, lookup(ResourceTypes.USER, id, "User"), id, revoke);
    }

    /** {@code users/N/roles/}: the role named in the body, for the user in the path. */
    public HttpResponse<String> roleOfUser(HttpRequest<?> request, Resource user, String body) {
        Map<String, Object> input = Json.readObject(body);
        Object id = input.get("id");
        if (isMissing(id)) {
            throw message("Role 'id' field is missing.");
        }
        return grantToUser(request, role(id), user, id, input.containsKey("disassociate"));
    }

    /** The checks every user grant shares, in AWX's order: the credential rules, an integer id, the right to grant. */
    private HttpResponse<String> grantToUser(HttpRequest<?> request, Role role, Resource user, Object id, boolean revoke) {
        Access access = AuthFilter.access(request);
        checkCredentialGrant(access, role, user, revoke);
        mustBeInteger(id);
        ApiException.require(RoleAccess.canGrantToUser(access, role, user));
        if (revoke) {
            ctx.memberships().revoke(user, role);
        } else {
            ctx.memberships().grant(user, role);
        }
        return Responses.noContent();
    }

    /** {@code teams/N/roles/} ({@code team} from the path) and {@code roles/N/teams/} ({@code role} from the path). */
    public HttpResponse<String> teamRole(HttpRequest<?> request, Role role, Resource team, Map<String, Object> input,
                                         boolean revoke) {
        Access access = AuthFilter.access(request);
        refuseOrganizationParticipation(role);
        if (ResourceTypes.CREDENTIAL.equals(role.contentType())) {
            Optional<Long> org = access.lookup().find(ResourceTypes.CREDENTIAL, role.objectId()).flatMap(c -> c.reference("organization"));
            if (org.isEmpty() || !org.equals(team.reference("organization"))) {
                throw message("You cannot grant credential access to a team when the Organization field isn't set, "
                        + "or belongs to a different organization");
            }
        }
        if (role.isSingleton() && !revoke) {
            throw message("You cannot grant system-level permissions to a team.");
        }
        ApiException.require(RoleAccess.canGrantToTeam(access, role, team));
        if (revoke) {
            ctx.memberships().revokeFromTeam(team, role);
        } else {
            ctx.memberships().grantToTeam(team, role);
        }
        return Responses.noContent();
    }

    /** An organization's member and admin roles go to users only. */
    public static void refuseOrganizationParticipation(Role role) {
        if (ResourceTypes.ORGANIZATION.equals(role.contentType())
                && (RoleCatalogue.ADMIN.equals(role.field()) || RoleCatalogue.MEMBER.equals(role.field()))) {
            throw message("You cannot assign an Organization participation role as a child role for a Team.");
        }
    }

    /** The role an id names, its object existing: else AWX's 400. */
    public Role role(Object id) {
        Optional<Role> role = id instanceof Number n ? Role.ofId(n.longValue()) : parseLong(id).flatMap(Role::ofId);
        if (role.isEmpty() || !role.get().isSingleton()
                && ctx.resources().get(role.get().contentType(), role.get().objectId()).isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("detail", "Role matching query does not exist."));
        }
        return role.get();
    }

    public Resource lookup(String type, Object id, String model) {
        Optional<Long> n = id instanceof Number num ? Optional.of(num.longValue()) : parseLong(id);
        return n.flatMap(i -> ctx.resources().get(type, i)).orElseThrow(() ->
                new ApiException(HttpStatus.BAD_REQUEST, Map.of("detail", model + " matching query does not exist.")));
    }

    private HttpResponse<String> createAndGrant(HttpRequest<?> request, Role role, Map<String, Object> input) {
        Access access = AuthFilter.access(request);
        Resource created = users.get().createUser(request, input);
        // The new user has no roles yet; granting needs no right to see them (AWX skips that check here).
        if (!RoleAccess.canGrantNew(access, role, created)) {
            ctx.resources().delete(ResourceTypes.USER, created.id()); // AWX rolls the creation back with the request
            throw ApiException.permissionDenied();
        }
        ctx.memberships().grant(created, role);
        Resource stored = ctx.resources().get(ResourceTypes.USER, created.id()).orElse(created);
        return Responses.created(users.get().render(stored, new dev.towerless.api.dialect.Views(ctx, access)))
                .header("Location", ApiContext.url("users", created.id()));
    }

    /** AWX's rules for credential roles granted to users: within the credential's organization, and private ones only by superusers. */
    private void checkCredentialGrant(Access access, Role role, Resource user, boolean revoke) {
        if (!ResourceTypes.CREDENTIAL.equals(role.contentType())) {
            return;
        }
        Optional<Long> org = access.lookup().find(ResourceTypes.CREDENTIAL, role.objectId()).flatMap(c -> c.reference("organization"));
        if (!revoke && org.isPresent()
                && !ctx.memberships().accessFor(user, true).holds(ResourceTypes.ORGANIZATION, org.get(), RoleCatalogue.MEMBER)) {
            throw message("You cannot grant credential access to a user not in the credentials' organization");
        }
        if (org.isEmpty() && !access.isSuperuser()) {
            throw message("You cannot grant private credential access to another user");
        }
    }

    private static boolean isMissing(Object id) {
        return id == null || Boolean.FALSE.equals(id) || "".equals(id) || id instanceof Number n && n.longValue() == 0;
    }

    private static void mustBeInteger(Object id) {
        if (!(id instanceof Integer || id instanceof Long)) {
            throw message("\"id\" field must be an integer.");
        }
    }

    private static Optional<Long> parseLong(Object id) {
        try {
            return id == null ? Optional.empty() : Optional.of(Long.parseLong(id.toString().trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static ApiException message(String text) {
        return new ApiException(HttpStatus.BAD_REQUEST, Map.of("msg", text));
    }
}
