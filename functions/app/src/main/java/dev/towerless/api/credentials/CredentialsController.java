package dev.towerless.api.credentials;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.credentials.CredentialPasswords;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.security.SecretBox;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials: inputs are checked against their credential type; secret inputs are sealed before
 * they are stored, shown only as {@code $encrypted$}, and sending {@code $encrypted$} back keeps
 * the stored value (AWX's behaviour).
 */
@Controller("/api/v2/credentials")
public class CredentialsController extends ResourceController {

    public CredentialsController(ApiContext ctx) {
        super(ctx, Schemas.CREDENTIAL);
    }

    private static final String OWNER = "towerless.credential_owner";

    /**
     * AWX's CredentialSerializerCreate: exactly one owner, a user, a team or an organization (checked
     * after the policy, which judges the owner); a team's credential lives in the team's organization.
     * The user and team owners are not stored: they become roles once the credential exists.
     */
    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        Resource type = credentialType(fields.get("credential_type"));
        @SuppressWarnings("unchecked")
        Map<String, Object> inputs = sealInputs(type, (Map<String, Object>) fields.get("inputs"), Map.of());
        List<String> owners = new ArrayList<>();
        for (String f : List.of("organization", "team", "user")) {
            if (fields.get(f) != null) {
                owners.add(f);
            }
        }
        if (owners.isEmpty()) {
            throw new ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST,
                    Map.of("detail", List.of("Missing 'user', 'team', or 'organization'.")));
        }
        if (owners.size() > 1) {
            throw new ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST, Map.of("detail", List.of(
                    "Only one of 'user', 'team', or 'organization' should be provided, received "
                            + String.join(", ", owners.stream().sorted().toList()) + " fields.")));
        }
        Object user = fields.remove("user");
        Object team = fields.remove("team");
        if (user != null) {
            request.setAttribute(OWNER, Map.of("user", user));
        } else if (team != null) {
            request.setAttribute(OWNER, Map.of("team", team));
            fields.put("organization", ctx.resources().get(ResourceTypes.TEAM, ((Number) team).longValue())
                    .map(t -> t.get("organization")).orElse(null));
        }
        return Map.of("inputs", inputs, "kind", type.get("kind"));
    }

    /** AWX: a user owner becomes the credential's admin; a team's admins administer it and its members use it. */
    @Override
    protected Resource afterCreate(Resource created, HttpRequest<?> request) {
        @SuppressWarnings("unchecked")
        Map<String, Object> owner = request.getAttribute(OWNER, Map.class).orElse(null);
        if (owner == null) {
            return created;
        }
        if (owner.get("user") instanceof Number u) {
            ctx.resources().get(ResourceTypes.USER, u.longValue()).ifPresent(user ->
                    memberships().grant(user, Role.of(ResourceTypes.CREDENTIAL, created.id(), RoleCatalogue.ADMIN)));
        } else if (owner.get("team") instanceof Number t) {
            ctx.resources().get(ResourceTypes.TEAM, t.longValue()).ifPresent(team -> {
                memberships().grantToTeamAdmins(team, Role.of(ResourceTypes.CREDENTIAL, created.id(), RoleCatalogue.ADMIN));
                memberships().grantToTeam(team, Role.of(ResourceTypes.CREDENTIAL, created.id(), RoleCatalogue.USE));
            });
        }
        return created;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        changes.remove("user"); // owners are given on creation only, as in AWX
        changes.remove("team");
        Object typeId = changes.getOrDefault("credential_type", existing.get("credential_type"));
        Resource type = credentialType(typeId);
        Map<String, Object> out = new LinkedHashMap<>();
        if (changes.containsKey("inputs")) {
            out.put("inputs", sealInputs(type, (Map<String, Object>) changes.get("inputs"),
                    (Map<String, Object>) existing.fields().getOrDefault("inputs", Map.of())));
        }
        out.put("kind", type.get("kind"));
        return out;
    }

    private Resource credentialType(Object id) {
        return ctx.resources().get(ResourceTypes.CREDENTIAL_TYPE, ((Number) id).longValue()).orElseThrow(() ->
                ApiException.field("credential_type", "Invalid pk \"" + id + "\" - object does not exist."));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> sealInputs(Resource type, Map<String, Object> given, Map<String, Object> stored) {
        Map<String, Map<String, Object>> specs = new LinkedHashMap<>();
        Object fields = ((Map<String, Object>) type.fields().getOrDefault("inputs", Map.of())).get("fields");
        if (fields instanceof List<?> list) {
            for (Object f : list) {
                Map<String, Object> spec = (Map<String, Object>) f;
                specs.put((String) spec.get("id"), spec);
            }
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Map<String, Object> out = new LinkedHashMap<>();
        given.forEach((k, v) -> {
            Map<String, Object> spec = specs.get(k);
            if (spec == null) {
                errors.put(k, List.of("'" + k + "' is not a valid field for " + type.name() + "."));
                return;
            }
            if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
                errors.put(k, List.of("Not a valid string."));
                return;
            }
            String text = v == null ? "" : v.toString();
            boolean secret = Boolean.TRUE.equals(spec.get("secret"));
            if (secret && SecretBox.ENCRYPTED.equals(text)) {
                if (stored.containsKey(k)) {
                    out.put(k, stored.get(k));
                }
            } else if (secret && CredentialPasswords.ASK.equals(text) && CredentialPasswords.askable(type, k)) {
                out.put(k, text); // kept as AWX keeps it: whoever launches types the value
            } else if (secret && !text.isEmpty()) {
                out.put(k, ctx.secrets().seal(text));
            } else {
                out.put(k, text);
            }
        });
        if (type.flag("managed") && specs.containsKey("ssh_key_unlock")) {
            Map<String, Object> plain = new LinkedHashMap<>();
            out.forEach((k, v) -> plain.put(k, SecretBox.isSealed(v) ? ctx.secrets().open((String) v) : v));
            CredentialPasswords.keyProblems(plain).forEach(errors::putIfAbsent);
        }
        if (!errors.isEmpty()) {
            throw new ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST, Map.of("inputs", errors));
        }
        return out;
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        @SuppressWarnings("unchecked")
        Map<String, Object> inputs = (Map<String, Object>) r.fields().getOrDefault("inputs", Map.of());
        Map<String, Object> shown = new LinkedHashMap<>();
        inputs.forEach((k, v) -> shown.put(k, SecretBox.isSealed(v) ? SecretBox.ENCRYPTED : v));
        out.put("inputs", shown);
        out.put("kind", r.fields().getOrDefault("kind", ""));
        out.put("cloud", false);
        out.put("kubernetes", false);
        out.put("managed", r.flag("managed"));
    }

    @Override
    protected boolean copyable() {
        return true;
    }
}
