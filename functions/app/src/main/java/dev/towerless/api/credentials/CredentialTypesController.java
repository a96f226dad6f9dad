package dev.towerless.api.credentials;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.credentials.CustomCredentialTypes;
import dev.towerless.core.resources.FieldSpec;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceSchema;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.ValidationException;
import dev.towerless.api.dialect.Json;
import dev.towerless.core.ports.SecretLookup;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Credential types: the managed ones (AWX's catalogue, ManagedCredentialTypes) are read-only; custom
 * ones ({@code cloud} or {@code net}) define their inputs and the injectors that put them into a
 * run, as in AWX. A type in use keeps its inputs and cannot be deleted.
 */
@Controller("/api/v2/credential_types")
public class CredentialTypesController extends ResourceController {
    private static final ResourceSchema SCHEMA = new ResourceSchema(ResourceTypes.CREDENTIAL_TYPE, "credential_types",
            List.of(FieldSpec.string("name", true, null), FieldSpec.text("description"),
                    FieldSpec.choice("kind", "cloud", "cloud", "net", "ssh", "vault", "scm", "registry", "token", "insights",
                            "external", "kubernetes", "galaxy", "cryptography"),
                    FieldSpec.dict("inputs"), FieldSpec.dict("injectors")),
            ResourceSchema.CrossFieldRule.NONE);

    private final SecretLookup lookup;
    private final CredentialsController credentials;

    public CredentialTypesController(ApiContext ctx, SecretLookup lookup, CredentialsController credentials) {
        super(ctx, SCHEMA);
        this.lookup = lookup;
        this.credentials = credentials;
    }

    /** The credentials of this type the caller may see. */
    @io.micronaut.http.annotation.Get("/{id}/credentials/")
    public HttpResponse<String> credentialsOfType(@PathVariable String id, HttpRequest<?> request) {
        Resource type = findVisible(id, request);
        return credentials.listChildren(request, ctx.resources().where(ResourceTypes.CREDENTIAL, "credential_type", type.id()));
    }

    /** AWX's test view is a sub-detail with an empty serializer: a GET answers {}. */
    @io.micronaut.http.annotation.Get("/{id}/test/")
    public HttpResponse<String> testInfo(@PathVariable String id, HttpRequest<?> request) {
        findVisible(id, request);
        return dev.towerless.api.dialect.Responses.ok(Map.of());
    }

    /**
     * AWX's {@code CredentialTypeExternalTest}: tries an external type's lookup with {@code inputs}
     * and {@code metadata} before any credential is saved; 202, or 400 with what failed.
     */
    @Post("/{id}/test/")
    public HttpResponse<String> test(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource type = findVisible(id, request);
        Map<String, Object> input = Json.readObject(body);
        Map<String, String> inputs = new LinkedHashMap<>();
        if (input.get("inputs") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> inputs.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        return CredentialsController.runLookup(lookup, type, inputs, input.get("metadata"));
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        check(fields);
        return Map.of("managed", false);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        if (existing.flag("managed")) {
            throw ApiException.forbidden("Modifications not allowed for managed credential types");
        }
        if (changes.containsKey("inputs") && !changes.get("inputs").equals(existing.get("inputs")) && inUse(existing)) {
            throw ApiException.forbidden("Modifications to inputs are not allowed for credential types that are in use");
        }
        Map<String, Object> merged = new LinkedHashMap<>(existing.fields());
        merged.putAll(changes);
        check(merged);
        return Map.of();
    }

    @Override
    protected void beforeDelete(Resource resource) {
        if (resource.flag("managed")) {
            throw ApiException.forbidden("Deletion not allowed for managed credential types");
        }
        if (inUse(resource)) {
            throw ApiException.forbidden("Credential types that are in use cannot be deleted");
        }
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> fields) {
        Object kind = fields.get("kind");
        if (!"cloud".equals(kind) && !"net".equals(kind)) {
            throw ValidationException.of("kind", "Must be 'cloud' or 'net', not " + kind);
        }
        Map<String, List<String>> errors = CustomCredentialTypes.problems(
                (Map<String, Object>) fields.getOrDefault("inputs", Map.of()),
                (Map<String, Object>) fields.getOrDefault("injectors", Map.of()));
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    private boolean inUse(Resource type) {
        return !ctx.resources().where(ResourceTypes.CREDENTIAL, "credential_type", type.id()).isEmpty();
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("credentials", selfUrl(r) + "credentials/");
        if ("external".equals(r.get("kind"))) {
            related.put("test", selfUrl(r) + "test/");
        }
    }


    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        out.put("managed", r.flag("managed"));
        out.put("namespace", r.fields().getOrDefault("namespace", null));
    }
}
