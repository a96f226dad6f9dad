package dev.towerless.api.access;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.access.RoleDefinition;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** AWX's RoleSerializer: a role with its object's name and type, and links to its users and teams. */
public final class RoleViews {
    private RoleViews() {
    }

    public static String url(Role role) {
        return ApiContext.url("roles", role.id());
    }

    public static Map<String, Object> render(Role role, Access access) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", role.id());
        out.put("type", "role");
        out.put("url", url(role));
        Map<String, Object> related = new LinkedHashMap<>();
        related.put("users", url(role) + "users/");
        related.put("teams", url(role) + "teams/");
        Map<String, Object> summary = new LinkedHashMap<>();
        Optional<Resource> object = role.isSingleton() ? Optional.empty()
                : access.lookup().find(role.contentType(), role.objectId());
        object.ifPresent(o -> {
            related.put(o.type(), objectUrl(o));
            summary.put("resource_name", ResourceTypes.USER.equals(o.type()) ? o.get("username") : o.name());
            summary.put("resource_type", o.type());
            summary.put("resource_type_display_name", RoleCatalogue.displayName(o.type()));
            summary.put("resource_id", o.id());
        });
        out.put("related", related);
        out.put("summary_fields", summary);
        RoleDefinition d = role.definition();
        out.put("name", d.name());
        out.put("description", d.description());
        return out;
    }

    /** AWX's RoleSerializerWithParentAccess ({@code users/N/roles/}, {@code teams/N/roles/}): may the caller revoke it. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> renderWithUnattach(Role role, Access access, boolean unattach) {
        Map<String, Object> out = render(role, access);
        ((Map<String, Object>) out.get("summary_fields")).put("user_capabilities", Map.of("unattach", unattach));
        return out;
    }

    public static String objectUrl(Resource o) {
        return ApiContext.url(Schemas.forType(o.type()).map(s -> s.endpoint()).orElse(o.type() + "s"), o.id());
    }
}
