package dev.towerless.api.templates;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.Responses;
import dev.towerless.core.access.ModelAccess;
import dev.towerless.core.launch.Survey;
import dev.towerless.core.resources.Resource;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import java.util.Collections;
import java.util.Map;

/**
 * A template's {@code survey_spec/} (job templates and workflow templates alike): read it with
 * the template, change or remove it with the right to change the template.
 */
public final class SurveySpecs {
    private SurveySpecs() {
    }

    public static HttpResponse<String> get(Resource template) {
        Object spec = template.get("survey_spec");
        return Responses.ok(spec instanceof Map ? spec : Map.of());
    }

    public static HttpResponse<String> set(ApiContext ctx, HttpRequest<?> request, Resource template, ModelAccess policy,
                                           String body) {
        ApiException.require(policy.canChange(AuthFilter.access(request), template, Map.of("survey_spec", "")));
        Map<String, Object> spec = Survey.validateSpec(Json.readObject(body));
        Map<String, Object> after = new java.util.LinkedHashMap<>(template.fields());
        after.put("survey_spec", spec);
        dev.towerless.core.resources.ItemSize.problem(after).ifPresent(p -> {
            throw dev.towerless.core.resources.ValidationException.of("survey_spec", p.getValue());
        });
        ctx.resources().update(template.type(), template.id(), Map.of("survey_spec", spec));
        return Responses.ok(Map.of());
    }

    public static HttpResponse<String> delete(ApiContext ctx, HttpRequest<?> request, Resource template, ModelAccess policy) {
        ApiException.require(policy.canChange(AuthFilter.access(request), template, Map.of("survey_spec", "")));
        ctx.resources().update(template.type(), template.id(), Collections.singletonMap("survey_spec", null));
        return Responses.ok(Map.of());
    }
}
