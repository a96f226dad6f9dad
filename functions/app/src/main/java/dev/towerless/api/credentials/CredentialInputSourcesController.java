package dev.towerless.api.credentials;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.credentials.InputSources;
import dev.towerless.core.resources.FieldSpec;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceSchema;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AWX's credential input sources: one input of a target credential read at launch, on the
 * control plane, from an external store through a lookup credential (the source). Who may
 * create one is AWX's rule (admin of the target, use of the source); the runner receives the
 * value, never the source credential (docs/security.md).
 */
@Controller("/api/v2/credential_input_sources")
public class CredentialInputSourcesController extends ResourceController {
    static final ResourceSchema SCHEMA = new ResourceSchema(ResourceTypes.CREDENTIAL_INPUT_SOURCE, "credential_input_sources",
            List.of(FieldSpec.text("description"), FieldSpec.string("input_field_name", true, null), FieldSpec.dict("metadata"),
                    FieldSpec.reference("target_credential", ResourceTypes.CREDENTIAL, true),
                    FieldSpec.reference("source_credential", ResourceTypes.CREDENTIAL, true)),
            ResourceSchema.CrossFieldRule.NONE);

    public CredentialInputSourcesController(ApiContext ctx) {
        super(ctx, SCHEMA);
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        check(fields, null);
        return Map.of();
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        Map<String, Object> merged = new LinkedHashMap<>(existing.fields());
        merged.putAll(changes);
        check(merged, existing);
        return Map.of();
    }

    /** AWX's clean_* rules and unique_together (target_credential, input_field_name). */
    @SuppressWarnings("unchecked")
    private void check(Map<String, Object> fields, Resource existing) {
        Resource target = credential(fields.get("target_credential"), "target_credential");
        Resource source = credential(fields.get("source_credential"), "source_credential");
        String field = String.valueOf(fields.get("input_field_name"));
        Map<String, Object> errors = InputSources.problems(type(target), type(source), field,
                (Map<String, Object>) fields.getOrDefault("metadata", Map.of()));
        if (!errors.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, errors);
        }
        boolean taken = ctx.resources().where(ResourceTypes.CREDENTIAL_INPUT_SOURCE, "target_credential", target.id()).stream()
                .anyMatch(s -> (existing == null || s.id() != existing.id()) && field.equals(s.get("input_field_name")));
        if (taken) {
            throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("non_field_errors",
                    List.of("The fields target_credential, input_field_name must make a unique set.")));
        }
    }

    private Resource credential(Object id, String field) {
        return ctx.resources().get(ResourceTypes.CREDENTIAL, ((Number) id).longValue()).orElseThrow(() ->
                ApiException.field(field, "Invalid pk \"" + id + "\" - object does not exist."));
    }

    private Map<String, Object> type(Resource credential) {
        return credential.reference("credential_type").flatMap(t -> ctx.resources().get(ResourceTypes.CREDENTIAL_TYPE, t))
                .map(Resource::fields).orElse(Map.of());
    }

    /** The input sources of one credential (AWX's {@code credentials/N/input_sources/}). */
    List<Resource> ofTarget(long credential) {
        return ctx.resources().where(ResourceTypes.CREDENTIAL_INPUT_SOURCE, "target_credential", credential);
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        out.putIfAbsent("metadata", Map.of());
    }
}
