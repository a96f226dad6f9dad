package dev.towerless.api.access;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.organizations.UsersController;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleAccess;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.access.RoleDefinition;
import dev.towerless.core.access.UserFields;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code <model>/N/object_roles/} (every role of an object) and {@code <model>/N/access_list/}
 * (every user holding one of them, and how: granted directly, through a team, or implied by a role
 * elsewhere such as the organization's admin), for the eight models with roles.
 */
@Controller("/api/v2")
public class ObjectRolesController {
    private final ApiContext ctx;
    private final UsersController users;

    public ObjectRolesController(ApiContext ctx, UsersController users) {
        this.ctx = ctx;
        this.users = users;
    }

    @Get("/{models}/{id}/object_roles/")
    public HttpResponse<String> objectRoles(@PathVariable String models, @PathVariable String id, HttpRequest<?> request) {
        Access access = AuthFilter.access(request);
        Resource object = object(models, id, access);
        List<Map<String, Object>> rendered = RoleCatalogue.rolesOf(object.type()).stream()
                .map(d -> RoleViews.render(Role.of(object.type(), object.id(), d.field()), access)).toList();
        return page(request, rendered);
    }

    @Get("/{models}/{id}/access_list/")
    public HttpResponse<String> accessList(@PathVariable String models, @PathVariable String id, HttpRequest<?> request) {
        Access access = AuthFilter.access(request);
        Resource object = object(models, id, access);
        Views views = new Views(ctx, access);
        List<Map<String, Object>> rendered = new ArrayList<>();
        if (!ResourceTypes.USER.equals(object.type())) { // users carry no roles of their own
            List<Resource> everyone = ctx.resources().all(ResourceTypes.USER);
            everyone.sort(java.util.Comparator.comparing(u -> String.valueOf(u.get(UserFields.USERNAME))));
            for (Resource user : everyone) {
                accessOf(user, object, access, views).ifPresent(rendered::add);
            }
        }
        return page(request, rendered);
    }

    /** The user as AWX's ResourceAccessListElementSerializer shows them, if they hold any role of the object. */
    @SuppressWarnings("unchecked")
    private Optional<Map<String, Object>> accessOf(Resource user, Resource object, Access requester, Views views) {
        Access theirs = ctx.memberships().accessFor(user, true);
        List<Role> objectRoles = RoleCatalogue.rolesOf(object.type()).stream()
                .map(d -> Role.of(object.type(), object.id(), d.field())).toList();
        Set<Long> direct = theirs.directRoles();
        List<Map<String, Object>> directAccess = new ArrayList<>();
        List<Map<String, Object>> indirectAccess = new ArrayList<>();
        Map<Long, Role> indirect = new LinkedHashMap<>();
        for (Role r : objectRoles) {
            if (!theirs.holds(r)) {
                continue;
            }
            if (direct.contains(r.id())) {
                directAccess.add(entry(r, objectRoles, requester, null));
            } else if (theirs.heldRoles().contains(r.id())) {
                for (Resource team : teamsGranting(user, r, theirs)) {
                    directAccess.add(entry(r, objectRoles, requester, team));
                }
            }
            for (Role a : requester.ancestorsOf(r)) {
                boolean holdsIt = a.equals(Role.SYSTEM_ADMINISTRATOR) ? user.flag(UserFields.IS_SUPERUSER)
                        : a.equals(Role.SYSTEM_AUDITOR) ? user.flag(UserFields.IS_SYSTEM_AUDITOR) : theirs.heldRoles().contains(a.id());
                if (holdsIt && !(object.type().equals(a.contentType()) && a.objectId() == object.id())) {
                    indirect.putIfAbsent(a.id(), a);
                }
            }
        }
        indirect.values().forEach(a -> indirectAccess.add(entry(a, objectRoles, requester, null)));
        if (directAccess.isEmpty() && indirectAccess.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> out = users.render(user, views);
        Map<String, Object> summary = (Map<String, Object>) out.get("summary_fields");
        summary.put("direct_access", directAccess);
        summary.put("indirect_access", indirectAccess);
        return Optional.of(out);
    }

    /** The user's teams through which they hold {@code role}. */
    private List<Resource> teamsGranting(Resource user, Role role, Access theirs) {
        List<Resource> out = new ArrayList<>();
        for (Resource team : ctx.memberships().teamsGranted(role)) {
            if (theirs.holds(ResourceTypes.TEAM, team.id(), RoleCatalogue.MEMBER)) {
                out.add(team);
            }
        }
        return out;
    }

    private Map<String, Object> entry(Role role, List<Role> objectRoles, Access requester, Resource team) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("id", role.id());
        RoleDefinition d = role.definition();
        summary.put("name", d.name());
        summary.put("description", d.description());
        Map<String, Object> rendered = RoleViews.render(role, requester);
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) rendered.get("summary_fields");
        if (!role.isSingleton()) {
            summary.put("resource_name", s.get("resource_name"));
            summary.put("resource_type", s.get("resource_type"));
        }
        summary.put("related", rendered.get("related"));
        summary.put("user_capabilities", Map.of("unattach", !role.isSingleton()
                && RoleAccess.canGrantNew(requester, role, null)));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("role", summary);
        List<String> descendants = new ArrayList<>();
        for (Role r : objectRoles) {
            if (requester.ancestorsOf(r).contains(role)) {
                descendants.add(r.field());
            }
        }
        entry.put("descendant_roles", descendants);
        if (team != null) {
            entry.put("team_id", team.id());
            entry.put("team_name", team.name());
            entry.put("team_organization_name", team.reference("organization")
                    .flatMap(o -> requester.lookup().find(ResourceTypes.ORGANIZATION, o)).map(Resource::name).orElse(""));
        }
        return entry;
    }

    /** The object of a model with roles (users too, for access_list), if the caller may see it. */
    private Resource object(String models, String id, Access access) {
        String type = Schemas.all().stream().filter(s -> s.endpoint().equals(models)).map(s -> s.type())
                .filter(t -> RoleCatalogue.hasRoles(t) || ResourceTypes.USER.equals(t)).findFirst()
                .orElseThrow(ApiException::notFound);
        Resource object = ResourceController.parseId(id).flatMap(n -> ctx.resources().get(type, n))
                .orElseThrow(ApiException::notFound);
        ApiException.require(AccessPolicies.of(type).canSee(access, object));
        return object;
    }

    private static HttpResponse<String> page(HttpRequest<?> request, List<Map<String, Object>> rendered) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }
}
