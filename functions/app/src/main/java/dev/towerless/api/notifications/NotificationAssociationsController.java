package dev.towerless.api.notifications;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.access.ModelAccess;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code notification_templates_started|success|error/} of job templates, projects, inventory
 * sources, organizations and system job templates: list, attach ({@code {"id": N}}) and detach
 * ({@code "disassociate": true}), as awx.awx's modules do.
 */
@Controller("/api/v2")
public class NotificationAssociationsController {
    private static final Map<String, String> OWNERS = Map.of("job_templates", ResourceTypes.JOB_TEMPLATE,
            "projects", ResourceTypes.PROJECT, "inventory_sources", ResourceTypes.INVENTORY_SOURCE,
            "organizations", ResourceTypes.ORGANIZATION, "system_job_templates", ResourceTypes.SYSTEM_JOB_TEMPLATE,
            "workflow_job_templates", ResourceTypes.WORKFLOW_JOB_TEMPLATE);
    private static final List<String> RELATIONS = List.of("notification_templates_started",
            "notification_templates_success", "notification_templates_error");

    private final ApiContext ctx;
    private final NotificationTemplatesController templates;

    public NotificationAssociationsController(ApiContext ctx, NotificationTemplatesController templates) {
        this.ctx = ctx;
        this.templates = templates;
    }

    /** The three links every owner shows under {@code related}. */
    public static void addRelated(String selfUrl, Map<String, Object> related) {
        RELATIONS.forEach(r -> related.put(r, selfUrl + r + "/"));
    }

    @Get("/{owners}/{id}/{relation}/")
    public HttpResponse<String> list(@PathVariable String owners, @PathVariable String id, @PathVariable String relation,
                                     HttpRequest<?> request) {
        Resource owner = owner(owners, id, relation, request);
        return templates.associated(request, owner, relation, templates);
    }

    @Post("/{owners}/{id}/{relation}/")
    public HttpResponse<String> associate(@PathVariable String owners, @PathVariable String id, @PathVariable String relation,
                                          HttpRequest<?> request, @Nullable @Body String body) {
        Resource owner = owner(owners, id, relation, request);
        Access access = AuthFilter.access(request);
        ModelAccess policy = AccessPolicies.of(owner.type());
        Map<String, Object> input = Json.readObject(body);
        Object rawId = input.get("id");
        if (!(rawId instanceof Number n)) {
            throw ApiException.field("id", rawId == null ? "This field is required." : "A valid integer is required.");
        }
        List<Long> current = new ArrayList<>(owner.references(relation));
        java.util.Optional<Resource> template = ctx.resources().get(ResourceTypes.NOTIFICATION_TEMPLATE, n.longValue());
        if (input.containsKey("disassociate")) { // AWX ignores its value
            template.ifPresent(t -> ApiException.require(policy.canUnattach(access, owner, t, relation)));
            current.remove(n.longValue());
        } else {
            Resource t = template.orElseThrow(() ->
                    ApiException.field("id", "Invalid pk \"" + n.longValue() + "\" - object does not exist."));
            ApiException.require(policy.canAttach(access, owner, t, relation));
            if (!current.contains(n.longValue())) {
                current.add(n.longValue());
            }
        }
        ctx.resources().update(owner.type(), owner.id(), Map.of(relation, current));
        return Responses.noContent();
    }

    /** The owner, if the caller may see it (404 when missing, 403 when not theirs to see). */
    private Resource owner(String owners, String id, String relation, HttpRequest<?> request) {
        String type = OWNERS.get(owners);
        if (type == null || !RELATIONS.contains(relation)) {
            throw ApiException.notFound();
        }
        Resource owner = ResourceController.parseId(id).flatMap(n -> ctx.resources().get(type, n))
                .orElseThrow(ApiException::notFound);
        ApiException.require(AccessPolicies.of(type).canSee(AuthFilter.access(request), owner));
        return owner;
    }
}
