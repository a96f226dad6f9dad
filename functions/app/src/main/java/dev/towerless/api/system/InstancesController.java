package dev.towerless.api.system;

import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.Responses;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.Map;

/** {@code instances/}: one per live runner. */
@Controller("/api/v2/instances")
public class InstancesController {
    private final ControlPlaneView view;

    public InstancesController(ControlPlaneView view) {
        this.view = view;
    }

    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(view.instances(), m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }
}
