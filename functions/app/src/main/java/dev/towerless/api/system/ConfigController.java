package dev.towerless.api.system;

import dev.towerless.api.dialect.Responses;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code config/}: the version, time zone and licence facts AWX clients read. */
@Controller("/api/v2/config")
public class ConfigController {

    @Get("/")
    public HttpResponse<String> config() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time_zone", "UTC");
        out.put("version", Responses.PRODUCT_VERSION);
        out.put("ansible_version", "");
        out.put("project_base_dir", "/var/lib/awx/projects");
        out.put("project_local_paths", List.of());
        out.put("license_info", Map.of("license_type", "open", "valid_key", true, "subscription_name", "OPEN"));
        out.put("analytics_status", "off"); // AWX: the UI's usage tracking (PENDO_TRACKING_STATE); there is no UI
        // AWX: what gather_analytics collects (it runs when settings/system/'s INSIGHTS_TRACKING_STATE is true).
        Map<String, Object> collectors = new java.util.LinkedHashMap<>();
        dev.towerless.core.housekeeping.Analytics.COLLECTORS.forEach(c -> collectors.put(c.name(),
                Map.of("name", c.name(), "version", c.version(), "description", c.description())));
        out.put("analytics_collectors", collectors);
        out.put("become_methods", List.of(List.of("sudo", "Sudo"), List.of("su", "Su"), List.of("doas", "Doas")));
        return Responses.ok(out);
    }
}
