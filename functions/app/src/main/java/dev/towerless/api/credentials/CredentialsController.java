package dev.towerless.api.credentials;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.credentials.CredentialInputs;
import dev.towerless.core.credentials.CredentialPasswords;
import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.security.SecretBox;
import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.Json;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.ports.SecretLookup;
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
import java.util.Objects;

/**
 * Credentials: inputs are checked against their credential type; secret inputs are sealed before
 * they are stored, shown only as {@code $encrypted$}, and sending {@code $encrypted$} back keeps
 * the stored value (AWX's behaviour).
 */
@Controller("/api/v2/credentials")
public class CredentialsController extends ResourceController {

    private final CredentialInputSourcesController inputSources;
    private final SecretLookup lookup;

    public CredentialsController(ApiContext ctx, CredentialInputSourcesController inputSources, SecretLookup lookup) {
        super(ctx, Schemas.CREDENTIAL);
        this.inputSources = inputSources;
        this.lookup = lookup;
    }

    /** AWX's {@code credentials/N/input_sources/}: the input sources that fill this credential. */
    @Get("/{id}/input_sources/")
    public HttpResponse<String> listInputSources(@PathVariable String id, HttpRequest<?> request) {
        Resource credential = findVisible(id, request);
        return inputSources.listChildren(request, inputSources.ofTarget(credential.id()));
    }

    /** Creates an input source of this credential (its target), as {@code credential_input_sources/} does. */
    @Post("/{id}/input_sources/")
    public HttpResponse<String> createInputSource(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource credential = findVisible(id, request);
        Map<String, Object> input = new LinkedHashMap<>(Json.readObject(body));
        input.put("target_credential", credential.id());
        return inputSources.create(request, Json.write(input));
    }

    /**
     * AWX's {@code CredentialExternalTest}: runs an external credential's lookup with its stored
     * inputs (overridden by {@code inputs} given, {@code $encrypted$} excepted) and {@code metadata};
     * 202 when it returns a value, else 400 with what failed (never the value or a response body).
     * Needs use of the credential, as in AWX.
     */
    @Post("/{id}/test/")
    @SuppressWarnings("unchecked")
    public HttpResponse<String> test(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource credential = findVisible(id, request);
        ApiException.require(AccessPolicies.CREDENTIALS.canUse(AuthFilter.access(request), credential));
        Resource type = credentialType(credential.get("credential_type"));
        Map<String, Object> input = Json.readObject(body);
        Map<String, String> inputs = new LinkedHashMap<>();
        ((Map<String, Object>) credential.fields().getOrDefault("inputs", Map.of())).forEach((k, v) -> {
            if (v != null) {
                inputs.put(k, SecretBox.isSealed(v) ? ctx.secrets().open((String) v) : String.valueOf(v));
            }
        });
        if (input.get("inputs") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> {
                if (v != null && !SecretBox.ENCRYPTED.equals(v)) {
                    inputs.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        return runLookup(lookup, type, inputs, input.get("metadata"));
    }

    /** One lookup for a {@code test/} endpoint: AWX's 202 {@code {}}, or 400 {@code {"inputs": why}}. */
    static HttpResponse<String> runLookup(SecretLookup lookup, Resource type, Map<String, String> inputs, Object metadata) {
        if (!"external".equals(type.get("kind"))) {
            throw new ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST,
                    Map.of("inputs", type.name() + " is not an external credential type."));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        if (metadata instanceof Map<?, ?> m) {
            m.forEach((k, v) -> meta.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        try {
            lookup.lookup(String.valueOf(type.get("namespace")), inputs, meta);
            return HttpResponse.<String>status(io.micronaut.http.HttpStatus.ACCEPTED).body("{}")
                    .contentType(io.micronaut.http.MediaType.APPLICATION_JSON_TYPE);
        } catch (SecretLookup.Failed e) {
            throw new ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST, Map.of("inputs", e.getMessage()));
        }
    }

    /** AWX deletes a credential's input sources with it, and those it is the source of. */
    @Override
    protected void beforeDelete(Resource resource) {
        List<Resource> sources = new ArrayList<>(inputSources.ofTarget(resource.id()));
        sources.addAll(ctx.resources().where(ResourceTypes.CREDENTIAL_INPUT_SOURCE, "source_credential", resource.id()));
        sources.forEach(s -> ctx.resources().delete(ResourceTypes.CREDENTIAL_INPUT_SOURCE, s.id()));
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("input_sources", selfUrl(r) + "input_sources/");
        if ("external".equals(r.get("kind"))) {
            related.put("test", selfUrl(r) + "test/");
        }
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
        Map<String, Object> inputs = sealInputs(type, (Map<String, Object>) fields.get("inputs"), Map.of(), true);
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
        if ("galaxy".equals(type.get("kind")) && !owners.equals(List.of("organization"))) {
            throw ApiException.field("organization", "Galaxy credentials must be owned by an Organization.");
        }
        Map<String, Object> out = new LinkedHashMap<>(typeFields(type));
        out.put("inputs", inputs);
        return out;
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
                    (Map<String, Object>) existing.fields().getOrDefault("inputs", Map.of()), false));
        }
        if ("galaxy".equals(type.get("kind")) && changes.containsKey("organization") && changes.get("organization") == null) {
            throw ApiException.field("organization", "Galaxy credentials must be owned by an Organization.");
        }
        out.putAll(typeFields(type));
        return out;
    }

    /**
     * What a credential keeps of its type: the type's kind (how runs and templates treat it) and
     * its namespace, which AWX shows as the credential's {@code kind} (null for custom types).
     */
    private static Map<String, Object> typeFields(Resource type) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", type.get("kind"));
        out.put("namespace", type.flag("managed") && type.get("namespace") != null ? type.get("namespace") : ""); // "": custom
        return out;
    }

    private Resource credentialType(Object id) {
        return ctx.resources().get(ResourceTypes.CREDENTIAL_TYPE, ((Number) id).longValue()).orElseThrow(() ->
                ApiException.field("credential_type", "Invalid pk \"" + id + "\" - object does not exist."));
    }

    /**
     * The inputs to store: each checked against the type as AWX's {@code CredentialInputField} does,
     * secrets sealed ({@code $encrypted$} keeps the stored value; on creation it is refused, as AWX
     * reserves it), booleans kept as booleans, and null or empty values replaced by AWX's defaults
     * ({@code default_for_field}).
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> sealInputs(Resource type, Map<String, Object> given, Map<String, Object> stored, boolean creating) {
        Map<String, Object> typeInputs = (Map<String, Object>) type.fields().getOrDefault("inputs", Map.of());
        Map<String, Map<String, Object>> specs = new LinkedHashMap<>();
        ManagedCredentialTypes.fields(typeInputs).forEach(spec -> specs.put(String.valueOf(spec.get("id")), spec));
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> plain = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            Map<String, Object> spec = specs.get(k);
            if (spec == null) {
                errors.put(k, List.of("'" + k + "' is not a valid field for " + type.name() + "."));
                continue;
            }
            boolean secret = Boolean.TRUE.equals(spec.get("secret"));
            if (creating && secret && SecretBox.ENCRYPTED.equals(v)) {
                throw new ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST, Map.of("inputs",
                        List.of("$encrypted$ is a reserved keyword, and cannot be used for " + k + ".")));
            }
            if (v == null || "".equals(v)) {
                v = CredentialInputs.defaultFor(spec);
            }
            if (v instanceof Map || v instanceof List) {
                errors.put(k, List.of(secret ? "secret values must be of type string, not " + (v instanceof Map ? "dict" : "list")
                        : "Not a valid string."));
                continue;
            }
            if (!"boolean".equals(spec.get("type")) && (v instanceof Number || v instanceof Boolean) && !secret) {
                v = v.toString(); // AWX's serializer reads a number or a boolean for a string field as its text
            }
            if (secret && v instanceof Number) {
                v = v.toString();
            }
            if (secret && SecretBox.ENCRYPTED.equals(v)) {
                if (stored.containsKey(k)) {
                    out.put(k, stored.get(k));
                    plain.put(k, SecretBox.isSealed(stored.get(k)) ? ctx.secrets().open((String) stored.get(k)) : stored.get(k));
                }
            } else if (secret && CredentialPasswords.ASK.equals(v) && CredentialPasswords.askable(type, k)) {
                out.put(k, v); // kept as AWX keeps it: whoever launches types the value
                plain.put(k, v);
            } else if (secret && v instanceof String text && !text.isEmpty()) {
                out.put(k, ctx.secrets().seal(text));
                plain.put(k, text);
            } else {
                out.put(k, v);
                plain.put(k, v);
            }
        }
        CredentialInputs.problems(typeInputs, type.flag("managed"), plain).forEach(errors::putIfAbsent);
        if ("vault".equals(type.get("kind")) && !creating && plain.containsKey("vault_id")
                && !Objects.equals(plain.get("vault_id"), stored.getOrDefault("vault_id", ""))) {
            throw new ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST, Map.of("inputs",
                    List.of("Vault IDs cannot be changed once they have been created.")));
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
        // AWX's Credential.kind is the type's namespace; a credential stored before it was kept shows its type's kind.
        Object namespace = r.get("namespace");
        out.put("kind", namespace == null ? r.fields().getOrDefault("kind", "") : "".equals(namespace) ? null : namespace);
        out.put("cloud", "cloud".equals(r.get("kind")));
        out.put("kubernetes", "kubernetes".equals(r.get("kind")));
        out.put("managed", r.flag("managed"));
    }

    @Override
    protected boolean copyable() {
        return true;
    }
}
