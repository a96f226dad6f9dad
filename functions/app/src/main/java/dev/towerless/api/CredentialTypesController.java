package dev.towerless.api;

import dev.towerless.core.resources.FieldSpec;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceSchema;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import java.util.List;
import java.util.Map;

/** The built-in credential types (Machine, Source Control, Vault); read-only for now. */
@Controller("/api/v2/credential_types")
public class CredentialTypesController extends ResourceController {
    private static final ResourceSchema SCHEMA = new ResourceSchema(ResourceTypes.CREDENTIAL_TYPE, "credential_types",
            List.of(FieldSpec.string("name", true, null), FieldSpec.text("description"),
                    FieldSpec.string("kind", false, "cloud"), FieldSpec.string("namespace", false, ""),
                    FieldSpec.bool("managed", false), FieldSpec.dict("inputs"), FieldSpec.dict("injectors")),
            ResourceSchema.CrossFieldRule.NONE);

    public CredentialTypesController(ApiContext ctx) {
        super(ctx, SCHEMA);
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        throw ApiException.forbidden("Custom credential types are not supported by Towerless yet.");
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        throw ApiException.forbidden("Managed credential types cannot be modified.");
    }

    @Override
    protected void beforeDelete(Resource resource) {
        throw ApiException.forbidden("Managed credential types cannot be deleted.");
    }
}
