package dev.towerless.api.notifications;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.notifications.NotificationService;
import dev.towerless.core.notifications.NotificationTypes;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.resources.ValidationException;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.templating.VariableTemplate;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AWX's {@code notification_templates/}: where and how to notify. Secret configuration keys are
 * sealed when stored, shown as {@code $encrypted$}, and kept when {@code $encrypted$} is sent
 * back; {@code test/} sends one notification at once (202).
 */
@Controller("/api/v2/notification_templates")
public class NotificationTemplatesController extends ResourceController {
    private static final List<String> EVENTS = List.of("started", "success", "error", "workflow_approval");

    private final NotificationService notifications;

    public NotificationTemplatesController(ApiContext ctx, NotificationService notifications) {
        super(ctx, Schemas.NOTIFICATION_TEMPLATE);
        this.notifications = notifications;
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        return checked(fields, Map.of());
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        Map<String, Object> merged = new LinkedHashMap<>(existing.fields());
        merged.putAll(changes);
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = existing.get("notification_configuration") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
        return checked(merged, stored);
    }

    /** The configuration with secrets sealed (sent {@code $encrypted$}: the stored value stays), and the messages checked. */
    private Map<String, Object> checked(Map<String, Object> fields, Map<String, Object> stored) {
        String type = String.valueOf(fields.get("notification_type"));
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Map<String, Object> config = new LinkedHashMap<>();
        if (fields.get("notification_configuration") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> config.put(String.valueOf(k), v));
        }
        if (!NotificationTypes.supported().contains(type)) {
            errors.put("notification_type", NotificationTypes.problems(type, config));
        } else {
            List<String> problems = NotificationTypes.problems(type, config);
            if (!problems.isEmpty()) {
                errors.put("notification_configuration", problems);
            }
        }
        if (fields.get("messages") instanceof Map<?, ?> messages) {
            List<String> problems = new ArrayList<>();
            messages.forEach((event, message) -> {
                if (!EVENTS.contains(String.valueOf(event))) {
                    problems.add("Event '" + event + "' is not one of " + String.join(", ", EVENTS) + ".");
                } else if (message instanceof Map<?, ?> m) {
                    for (String part : List.of("message", "body")) {
                        String problem = m.get(part) == null ? null : VariableTemplate.problem(String.valueOf(m.get(part)));
                        if (problem != null) {
                            problems.add(event + "." + part + ": " + problem);
                        }
                    }
                } else if (message != null) {
                    problems.add("Expected a dictionary for the '" + event + "' message.");
                }
            });
            if (!problems.isEmpty()) {
                errors.put("messages", problems);
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        config.replaceAll((k, v) -> {
            if (!NotificationTypes.isSecret(type, k) || v == null || SecretBox.isSealed(v)) {
                return v;
            }
            return SecretBox.ENCRYPTED.equals(v) ? stored.get(k) : ctx.secrets().seal(String.valueOf(v));
        });
        return Map.of("notification_configuration", config);
    }

    /** AWX's test view takes only POST; a GET is its 405, not a missing page. */
    @Get("/{id}/test/")
    public HttpResponse<String> testInfo(@PathVariable String id, HttpRequest<?> request) {
        findVisible(id, request);
        return io.micronaut.http.HttpResponse.<String>status(HttpStatus.METHOD_NOT_ALLOWED)
                .body(Json.write(Map.of("detail", "Method \"GET\" not allowed."))).header("Allow", "POST, OPTIONS")
                .contentType(io.micronaut.http.MediaType.APPLICATION_JSON_TYPE);
    }

    /** Sends a test notification now; 202 with its id, as AWX. */
    @Post("/{id}/test/")
    public HttpResponse<String> test(@PathVariable String id, HttpRequest<?> request) {
        Resource template = findVisible(id, request);
        ApiException.require(policy.canStart(AuthFilter.access(request), template));
        Resource sent = notifications.sendTest(template);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("notification", sent.id());
        return Responses.json(HttpStatus.ACCEPTED, out);
    }

    @Get("/{id}/notifications/")
    public HttpResponse<String> notificationsOf(@PathVariable String id, HttpRequest<?> request) {
        return NotificationsController.listOf(request, ctx.resources().where(ResourceTypes.NOTIFICATION, "notification_template",
                findVisible(id, request).id()));
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("test", selfUrl(r) + "test/");
        related.put("notifications", selfUrl(r) + "notifications/");
    }

    @Override
    protected void addSummary(Resource r, Map<String, Object> summary, Views views) {
        List<Map<String, Object>> recent = new ArrayList<>();
        views.newestNotificationsOf(r.id(), 5).forEach(n -> recent.add(Map.of(
                        "id", n.id(), "status", n.get("status"), "created", n.get("created"), "error", n.get("error"))));
        summary.put("recent_notifications", recent);
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        String type = String.valueOf(r.get("notification_type"));
        Map<String, Object> shown = new LinkedHashMap<>();
        if (r.get("notification_configuration") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> shown.put(String.valueOf(k),
                    NotificationTypes.isSecret(type, String.valueOf(k)) && v != null ? SecretBox.ENCRYPTED : v));
        }
        out.put("notification_configuration", shown);
        Map<String, Object> messages = new LinkedHashMap<>();
        EVENTS.forEach(e -> messages.put(e, null));
        if (r.get("messages") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> messages.put(String.valueOf(k), v));
        }
        out.put("messages", messages);
    }

    @Override
    protected boolean copyable() {
        return true;
    }
}
