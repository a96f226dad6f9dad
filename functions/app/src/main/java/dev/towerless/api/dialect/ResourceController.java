package dev.towerless.api.dialect;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.app.Stamps;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.access.Memberships;
import dev.towerless.core.access.ModelAccess;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.access.RoleDefinition;
import dev.towerless.core.ports.Page;
import dev.towerless.core.resources.FieldSpec;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceSchema;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.UniqueNames;
import dev.towerless.core.resources.ValidationException;
import dev.towerless.core.resources.Schemas;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * AWX's CRUD dialect for one resource type: list with the AWX envelope and filters, POST 201,
 * GET, PUT/PATCH, DELETE 204, 404 for unknown ids, and the type's access policy on each: lists
 * show what the caller may see (and count only that), an object they may not see is a 403, and
 * every write asks the policy first. Subclasses add the type's computed fields, related links and
 * side effects.
 */
public abstract class ResourceController {
    protected final ApiContext ctx;
    protected final ResourceSchema schema;
    protected final ModelAccess policy;

    /** Fields rendered exactly as stored: queries on these alone need no rendering. */
    private final Set<String> storedFields = new java.util.HashSet<>();

    protected ResourceController(ApiContext ctx, ResourceSchema schema) {
        this.ctx = ctx;
        this.schema = schema;
        this.policy = AccessPolicies.of(schema.type());
        storedFields.addAll(List.of("id", "type", "created", "modified"));
        if (ResourceTypes.JOB_TEMPLATE.equals(schema.type())) {
            storedFields.add("organization"); // stored on the template (its project's) and shown as stored
        }
        for (FieldSpec f : schema.fields()) {
            // secrets and dictionaries are shown masked or reshaped, so they are not compared raw
            if (!f.writeOnly() && f.kind() != FieldSpec.Kind.DICT) {
                storedFields.add(f.name());
            }
        }
    }

    public ModelAccess policy() {
        return policy;
    }

    /**
     * The most objects a list reads for a filter no index serves ({@code name__icontains},
     * {@code search}, an order other than id): the first this many of the type in id order, the
     * filter applied to those, and a {@code Warning} header saying the list stopped there.
     */
    public static final int LIST_READ_BUDGET = 10_000;

    /** The budget in force: {@link #LIST_READ_BUDGET}, or the {@code towerless.list-read-budget} system property (tests). */
    static int listReadBudget() {
        return Integer.getInteger("towerless.list-read-budget", LIST_READ_BUDGET);
    }

    /**
     * A list page. Unfiltered, for a superuser or an auditor: one page of the type by key and the
     * type's kept count, so it costs the page whatever the type holds. Filtered by name
     * ({@code ?name=}, {@code ?username=} for users) or by parent ({@code ?organization=N},
     * {@code ?inventory=N} for hosts, groups and inventory sources): only the matching objects
     * are read, from an index, and every other filter applies to those. Any other filter, and a
     * restricted user the roles cannot name objects for, read at most {@link #LIST_READ_BUDGET}
     * objects and say so.
     */
    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        Map<String, List<String>> params = request.getParameters().asMap();
        ListQuery q = ListQuery.parse(params);
        Views views = Views.of(ctx, request);
        Access access = views.access();
        beforeList(access);
        if (showsNextSchedule()) {
            views.prefetchSchedules(); // beside the page's own read: the schedules do not depend on it
        }
        if (access.readsAll() && !q.hasFilters()) {
            Page<Resource> page = ctx.resources().list(schema.type(), q.pageRequest());
            prefetch(page.items(), views);
            return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(),
                    page.items().stream().map(r -> render(r, views)).toList()));
        }
        Optional<List<Resource>> matching = indexed(params);
        if (matching.isPresent()) {
            List<Resource> seen = seenAmong(access, matching.get());
            if (seen.isEmpty()) {
                // nothing matched: a filter on a field the type lacks is still AWX's 400, judged on any one object
                ctx.resources().first(schema.type(), 1).forEach(r -> q.check(render(r, views)));
            }
            return listOf(request, seen, views);
        }
        int budget = listReadBudget();
        Bounded visible = visibleWithin(access, budget);
        MutableHttpResponse<String> response = (MutableHttpResponse<String>) listOf(request, visible.objects(), views);
        if (visible.cut()) {
            response.header("Warning", "299 towerless \"Only the first " + budget + " " + schema.endpoint()
                    + " (by id) were searched; filter by " + indexedFilters() + " to search them all\"");
        }
        return response;
    }

    /** The objects an index returns for the request's name or parent filter; empty when it has none an index serves. */
    private Optional<List<Resource>> indexed(Map<String, List<String>> params) {
        String natural = ResourceTypes.naturalKeyField(schema.type());
        if (!ResourceTypes.TOKEN.equals(schema.type()) && schema.field(natural).isPresent()) {
            for (String key : List.of(natural, natural + "__exact")) {
                String value = firstParam(params, key);
                if (value != null && !value.isEmpty()) {
                    return Optional.of(ctx.resources().named(schema.type(), value));
                }
            }
        }
        Optional<String> parent = ResourceTypes.parentField(schema.type());
        // a job template's organization is its project's, stored on it though not an input field
        if (parent.isPresent() && (schema.field(parent.get()).isPresent() || ResourceTypes.JOB_TEMPLATE.equals(schema.type()))) {
            for (String key : List.of(parent.get(), parent.get() + "__exact")) {
                Optional<Long> id = Optional.ofNullable(firstParam(params, key)).flatMap(ResourceController::parseId);
                if (id.isPresent()) {
                    return Optional.of(ctx.resources().where(schema.type(), parent.get(), id.get()).stream()
                            .sorted(Comparator.comparingLong(Resource::id)).toList());
                }
            }
        }
        return Optional.empty();
    }

    private String indexedFilters() {
        List<String> out = new ArrayList<>();
        if (!ResourceTypes.TOKEN.equals(schema.type())) {
            out.add(ResourceTypes.naturalKeyField(schema.type()));
        }
        ResourceTypes.parentField(schema.type()).ifPresent(out::add);
        return String.join(" or ", out);
    }

    private static String firstParam(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Of these objects (read from an index), those the caller may see. */
    private List<Resource> seenAmong(Access access, List<Resource> objects) {
        return access.readsAll() ? objects : objects.stream().filter(r -> policy.canSee(access, r)).toList();
    }

    /** Objects a list shows, and whether reading stopped at the budget before the type's end. */
    protected record Bounded(List<Resource> objects, boolean cut) {
    }

    /**
     * What the caller may see of the type's first {@code budget} objects; the objects their roles
     * name, whatever their number, when the policy can name them (a restricted user's roles).
     */
    protected Bounded visibleWithin(Access access, int budget) {
        if (!access.readsAll()) {
            Optional<java.util.Set<Long>> named = policy.candidates(access);
            if (named.isPresent()) {
                // the policy may have read them already (an inventory's hosts, an organization's children): not twice
                List<Resource> objects = new ArrayList<>();
                List<Long> unread = new ArrayList<>();
                for (long id : named.get()) {
                    access.lookup().peek(schema.type(), id).ifPresentOrElse(objects::add, () -> unread.add(id));
                }
                objects.addAll(ctx.resources().getMany(schema.type(), unread).values());
                return new Bounded(objects.stream().sorted(Comparator.comparingLong(Resource::id))
                        .filter(r -> policy.canSee(access, r)).toList(), false);
            }
        }
        List<Resource> read = ctx.resources().first(schema.type(), budget + 1);
        boolean cut = read.size() > budget;
        List<Resource> within = cut ? read.subList(0, budget) : read;
        return new Bounded(access.readsAll() ? within : within.stream().filter(r -> policy.canSee(access, r)).toList(), cut);
    }

    /** A filtered, paged listing of these objects (already limited to what the caller may see). */
    public HttpResponse<String> listOf(HttpRequest<?> request, List<Resource> objects, Views views) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        if (q.usesOnly(storedFields)) {
            // The usual case (awx.awx looks everything up by name): filter stored values, render one page.
            ListQuery.Paged<Resource> paged = q.apply(objects, this::stored);
            prefetch(paged.items(), views);
            return Responses.ok(ListQuery.envelope(request.getPath(), q, paged.count(),
                    paged.items().stream().map(r -> render(r, views)).toList()));
        }
        prefetch(objects, views);
        List<Map<String, Object>> rendered = objects.stream().map(r -> render(r, views)).toList();
        ListQuery.Paged<Map<String, Object>> paged = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, paged.count(), paged.items()));
    }

    /** The objects a parent lists (the hosts of an inventory): those the caller may see, filtered and paged. */
    public HttpResponse<String> listChildren(HttpRequest<?> request, List<Resource> children) {
        Views views = Views.of(ctx, request);
        Access access = views.access();
        return listOf(request, children.stream().filter(r -> policy.canSee(access, r))
                .sorted(Comparator.comparingLong(Resource::id)).toList(), views);
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
        refuseMethod(request);
        Map<String, Object> input = Json.readObject(body);
        beforeCreate(AuthFilter.access(request), input);
        Resource created = createFrom(request, input);
        return Responses.created(render(created, Views.of(ctx, request)));
    }

    /** Validates the input, asks the policy, stores: what the create route and sub-list creation share. */
    public Resource createFrom(HttpRequest<?> request, Map<String, Object> input) {
        refuseUnknownFields(input, Set.of());
        Access access = AuthFilter.access(request);
        Map<String, Object> fields = new LinkedHashMap<>(ctx.validator().forCreate(schema, input));
        ApiException.require(policy.canAdd(access, accessData(fields, input)));
        fields.putAll(prepareCreate(fields, input, request));
        UniqueNames.check(ctx.resources(), schema.type(), fields, null);
        fields.putAll(Stamps.created(ctx.clock()));
        Resource created = ctx.resources().create(schema.type(), fields);
        return afterCreate(created, request);
    }

    /** The methods this endpoint does not offer (AWX: its view has no such handler), refused with 405 before anything else. */
    protected Set<String> unsupportedMethods() {
        return Set.of();
    }

    private void refuseMethod(HttpRequest<?> request) {
        if (unsupportedMethods().contains(request.getMethodName())) {
            throw ApiException.methodNotAllowed(request.getMethodName());
        }
    }

    /** A refusal of the whole list before anything is read (AWX's "Superuser privileges needed."). */
    protected void beforeList(Access access) {
    }

    /** A refusal of the top-level create route before anything is validated (AWX's UserPermission). */
    protected void beforeCreate(Access access, Map<String, Object> input) {
    }

    /** What the policy judges a creation by: the valid fields, plus write-only ones it needs (a credential's owner). */
    protected Map<String, Object> accessData(Map<String, Object> fields, Map<String, Object> input) {
        return fields;
    }

    @Get("/{id}/")
    public HttpResponse<String> detail(@PathVariable String id, HttpRequest<?> request) {
        Resource r = findVisible(id, request);
        Views views = Views.of(ctx, request);
        prefetch(List.of(r), views); // its references in one batch, not one GetItem each
        return Responses.ok(render(r, views));
    }

    @Put("/{id}/")
    public HttpResponse<String> replace(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        refuseMethod(request);
        return Responses.ok(render(update(find(id), Json.readObject(body), false, request), Views.of(ctx, request)));
    }

    @Patch("/{id}/")
    public HttpResponse<String> patch(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        refuseMethod(request);
        return Responses.ok(render(update(find(id), Json.readObject(body), true, request), Views.of(ctx, request)));
    }

    @Delete("/{id}/")
    public HttpResponse<String> delete(@PathVariable String id, HttpRequest<?> request) {
        refuseMethod(request);
        Resource r = find(id);
        Access access = AuthFilter.access(request);
        if (!policy.canDelete(access, r)) {
            refuseDelete(access, r);
        }
        beforeDelete(r);
        dev.towerless.core.deletion.RelatedJobs.of(r).ifPresent(uses -> InUse.refuseIfActive(ctx, uses));
        return deleteAccepted(r, request);
    }

    /**
     * The delete itself, once allowed: as AWX, what cascades goes with it, references to it are
     * cleared, its schedules and roles go ({@link dev.towerless.core.deletion.Deletions}); 204.
     */
    protected HttpResponse<String> deleteAccepted(Resource r, HttpRequest<?> request) {
        deletions.delete(schema.type(), r.id(), AuthFilter.user(request).id());
        afterDelete(r);
        return Responses.noContent();
    }

    /** Background work on stored objects: deletes and deep copies (set by the container). */
    protected dev.towerless.core.deletion.Deletions deletions;
    protected dev.towerless.core.copying.DeepCopy deepCopy;

    @jakarta.inject.Inject
    void useBackgroundWork(dev.towerless.core.deletion.Deletions deletions, dev.towerless.core.copying.DeepCopy deepCopy) {
        this.deletions = deletions;
        this.deepCopy = deepCopy;
    }

    private Resource update(Resource existing, Map<String, Object> input, boolean partial, HttpRequest<?> request) {
        Access access = AuthFilter.access(request);
        ApiException.require(policy.canSee(access, existing));
        if (input.keySet().stream().anyMatch(this::unknown)) {
            // a PUT of what GET returned carries every shown field; AWX ignores the read-only ones
            refuseUnknownFields(input, render(existing, Views.of(ctx, request)).keySet());
        }
        Map<String, Object> changes = new LinkedHashMap<>(ctx.validator().forUpdate(schema, existing.fields(), input, partial));
        ApiException.require(policy.canChange(access, existing, changes));
        checkUpdate(access, existing, input);
        changes.putAll(prepareUpdate(existing, changes, input));
        if (changes.isEmpty()) {
            return existing;
        }
        if (UniqueNames.concerns(schema.type(), changes.keySet())) {
            Map<String, Object> candidate = new LinkedHashMap<>(existing.fields());
            candidate.putAll(changes);
            UniqueNames.check(ctx.resources(), schema.type(), candidate, existing.id());
        }
        changes.putAll(Stamps.modified(ctx.clock()));
        Resource updated = ctx.resources().update(schema.type(), existing.id(), changes).orElseThrow(ApiException::notFound);
        afterUpdate(existing, updated);
        return updated;
    }

    /**
     * AWX's read-only fields (its serializers' read_only fields and computed ones): ignored in
     * input, as DRF ignores them; the collection sends some (a credential type's {@code managed}).
     */
    private static final Set<String> READ_ONLY = Set.of("id", "type", "url", "related", "summary_fields", "created", "modified",
            "managed", "status", "last_job_run", "last_job_failed", "next_job_run", "last_update_failed", "last_updated",
            "scm_revision", "has_active_failures", "total_hosts", "hosts_with_active_failures", "total_groups",
            "has_inventory_sources", "total_inventory_sources", "inventory_sources_with_failures", "pending_deletion",
            "custom_virtualenv", "last_job", "last_job_host_summary", "ansible_facts_modified", "client_id", "client_secret",
            "token", "refresh_token", "expires", "last_login", "ldap_dn", "external_account", "auth", "can_update",
            "can_cancel", "jobs_running", "jobs_total", "capacity", "consumed_capacity", "percent_capacity_remaining",
            "next_run", "dtend", "timezone", "until", "current_job", "current_update", "last_update", "event_processing_finished");

    /**
     * AWX's OPTIONS on a list (DRF metadata): the fields a GET filters on and a POST takes, with
     * their types as awxkit reads them ({@code awx <resource> list|create} is built from this).
     */
    @io.micronaut.http.annotation.Options("/")
    public HttpResponse<String> listOptions(HttpRequest<?> request) {
        Access access = AuthFilter.access(request);
        Map<String, Object> actions = new LinkedHashMap<>();
        Map<String, Object> get = new LinkedHashMap<>();
        get.put("id", Map.of("type", "integer", "label", "ID", "filterable", true));
        get.put("type", Map.of("type", "choice", "label", "Type", "filterable", false, "choices",
                List.of(List.of(schema.type(), schema.type()))));
        get.put("url", Map.of("type", "string", "label", "Url", "filterable", false));
        for (FieldSpec f : schema.fields()) {
            if (!f.writeOnly()) {
                get.put(f.name(), fieldOptions(f, false));
            }
        }
        get.put("created", Map.of("type", "datetime", "label", "Created", "filterable", true));
        get.put("modified", Map.of("type", "datetime", "label", "Modified", "filterable", true));
        actions.put("GET", get);
        if (!unsupportedMethods().contains("POST") && (access.isSuperuser() || (access.mayWrite() && policy.canAdd(access, Map.of())))) {
            Map<String, Object> post = new LinkedHashMap<>();
            schema.fields().forEach(f -> post.put(f.name(), fieldOptions(f, true)));
            actions.put("POST", post);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", titled(schema.endpoint()) + " List");
        out.put("description", "");
        out.put("renders", List.of("application/json"));
        out.put("parses", List.of("application/json"));
        out.put("actions", actions);
        out.put("types", List.of(schema.type()));
        out.put("search_fields", schema.field("description").isPresent() ? List.of("name", "description") : List.of("name"));
        return Responses.ok(out).header("Allow", allowed(true));
    }

    /** AWX's OPTIONS on one object: its methods in {@code Allow} (awxkit reads them for modify/delete), answered as DRF does even for a missing id. */
    @io.micronaut.http.annotation.Options("/{id}/")
    public HttpResponse<String> detailOptions(@PathVariable String id, HttpRequest<?> request) {
        Map<String, Object> put = new LinkedHashMap<>();
        schema.fields().forEach(f -> put.put(f.name(), fieldOptions(f, true)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", titled(schema.type()) + " Detail");
        out.put("description", "");
        out.put("renders", List.of("application/json"));
        out.put("parses", List.of("application/json"));
        if (AuthFilter.access(request).mayWrite() && !unsupportedMethods().contains("PUT")) {
            out.put("actions", Map.of("PUT", put));
        }
        out.put("types", List.of(schema.type()));
        return Responses.ok(out).header("Allow", allowed(false));
    }

    private String allowed(boolean list) {
        List<String> methods = new ArrayList<>(list ? List.of("GET", "POST") : List.of("GET", "PUT", "PATCH", "DELETE"));
        methods.removeAll(unsupportedMethods());
        methods.addAll(List.of("HEAD", "OPTIONS"));
        return String.join(", ", methods);
    }

    private static String titled(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.split("_")) {
            if (!word.isEmpty()) {
                out.append(out.length() == 0 ? "" : " ").append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return out.toString();
    }

    /** One field as DRF's metadata describes it; awxkit maps {@code type} to its argument parser. */
    private static Map<String, Object> fieldOptions(FieldSpec f, boolean writing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", switch (f.kind()) {
            case STRING, TEXT, VARIABLES -> "string";
            case INTEGER -> "integer";
            case BOOLEAN -> "boolean";
            case REFERENCE -> "id";
            case CHOICE -> "choice";
            case DICT -> "json";
        });
        if (writing) {
            m.put("required", f.required());
        }
        m.put("label", titled(f.name()));
        if (f.maxLength() > 0) {
            m.put("max_length", f.maxLength());
        }
        if (!f.choices().isEmpty()) {
            m.put("choices", f.choices().stream().filter(java.util.Objects::nonNull).map(c -> List.of(c, String.valueOf(c))).toList());
        }
        if (f.defaultValue() != null) {
            m.put("default", f.defaultValue());
        }
        if (!writing) {
            m.put("filterable", f.kind() != FieldSpec.Kind.DICT && !f.writeOnly());
        }
        return m;
    }

    /** Whether this type has AWX's {@code copy/} (credentials, projects, inventories, templates, notification templates). */
    protected boolean copyable() {
        return false;
    }

    /** Stored fields a copy does not take: its own identity and history, not the original's. */
    private static final Set<String> NOT_COPIED = Set.of("id", "name", "created", "modified", "created_by", "modified_by",
            "last_update", "current_update", "last_job", "current_job", "status", "scm_revision", "local_path",
            "next_schedule", "playbook_files", "pending_deletion", dev.towerless.core.copying.DeepCopy.PENDING,
            dev.towerless.core.copying.DeepCopy.SOURCE, dev.towerless.core.copying.DeepCopy.COPIER,
            dev.towerless.core.copying.DeepCopy.COPIED_FROM);

    /** AWX's CopyAPIView GET: whether the caller may copy the object (404/403 as for reading it). */
    @Get("/{id}/copy/")
    public HttpResponse<String> copyInfo(@PathVariable String id, HttpRequest<?> request) {
        if (!copyable()) {
            throw ApiException.notFound();
        }
        Resource original = findVisible(id, request);
        return Responses.ok(copyInfoOf(AuthFilter.access(request), original));
    }

    /** What GET copy/ answers (AWX's CopyAPIView: {@code can_copy}; a workflow says more). */
    protected Map<String, Object> copyInfoOf(Access access, Resource original) {
        return Map.of("can_copy", policy.canCopy(access, original));
    }

    /**
     * AWX's CopyAPIView POST {@code {"name": …}}: a new object with the original's settings (its
     * sealed secrets, labels, credentials, survey), made by the caller, who becomes its admin; then
     * what the type copies below it: an inventory's hosts and groups, a workflow's nodes, copied
     * in the background ({@link dev.towerless.core.copying.DeepCopy}). 201 with the copy, as AWX.
     */
    @Post("/{id}/copy/")
    public HttpResponse<String> copy(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        if (!copyable()) {
            throw ApiException.notFound();
        }
        Resource original = findVisible(id, request);
        Access access = AuthFilter.access(request);
        ApiException.require(policy.canCopy(access, original));
        Map<String, Object> input = Json.readObject(body);
        for (String field : input.keySet()) {
            if (!"name".equals(field)) {
                throw ValidationException.of(field, "Unknown field.");
            }
        }
        Object name = input.get("name");
        if (name == null || String.valueOf(name).isBlank()) {
            throw ValidationException.of("name", name == null ? "This field is required." : "This field may not be blank.");
        }
        if (name.equals(original.name())) {
            throw ValidationException.of("__all__", "The original object is already named " + name
                    + ", a copy from it cannot have the same name.");
        }
        Map<String, Object> fields = new LinkedHashMap<>(original.fields());
        fields.keySet().removeAll(NOT_COPIED);
        fields.put("name", String.valueOf(name));
        UniqueNames.check(ctx.resources(), schema.type(), fields, null);
        fields.putAll(Stamps.created(ctx.clock()));
        Resource copy = ctx.resources().create(schema.type(), fields);
        if (RoleCatalogue.hasRoles(schema.type())) {
            ctx.memberships().grant(AuthFilter.user(request), Role.of(schema.type(), copy.id(), RoleCatalogue.ADMIN));
        }
        afterCopy(original, copy, request);
        if (dev.towerless.core.copying.DeepCopy.hasSubObjects(schema.type())) {
            // AWX: the copy answers at once; its sub-objects follow from a background task
            deepCopy.schedule(original, copy, AuthFilter.user(request).id());
        }
        Resource shown = ctx.resources().get(schema.type(), copy.id()).orElse(copy);
        return Responses.created(render(shown, Views.of(ctx, request)));
    }

    /** What a copy brings along below it (AWX's deep copy); the caller is the copier. */
    protected void afterCopy(Resource original, Resource copy, HttpRequest<?> request) {
    }

    /** Inputs this endpoint takes besides its schema's fields (write-only ones its controller reads itself). */
    protected Set<String> acceptedInputs() {
        return Set.of();
    }

    private boolean unknown(String field) {
        return schema.field(field).isEmpty() && !READ_ONLY.contains(field) && !acceptedInputs().contains(field);
    }

    /**
     * A field this endpoint does not know is refused by name rather than dropped (where DRF would
     * drop it silently, a typo like {@code ask_tag_on_launch} would otherwise be a 201 that did nothing).
     */
    private void refuseUnknownFields(Map<String, Object> input, Set<String> shown) {
        Map<String, List<String>> errors = new java.util.TreeMap<>();
        for (String field : input.keySet()) {
            if (unknown(field) && !shown.contains(field)) {
                errors.put(field, List.of("Unknown field."));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    /** Refusals of a permitted change that depend on the raw input (a user changing their own username). */
    protected void checkUpdate(Access access, Resource existing, Map<String, Object> input) {
    }

    /**
     * AWX's association sub-endpoint (POST {@code {"id": N}} adds, {@code {"id": N, "disassociate":
     * true}} removes) over a list-of-ids field; 204 either way. The policy decides who may attach
     * and detach; {@code check} may refuse an addition for what it is.
     */
    protected HttpResponse<String> associate(HttpRequest<?> request, Resource owner, String field, String targetType, String body,
                                             java.util.function.BiConsumer<Resource, List<Long>> check) {
        Access access = AuthFilter.access(request);
        Map<String, Object> input = Json.readObject(body);
        Object rawId = input.get("id");
        if (!(rawId instanceof Number)) {
            throw ApiException.field("id", rawId == null ? "This field is required." : "A valid integer is required.");
        }
        long targetId = ((Number) rawId).longValue();
        List<Long> current = new ArrayList<>(owner.references(field));
        boolean detach = input.containsKey("disassociate"); // AWX ignores its value
        Optional<Resource> target = ctx.resources().get(targetType, targetId);
        if (detach) {
            target.ifPresent(t -> ApiException.require(policy.canUnattach(access, owner, t, field)));
            current.remove(targetId);
        } else {
            Resource t = target.orElseThrow(() -> ApiException.field("id", "Invalid pk \"" + targetId + "\" - object does not exist."));
            ApiException.require(policy.canAttach(access, owner, t, field));
            check.accept(t, current);
            if (!current.contains(targetId)) {
                current.add(targetId);
            }
        }
        ctx.resources().update(schema.type(), owner.id(), Map.of(field, current));
        return Responses.noContent();
    }

    /** The associated objects of a list-of-ids field the caller may see, rendered by their own controller. */
    public HttpResponse<String> associated(HttpRequest<?> request, Resource owner, String field, ResourceController of) {
        return of.listChildren(request, new ArrayList<>(ctx.resources().getMany(of.schema.type(), owner.references(field)).values()));
    }

    protected Resource find(String id) {
        return parseId(id).flatMap(n -> ctx.resources().get(schema.type(), n)).orElseThrow(ApiException::notFound);
    }

    /** The object, if the caller may see it: 404 when it does not exist, 403 when it is not theirs to see (as AWX). */
    protected Resource findVisible(String id, HttpRequest<?> request) {
        Resource r = find(id);
        ApiException.require(policy.canSee(AuthFilter.access(request), r));
        return r;
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

    /** What follows a stored change (a smart inventory's membership rebuilt after its filter changed). */
    protected void afterUpdate(Resource before, Resource after) {
    }

    /** What follows a delete (the smart inventories a deleted host was in). */
    protected void afterDelete(Resource deleted) {
    }

    /** The answer to a delete the policy refuses: AWX's 403. */
    protected void refuseDelete(Access access, Resource resource) {
        throw ApiException.permissionDenied();
    }

    /** Refuse a delete AWX would refuse (409), e.g. a resource with running jobs. */
    protected void beforeDelete(Resource resource) {
    }

    /**
     * Reads the objects these rows' reference fields name (a page of templates' inventories,
     * projects, organizations) in one batch before any row is rendered, instead of one GetItem
     * per distinct object as {@link #render} meets them.
     */
    protected void prefetch(java.util.Collection<Resource> rows, Views views) {
        if (showsNextSchedule()) {
            views.prefetchSchedules(); // read meanwhile: the batch below and the rows' last jobs need not wait for it
        }
        Map<String, java.util.Set<Long>> ids = new java.util.HashMap<>();
        for (Resource r : rows) {
            for (FieldSpec f : schema.fields()) {
                if (f.kind() == FieldSpec.Kind.REFERENCE) {
                    r.reference(f.name()).ifPresent(id -> ids.computeIfAbsent(f.references(), t -> new java.util.HashSet<>()).add(id));
                }
            }
        }
        views.prefetch(ids);
    }

    /** Whether this type's rows show {@code next_job_run} (SchedulesController.addTo): a template of some kind. */
    protected boolean showsNextSchedule() {
        return false;
    }

    /** The AWX representation: identity, links, summaries (the caller's capabilities among them), then the fields. */
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
        if (RoleCatalogue.hasRoles(r.type())) {
            related.put("object_roles", selfUrl(r) + "object_roles/");
            related.put("access_list", selfUrl(r) + "access_list/");
        }
        if (copyable()) {
            related.put("copy", selfUrl(r) + "copy/");
        }
        addRelated(r, related);
        summary.putAll(objectRoles(r));
        addSummary(r, summary, views);
        summary.put("user_capabilities", policy.capabilities(views.access(), r));
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

    /** AWX's {@code summary_fields.object_roles}: each role of the object with its name, description and id. */
    public static Map<String, Object> objectRoles(Resource r) {
        if (!RoleCatalogue.hasRoles(r.type())) {
            return Map.of();
        }
        Map<String, Object> roles = new LinkedHashMap<>();
        for (RoleDefinition d : RoleCatalogue.rolesOf(r.type())) {
            Map<String, Object> role = new LinkedHashMap<>();
            role.put("description", d.description());
            role.put("name", d.name());
            role.put("id", Role.of(r.type(), r.id(), d.field()).id());
            if (ResourceTypes.ORGANIZATION.equals(r.type())
                    && (d.field().equals(RoleCatalogue.ADMIN) || d.field().equals(RoleCatalogue.MEMBER))) {
                role.put("user_only", true);
            }
            roles.put(d.field(), role);
        }
        return Map.of("object_roles", roles);
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

    /** Roles and grants, for controllers that grant (a creator becoming a template's admin). */
    protected Memberships memberships() {
        return ctx.memberships();
    }
}
