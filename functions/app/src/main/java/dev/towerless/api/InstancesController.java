package dev.towerless.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.List;
import java.util.Map;

/** {@code instances/} (one per live runner) and {@code instance_groups/} (read-only). */
@Controller("/api/v2")
public class InstancesController {
    private final ControlPlaneView view;

    public InstancesController(ControlPlaneView view) {
        this.view = view;
    }

    @Get("/instances/")
    public HttpResponse<String> instances(HttpRequest<?> request) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(view.instances(), m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    @Get("/instance_groups/")
    public HttpResponse<String> groups(HttpRequest<?> request) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(List.of(view.defaultGroup(view.instances())), m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    @Get("/instance_groups/{id}/")
    public HttpResponse<String> group(@PathVariable String id) {
        if (!"1".equals(id)) {
            throw ApiException.notFound();
        }
        return Responses.ok(view.defaultGroup(view.instances()));
    }
}
