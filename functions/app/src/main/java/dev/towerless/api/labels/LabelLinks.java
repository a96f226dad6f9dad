package dev.towerless.api.labels;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.ModelAccess;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code labels/} list of a job template, workflow template or inventory (AWX's
 * LabelSubListCreateAttachDetachView): list; attach by id, or by name and organization (the
 * existing label of that name, else a new one); detach, deleting a label nothing carries any more.
 */
@Singleton
public class LabelLinks {
    /** AWX's cap on the labels of one object. */
    private static final int MAX_LABELS = 100;

    private final ApiContext ctx;
    private final LabelsController labels;

    public LabelLinks(ApiContext ctx, LabelsController labels) {
        this.ctx = ctx;
        this.labels = labels;
    }

    public HttpResponse<String> list(HttpRequest<?> request, Resource owner) {
        return labels.listChildren(request, new ArrayList<>(ctx.resources().getMany(ResourceTypes.LABEL,
                owner.references("labels")).values()));
    }

    public HttpResponse<String> post(HttpRequest<?> request, Resource owner, ModelAccess ownerPolicy, String body) {
        Access access = AuthFilter.access(request);
        Map<String, Object> input = new LinkedHashMap<>(Json.readObject(body));
        if (!input.containsKey("id") && input.get("name") != null && input.get("organization") instanceof Number org) {
            labels.existing(String.valueOf(input.get("name")), org.longValue()).ifPresent(l -> {
                input.put("id", l.id());
                input.remove("name");
                input.remove("organization");
            });
        }
        List<Long> current = new ArrayList<>(owner.references("labels"));
        if (current.size() > MAX_LABELS) {
            throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("msg", "Maximum number of labels for "
                    + owner.type().replace('_', ' ') + " reached."));
        }
        Object id = input.get("id");
        if (input.containsKey("disassociate")) {
            if (!(id instanceof Number n)) {
                throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("msg", "\"id\" is required to disassociate"));
            }
            Optional<Resource> label = ctx.resources().get(ResourceTypes.LABEL, n.longValue());
            label.ifPresent(l -> ApiException.require(ownerPolicy.canUnattach(access, owner, l, "labels")));
            current.remove(n.longValue());
            ctx.resources().update(owner.type(), owner.id(), Map.of("labels", current));
            labels.deleteIfDetached(n.longValue());
            return Responses.noContent();
        }
        boolean created = false;
        Resource label;
        if (id == null || Boolean.FALSE.equals(id)) {
            label = labels.createFrom(request, input);
            created = true;
        } else if (id instanceof Integer || id instanceof Long) {
            label = ctx.resources().get(ResourceTypes.LABEL, ((Number) id).longValue()).orElseThrow(() ->
                    new ApiException(HttpStatus.BAD_REQUEST, Map.of("detail", "Label matching query does not exist.")));
        } else {
            throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("msg", "\"id\" field must be an integer."));
        }
        // AWX skips the check that the caller can see a label they just made
        boolean allowed = created ? ownerPolicy.canChange(access, owner, Map.of())
                : ownerPolicy.canAttach(access, owner, label, "labels");
        if (!allowed) {
            if (created) {
                ctx.resources().delete(ResourceTypes.LABEL, label.id()); // AWX rolls the creation back with the request
            }
            throw ApiException.permissionDenied();
        }
        if (!current.contains(label.id())) {
            current.add(label.id());
            ctx.resources().update(owner.type(), owner.id(), Map.of("labels", current));
        }
        return created ? Responses.created(labels.render(label, Views.of(ctx, request))) : Responses.noContent();
    }

    /** AWX's {@code summary_fields.labels}: how many, and each one's id and name. */
    public static Map<String, Object> summary(List<Long> ids, Views views) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (long id : ids) {
            views.resource(ResourceTypes.LABEL, id).ifPresent(l -> results.add(Map.of("id", l.id(), "name", l.name())));
        }
        results.sort(java.util.Comparator.comparing(m -> String.valueOf(m.get("name"))));
        return Map.of("count", results.size(), "results", results);
    }
}
