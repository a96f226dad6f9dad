package dev.towerless.api.dialect;

import dev.towerless.app.Stamps;
import dev.towerless.core.ports.Page;
import dev.towerless.core.resources.FieldSpec;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceSchema;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWX's CRUD dialect for one resource type: list with the AWX envelope and filters, POST 201,
 * GET, PUT/PATCH, DELETE 204, 404 for unknown ids. Subclasses add the type's computed fields,
 * related links and side effects.
 */
public abstract class ResourceController {
    protected final ApiContext ctx;
    protected final ResourceSchema schema;

    /** Fields rendered exactly as stored: queries on these alone need no rendering. */
    private final java.util.Set<String> storedFields = new java.util.HashSet<>();

    protected ResourceController(ApiContext ctx, ResourceSchema schema) {
        this.ctx = ctx;
        this.schema = schema;
        storedFields.addAll(List.of("id", "type", "created", "modified"));
        for (FieldSpec f : schema.fields()) {
            // secrets and dictionaries are shown masked or reshaped, so they are not compared raw
            if (!f.writeOnly() && f.kind() != FieldSpec.Kind.DICT) {
                storedFields.add(f.name());
            }
        }
    }

    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        Views views = new Views(ctx);
        if (!q.hasFilters()) {
            Page<Resource> page = ctx.resources().list(schema.type(), q.pageRequest());
            return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(),
                    page.items().stream().map(r -> render(r, views)).toList()));
        }
        List<Resource> all = ctx.resources().all(schema.type());
        if (q.usesOnly(storedFields)) {
            // The usual case (awx.awx looks everything up by name): filter stored values, render one page.
            ListQuery.Paged<Resource> paged = q.apply(all, this::stored);
            return Responses.ok(ListQuery.envelope(request.getPath(), q, paged.count(),
                    paged.items().stream().map(r -> render(r, views)).toList()));
        }
        List<Map<String, Object>> rendered = all.stream().map(r -> render(r, views)).toList();
        ListQuery.Paged<Map<String, Object>> paged = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, paged.count(), paged.items()));
    }

    /** A resource's stored values as the API shows them, defaults included (what a stored-field query compares). */
    private Map<String, Object> stored(Resource r) {
        Map<String, Object> m = new LinkedHashMap<>(r.fields());
        for (FieldSpec f : schema.fields()) {
            m.putIfAbsent(f.name(), f.defaultValue());
        }
        m.put("id", r.id());
        m.put("type", r.type());
        return m;
    }

    @Post("/")
    public HttpResponse<String> create(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, Object> input = Json.readObject(body);
        Map<String, Object> fields = new LinkedHashMap<>(ctx.validator().forCreate(schema, input));
        fields.putAll(prepareCreate(fields, input, request));
        fields.putAll(Stamps.created(ctx.clock()));
        Resource created = ctx.resources().create(schema.type(), fields);
        created = afterCreate(created, request);
        return Responses.created(render(created, new Views(ctx)));
    }

    @Get("/{id}/")
    public HttpResponse<String> detail(@PathVariable String id) {
        return Responses.ok(render(find(id), new Views(ctx)));
    }

    @Put("/{id}/")
    public HttpResponse<String> replace(@PathVariable String id, @Nullable @Body String body) {
        return Responses.ok(render(update(find(id), Json.readObject(body), false), new Views(ctx)));
    }

    @Patch("/{id}/")
    public HttpResponse<String> patch(@PathVariable String id, @Nullable @Body String body) {
        return Responses.ok(render(update(find(id), Json.readObject(body), true), new Views(ctx)));
    }

    @Delete("/{id}/")
    public HttpResponse<String> delete(@PathVariable String id) {
        Resource r = find(id);
        beforeDelete(r);
        ctx.resources().delete(schema.type(), r.id());
        if (ResourceTypes.UNIFIED_JOB_TEMPLATES.contains(schema.type())) {
            // AWX deletes a template's schedules with it.
            ctx.resources().where(ResourceTypes.SCHEDULE, "unified_job_template", r.id())
                    .forEach(s -> ctx.resources().delete(ResourceTypes.SCHEDULE, s.id()));
        }
        return Responses.noContent();
    }

    private Resource update(Resource existing, Map<String, Object> input, boolean partial) {
        Map<String, Object> changes = new LinkedHashMap<>(ctx.validator().forUpdate(schema, existing.fields(), input, partial));
        changes.putAll(prepareUpdate(existing, changes, input));
        if (changes.isEmpty()) {
            return existing;
        }
        changes.putAll(Stamps.modified(ctx.clock()));
        return ctx.resources().update(schema.type(), existing.id(), changes).orElseThrow(ApiException::notFound);
    }

    /**
     * AWX's association sub-endpoint (POST {@code {"id": N}} adds, {@code {"id": N, "disassociate":
     * true}} removes) over a list-of-ids field; 204 either way. {@code check} may refuse an addition.
     */
    protected HttpResponse<String> associate(Resource owner, String field, String targetType, String body,
                                             java.util.function.BiConsumer<Resource, List<Long>> check) {
        Map<String, Object> input = Json.readObject(body);
        Object rawId = input.get("id");
        if (!(rawId instanceof Number)) {
            throw ApiException.field("id", rawId == null ? "This field is required." : "A valid integer is required.");
        }
        long targetId = ((Number) rawId).longValue();
        List<Long> current = new java.util.ArrayList<>(owner.references(field));
        if (Boolean.TRUE.equals(input.get("disassociate"))) {
            current.remove(targetId);
        } else {
            Resource target = ctx.resources().get(targetType, targetId)
                    .orElseThrow(() -> ApiException.field("id", "Invalid pk \"" + targetId + "\" - object does not exist."));
            check.accept(target, current);
            if (!current.contains(targetId)) {
                current.add(targetId);
            }
        }
        ctx.resources().update(schema.type(), owner.id(), Map.of(field, current));
        return Responses.noContent();
    }

    /** The associated objects of a list-of-ids field, rendered by their own controller. */
    public HttpResponse<String> associated(HttpRequest<?> request, Resource owner, String field, ResourceController of) {
        Views views = new Views(ctx);
        List<Map<String, Object>> rendered = new java.util.ArrayList<>();
        ctx.resources().getMany(of.schema.type(), owner.references(field)).values()
                .forEach(r -> rendered.add(of.render(r, views)));
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    protected Resource find(String id) {
        return parseId(id).flatMap(n -> ctx.resources().get(schema.type(), n)).orElseThrow(ApiException::notFound);
    }

    public static Optional<Long> parseId(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Extra fields to store on create (e.g. sealed secrets); {@code fields} are already valid. */
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        return Map.of();
    }

    /** Extra changes to store on update. */
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        return Map.of();
    }

    protected Resource afterCreate(Resource created, HttpRequest<?> request) {
        return created;
    }

    /** Refuse a delete AWX would refuse (409), e.g. a resource with running jobs. */
    protected void beforeDelete(Resource resource) {
    }

    /** The AWX representation: identity, links, summaries, then the fields. */
    public Map<String, Object> render(Resource r, Views views) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id());
        out.put("type", r.type());
        out.put("url", ApiContext.url(schema.endpoint(), r.id()));
        Map<String, Object> related = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        for (FieldSpec f : schema.fields()) {
            if (f.kind() == FieldSpec.Kind.REFERENCE) {
                r.reference(f.name()).ifPresent(refId -> {
                    String endpoint = Schemas.forType(f.references()).map(ResourceSchema::endpoint)
                            .orElse(f.references() + "s");
                    related.put(f.name(), ApiContext.url(endpoint, refId));
                    views.summary(f.references(), refId).ifPresent(s -> summary.put(f.name(), s));
                });
            }
        }
        addRelated(r, related);
        addSummary(r, summary, views);
        out.put("related", related);
        out.put("summary_fields", summary);
        out.put("created", r.get("created"));
        out.put("modified", r.get("modified"));
        for (FieldSpec f : schema.fields()) {
            if (!f.writeOnly()) {
                out.put(f.name(), r.fields().getOrDefault(f.name(), f.defaultValue()));
            }
        }
        addFields(r, out, views);
        return out;
    }

    protected void addRelated(Resource r, Map<String, Object> related) {
    }

    protected void addSummary(Resource r, Map<String, Object> summary, Views views) {
    }

    protected void addFields(Resource r, Map<String, Object> out, Views views) {
    }

    protected String selfUrl(Resource r) {
        return ApiContext.url(schema.endpoint(), r.id());
    }
}
