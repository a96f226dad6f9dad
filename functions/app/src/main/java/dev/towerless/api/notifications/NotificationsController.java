package dev.towerless.api.notifications;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.ports.Page;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** AWX's {@code notifications/}: what was sent, to where, and whether it worked (read-only). */
@Controller("/api/v2/notifications")
public class NotificationsController {
    private final ApiContext ctx;

    public NotificationsController(ApiContext ctx) {
        this.ctx = ctx;
    }

    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        if (!q.hasFilters() && AuthFilter.access(request).readsAll()) {
            Page<Resource> page = ctx.resources().list(ResourceTypes.NOTIFICATION, q.pageRequest());
            return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(),
                    page.items().stream().map(NotificationsController::render).toList()));
        }
        return listOf(request, ctx.resources().all(ResourceTypes.NOTIFICATION));
    }

    @Get("/{id}/")
    public HttpResponse<String> detail(@PathVariable String id, HttpRequest<?> request) {
        Resource n = ResourceController.parseId(id)
                .flatMap(i -> ctx.resources().get(ResourceTypes.NOTIFICATION, i)).orElseThrow(ApiException::notFound);
        ApiException.require(AccessPolicies.NOTIFICATIONS.canSee(AuthFilter.access(request), n));
        return Responses.ok(render(n));
    }

    /** A filtered, paged listing of notifications (of a template, of a job). */
    public static HttpResponse<String> listOf(HttpRequest<?> request, List<Resource> notifications) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        Access access = AuthFilter.access(request);
        ListQuery.Paged<Map<String, Object>> page = q.apply(notifications.stream()
                .filter(n -> AccessPolicies.NOTIFICATIONS.canSee(access, n)).map(NotificationsController::render).toList(), m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    public static Map<String, Object> render(Resource n) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", n.id());
        out.put("type", "notification");
        out.put("url", ApiContext.url("notifications", n.id()));
        long template = n.reference("notification_template").orElse(-1L);
        out.put("related", Map.of("notification_template", ApiContext.url("notification_templates", template)));
        out.put("summary_fields", Map.of("notification_template", Map.of("id", template)));
        out.put("created", n.get("created"));
        out.put("modified", n.get("modified"));
        for (String f : List.of("notification_template", "error", "status", "notifications_sent", "notification_type",
                "recipients", "subject", "body")) {
            out.put(f, n.get(f));
        }
        return out;
    }
}
