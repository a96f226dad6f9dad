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
    private final io.micronaut.web.router.Router router;

    public RootController(io.micronaut.web.router.Router router) {
        this.router = router;
    }

    /**
     * AWX 21.14.0's {@code /api/v2/} keys, in its order, with the path each names ({@code inventory}
     * is AWX's key for {@code inventories/}). Only what is served is listed: awxkit builds its
     * commands from these keys, and a key whose link answers 404 would break them.
     * Not served: dashboard, metrics, activity_stream, mesh_visualizer, workflow_job_nodes.
     */
    private static final List<Map.Entry<String, String>> ENDPOINTS = List.of(
            Map.entry("ping", "ping"), Map.entry("instances", "instances"), Map.entry("instance_groups", "instance_groups"),
            Map.entry("config", "config"), Map.entry("settings", "settings"), Map.entry("me", "me"),
            Map.entry("organizations", "organizations"), Map.entry("users", "users"),
            Map.entry("execution_environments", "execution_environments"), Map.entry("projects", "projects"),
            Map.entry("project_updates", "project_updates"), Map.entry("teams", "teams"), Map.entry("credentials", "credentials"),
            Map.entry("credential_types", "credential_types"),
            Map.entry("credential_input_sources", "credential_input_sources"), Map.entry("applications", "applications"),
            Map.entry("tokens", "tokens"), Map.entry("inventory", "inventories"),
            Map.entry("inventory_sources", "inventory_sources"), Map.entry("inventory_updates", "inventory_updates"),
            Map.entry("groups", "groups"), Map.entry("hosts", "hosts"), Map.entry("job_templates", "job_templates"),
            Map.entry("jobs", "jobs"), Map.entry("ad_hoc_commands", "ad_hoc_commands"),
            Map.entry("system_job_templates", "system_job_templates"), Map.entry("system_jobs", "system_jobs"),
            Map.entry("schedules", "schedules"), Map.entry("roles", "roles"),
            Map.entry("notification_templates", "notification_templates"), Map.entry("notifications", "notifications"),
            Map.entry("labels", "labels"), Map.entry("unified_job_templates", "unified_job_templates"),
            Map.entry("unified_jobs", "unified_jobs"), Map.entry("workflow_job_templates", "workflow_job_templates"),
            Map.entry("workflow_jobs", "workflow_jobs"), Map.entry("workflow_approvals", "workflow_approvals"),
            Map.entry("workflow_job_template_nodes", "workflow_job_template_nodes"), Map.entry("bulk", "bulk"));

    /** What a launch takes (the prompts), as OPTIONS types. */
    private static final Map<String, String> LAUNCH_FIELDS = orderedLaunchFields();

    private static Map<String, String> orderedLaunchFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("extra_vars", "json");
        m.put("inventory", "id");
        m.put("limit", "string");
        m.put("job_type", "string");
        m.put("verbosity", "integer");
        m.put("forks", "integer");
        m.put("job_tags", "string");
        m.put("skip_tags", "string");
        m.put("diff_mode", "boolean");
        m.put("scm_branch", "string");
        m.put("timeout", "integer");
        m.put("credentials", "list_of_ids");
        return m;
    }

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
        for (Map.Entry<String, String> e : ENDPOINTS) {
            out.put(e.getKey(), "/api/v2/" + e.getValue() + "/");
        }
        return Responses.ok(out);
    }

    @Error(status = HttpStatus.NOT_FOUND, global = true)
    public HttpResponse<String> notFound() {
        return Responses.json(HttpStatus.NOT_FOUND, Map.of("detail", "Not found."));
    }

    @Error(status = HttpStatus.METHOD_NOT_ALLOWED, global = true)
    public HttpResponse<String> methodNotAllowed(HttpRequest<?> request) {
        if ("OPTIONS".equals(request.getMethodName())) {
            // DRF answers OPTIONS on every view; a read-only one has no "actions" (awxkit then offers list/get only)
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", request.getPath());
            out.put("description", "");
            out.put("renders", List.of("application/json"));
            out.put("parses", List.of("application/json"));
            List<String> allowed = new java.util.ArrayList<>();
            for (io.micronaut.http.HttpMethod m : List.of(io.micronaut.http.HttpMethod.GET, io.micronaut.http.HttpMethod.POST,
                    io.micronaut.http.HttpMethod.PUT, io.micronaut.http.HttpMethod.PATCH, io.micronaut.http.HttpMethod.DELETE)) {
                if (router.find(m, request.getPath(), request).findAny().isPresent()) {
                    allowed.add(m.name());
                }
            }
            if (allowed.isEmpty()) {
                return notFound(); // no such endpoint, whatever the method
            }
            if (allowed.contains("POST")) {
                // an action endpoint (launch/, update/, bulk …): awxkit builds its arguments from POST
                Map<String, Object> post = new LinkedHashMap<>();
                if (request.getPath().endsWith("/launch/")) {
                    LAUNCH_FIELDS.forEach((field, type) -> post.put(field, Map.of("type", type, "required", false, "label", field)));
                }
                Map<String, Object> actions = new LinkedHashMap<>();
                if (allowed.contains("GET")) {
                    actions.put("GET", Map.of());
                }
                actions.put("POST", post);
                out.put("actions", actions);
            }
            allowed.addAll(List.of("HEAD", "OPTIONS"));
            return Responses.ok(out).header("Allow", String.join(", ", allowed));
        }
        return Responses.json(HttpStatus.METHOD_NOT_ALLOWED,
                Map.of("detail", "Method \"" + request.getMethodName() + "\" not allowed."));
    }
}
