package dev.towerless.api.system;

import dev.towerless.api.dialect.Responses;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/} and {@code /api/v2/} (the list of endpoints), and AWX's 404/405 bodies. */
@Controller
public class RootController {
    private static final List<String> ENDPOINTS = List.of("ping", "config", "settings", "me", "tokens", "users", "teams", "organizations",
            "inventories", "hosts", "groups", "inventory_sources", "inventory_updates", "credentials", "credential_types", "projects", "project_updates", "job_templates",
            "jobs", "unified_jobs", "unified_job_templates", "ad_hoc_commands", "system_job_templates", "system_jobs", "instances", "instance_groups");

    @Get("/api/")
    public HttpResponse<String> api() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("description", "Towerless REST API (AWX-compatible)");
        out.put("current_version", "/api/v2/");
        out.put("available_versions", Map.of("v2", "/api/v2/"));
        out.put("oauth2", "/api/o/");
        out.put("custom_logo", "");
        out.put("custom_login_info", "");
        out.put("login_redirect_override", "");
        return Responses.ok(out);
    }

    @Get("/api/v2/")
    public HttpResponse<String> v2() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String e : ENDPOINTS) {
            out.put(e, "/api/v2/" + e + "/");
        }
        return Responses.ok(out);
    }

    @Error(status = HttpStatus.NOT_FOUND, global = true)
    public HttpResponse<String> notFound() {
        return Responses.json(HttpStatus.NOT_FOUND, Map.of("detail", "Not found."));
    }

    @Error(status = HttpStatus.METHOD_NOT_ALLOWED, global = true)
    public HttpResponse<String> methodNotAllowed(HttpRequest<?> request) {
        return Responses.json(HttpStatus.METHOD_NOT_ALLOWED,
                Map.of("detail", "Method \"" + request.getMethodName() + "\" not allowed."));
    }
}
