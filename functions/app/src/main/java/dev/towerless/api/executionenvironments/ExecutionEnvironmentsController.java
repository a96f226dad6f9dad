package dev.towerless.api.executionenvironments;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.templates.UnifiedJobTemplatesController;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import java.util.Map;

/**
 * {@code execution_environments/}: the images jobs run in. On Fargate an execution environment is
 * the image of the runner task its jobs start from; the managed one (made at install) is the
 * runner image the stack deploys. Names are unique, as in AWX.
 */
@Controller("/api/v2/execution_environments")
public class ExecutionEnvironmentsController extends ResourceController {
    private final jakarta.inject.Provider<UnifiedJobTemplatesController> templates;

    public ExecutionEnvironmentsController(ApiContext ctx, jakarta.inject.Provider<UnifiedJobTemplatesController> templates) {
        super(ctx, Schemas.EXECUTION_ENVIRONMENT);
        this.templates = templates;
    }

    /** The templates that name this execution environment (job templates, inventory sources; projects as their default). */
    @io.micronaut.http.annotation.Get("/{id}/unified_job_templates/")
    public io.micronaut.http.HttpResponse<String> unifiedJobTemplates(@io.micronaut.http.annotation.PathVariable String id,
                                                                     HttpRequest<?> request) {
        Resource ee = findVisible(id, request);
        java.util.List<Resource> using = new java.util.ArrayList<>();
        for (String type : java.util.List.of(ResourceTypes.JOB_TEMPLATE, ResourceTypes.INVENTORY_SOURCE)) {
            using.addAll(ctx.resources().where(type, "execution_environment", ee.id()));
        }
        using.addAll(ctx.resources().where(ResourceTypes.PROJECT, "default_environment", ee.id()));
        return templates.get().listOf(request, using);
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        checkCredential(fields.get("credential"));
        return Map.of("managed", false);
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        if (changes.containsKey("credential")) {
            checkCredential(changes.get("credential"));
        }
        return Map.of();
    }


    /** AWX: an image's credential must be a container registry one. */
    private void checkCredential(Object id) {
        if (id instanceof Number n && !ctx.resources().get(ResourceTypes.CREDENTIAL, n.longValue())
                .map(c -> "registry".equals(c.get("kind"))).orElse(false)) {
            throw ApiException.field("credential", "Credential must be a Container Registry type.");
        }
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("unified_job_templates", selfUrl(r) + "unified_job_templates/");
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        out.put("managed", r.flag("managed"));
    }
}
