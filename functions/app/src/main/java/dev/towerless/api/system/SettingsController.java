package dev.towerless.api.system;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.Responses;
import dev.towerless.core.settings.SystemSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2/settings/}: categories, {@code all/}; GET, PATCH/PUT to change, DELETE to reset.
 * As in AWX, superusers change settings, system auditors read them, and nobody else sees them
 * (AWX's per-user category does not exist here).
 */
@Controller("/api/v2/settings")
public class SettingsController {
    private final ApiContext ctx;

    public SettingsController(ApiContext ctx) {
        this.ctx = ctx;
    }

    @Get("/")
    public HttpResponse<String> categories(HttpRequest<?> request) {
        List<Map<String, Object>> results = new ArrayList<>();
        if (!AuthFilter.access(request).readsAll()) {
            return Responses.ok(ListQuery.envelope(request.getPath(), ListQuery.parse(Map.of()), 0, List.of()));
        }
        results.add(Map.of("url", "/api/v2/settings/all/", "slug", "all", "name", "All"));
        for (String c : SystemSettings.categories()) {
            results.add(Map.of("url", "/api/v2/settings/" + c + "/", "slug", c, "name", c.substring(0, 1).toUpperCase() + c.substring(1)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", results.size());
        out.put("next", null);
        out.put("previous", null);
        out.put("results", results);
        return Responses.ok(out);
    }

    @Get("/{slug}/")
    public HttpResponse<String> get(@PathVariable String slug, HttpRequest<?> request) {
        Map<String, Object> values = category(slug);
        ApiException.require(AuthFilter.access(request).readsAll());
        return Responses.ok(values);
    }

    /** DRF's OPTIONS of a settings category: each setting a PUT takes (awxkit's {@code awx settings modify}). */
    @io.micronaut.http.annotation.Options("/{slug}/")
    public HttpResponse<String> options(@PathVariable String slug, HttpRequest<?> request) {
        Map<String, Object> values = category(slug);
        Map<String, Object> put = new LinkedHashMap<>();
        values.keySet().forEach(k -> put.put(k, Map.of("type", SystemSettings.fieldType(k), "required", false, "label", k)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", "Setting Detail");
        out.put("description", "");
        out.put("renders", List.of("application/json"));
        out.put("parses", List.of("application/json"));
        if (AuthFilter.access(request).isSuperuser()) {
            out.put("actions", Map.of("GET", put, "PUT", put));
        }
        return Responses.ok(out).header("Allow", "GET, PUT, PATCH, DELETE, HEAD, OPTIONS");
    }

    @Patch("/{slug}/")
    public HttpResponse<String> patch(@PathVariable String slug, HttpRequest<?> request, @Nullable @Body String body) {
        category(slug);
        ApiException.require(AuthFilter.access(request).isSuperuser());
        SystemSettings.change(ctx.resources(), Json.readObject(body));
        return Responses.ok(category(slug));
    }

    @Put("/{slug}/")
    public HttpResponse<String> put(@PathVariable String slug, HttpRequest<?> request, @Nullable @Body String body) {
        return patch(slug, request, body);
    }

    @Delete("/{slug}/")
    public HttpResponse<String> reset(@PathVariable String slug, HttpRequest<?> request) {
        category(slug);
        ApiException.require(AuthFilter.access(request).isSuperuser());
        SystemSettings.reset(ctx.resources());
        return Responses.noContent();
    }

    private Map<String, Object> category(String slug) {
        if (!slug.equals("all") && !SystemSettings.categories().contains(slug)) {
            throw ApiException.notFound();
        }
        return SystemSettings.load(ctx.resources()).category(slug);
    }
}
