package dev.towerless.api.bulk;

import dev.towerless.core.access.AccessDenied;
import dev.towerless.core.organizations.HostLimit;
import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.workflows.WorkflowJobsController;
import dev.towerless.app.Stamps;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.access.UnifiedJobTemplateAccess;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.resources.ValidationException;
import dev.towerless.core.settings.SystemSettings;
import dev.towerless.core.workflows.WorkflowManager;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * AWX's {@code bulk/}: many hosts into one inventory in one call ({@code host_create/}), and many
 * jobs launched together as one workflow job with no template ({@code job_launch/}).
 */
@Controller("/api/v2/bulk")
public class BulkController {
    /** What a job of a bulk launch may carry (AWX's BulkJobNodeSerializer: a workflow node's prompts). */
    private static final List<String> NODE_FIELDS = List.of("unified_job_template", "identifier", "inventory", "credentials",
            "labels", "execution_environment", "extra_data", "limit", "job_type", "verbosity", "forks", "scm_branch",
            "job_tags", "skip_tags", "diff_mode", "timeout", "job_slice_count", "all_parents_must_converge");
    private static final List<String> HOST_FIELDS = List.of("name", "enabled", "instance_id", "description", "variables");

    private final ApiContext ctx;
    private final WorkflowJobsController workflowJobs;
    private final WorkflowManager workflows;

    public BulkController(ApiContext ctx, WorkflowJobsController workflowJobs, WorkflowManager workflows) {
        this.ctx = ctx;
        this.workflowJobs = workflowJobs;
        this.workflows = workflows;
    }

    @Get("/")
    public HttpResponse<String> root() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("host_create", "/api/v2/bulk/host_create/");
        out.put("job_launch", "/api/v2/bulk/job_launch/");
        return Responses.ok(out);
    }

    @Get("/host_create/")
    public HttpResponse<String> hostCreateInfo() {
        return Responses.ok(Map.of("detail", "Bulk create hosts with this endpoint"));
    }

    /** Every host checked first (names unique in the inventory and the request), then all written; 201 with the hosts. */
    @Post("/host_create/")
    @SuppressWarnings("unchecked")
    public HttpResponse<String> hostCreate(HttpRequest<?> request, @Nullable @Body String body) {
        Access access = AuthFilter.access(request);
        Map<String, Object> input = Json.readObject(body);
        Object inv = input.get("inventory");
        if (inv == null) {
            throw ApiException.field("inventory", "This field is required.");
        }
        Resource inventory = (inv instanceof Number n ? ctx.resources().get(ResourceTypes.INVENTORY, n.longValue())
                : java.util.Optional.<Resource>empty())
                .orElseThrow(() -> ApiException.field("inventory", "Invalid pk \"" + inv + "\" - object does not exist."));
        if (!(input.get("hosts") instanceof List<?> given) || given.isEmpty()) {
            throw ApiException.field("hosts", input.get("hosts") == null ? "This field is required." : "This list may not be empty.");
        }
        List<String> problems = new ArrayList<>();
        if (!String.valueOf(inventory.fields().getOrDefault("kind", "")).isEmpty()) {
            problems.add("Hosts can only be created in manual inventories (not smart or constructed types).");
        }
        if (given.size() > SystemSettings.load(ctx.resources()).number(SystemSettings.BULK_HOST_MAX_CREATE)) {
            problems.add("Number of hosts exceeds system setting BULK_HOST_MAX_CREATE");
        }
        if (!access.isSuperuser() && !access.holds(inventory, RoleCatalogue.ADMIN)) {
            problems.add("Inventory with id " + inventory.id() + " not found or lack permissions to add hosts.");
        }
        List<Map<String, Object>> checked = new ArrayList<>();
        for (Object h : given) {
            if (!(h instanceof Map<?, ?> m)) {
                throw ApiException.field("hosts", "Expected a dictionary of items but got type \"" + h.getClass().getSimpleName() + "\".");
            }
            Map<String, Object> host = new LinkedHashMap<>((Map<String, Object>) m);
            host.keySet().removeIf(k -> !HOST_FIELDS.contains(k));
            host.put("inventory", inventory.id());
            checked.add(ctx.validator().forCreate(Schemas.HOST, host));
        }
        Set<String> existing = new HashSet<>();
        ctx.resources().where(ResourceTypes.HOST, "inventory", inventory.id()).forEach(h -> existing.add(h.name()));
        List<String> names = checked.stream().map(h -> String.valueOf(h.get("name"))).toList();
        Set<String> duplicates = new TreeSet<>();
        for (String n : names) {
            if (existing.contains(n) || names.stream().filter(n::equals).count() > 1) {
                duplicates.add(n);
            }
        }
        if (!duplicates.isEmpty()) {
            problems.add("Hostnames must be unique in an inventory. Duplicates found: " + duplicates);
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(Map.of("__all__", problems));
        }
        // AWX's raise_if_host_counts_violated: all refused, none written, when the new names pass max_hosts.
        AccessDenied.throwIf(HostLimit.addAllRefusal(ctx.resources(), inventory.id(), names));
        List<Map<String, Object>> created = new ArrayList<>();
        for (Map<String, Object> h : checked) {
            Map<String, Object> f = new LinkedHashMap<>(h);
            f.putAll(Stamps.created(ctx.clock()));
            Resource r = ctx.resources().create(ResourceTypes.HOST, f);
            Map<String, Object> shown = new LinkedHashMap<>();
            HOST_FIELDS.forEach(k -> shown.put(k, r.fields().get(k)));
            shown.put("id", r.id());
            shown.put("url", "/api/v2/hosts/" + r.id() + "/");
            created.add(shown);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", "/api/v2/inventories/" + inventory.id() + "/hosts/");
        out.put("hosts", created);
        return Responses.json(HttpStatus.CREATED, out);
    }

    @Get("/job_launch/")
    public HttpResponse<String> jobLaunchInfo() {
        return Responses.ok(Map.of("detail", "Specify a list of unified job templates to launch alongside their launchtime parameters"));
    }

    /** One workflow job whose nodes are the requested jobs; each template must be the caller's to run, each prompt theirs to use. */
    @Post("/job_launch/")
    @SuppressWarnings("unchecked")
    public HttpResponse<String> jobLaunch(HttpRequest<?> request, @Nullable @Body String body) {
        Access access = AuthFilter.access(request);
        Map<String, Object> input = Json.readObject(body);
        if (!(input.get("jobs") instanceof List<?> given) || given.isEmpty()) {
            throw ApiException.field("jobs", input.get("jobs") == null ? "This field is required." : "This list may not be empty.");
        }
        if (given.size() > SystemSettings.load(ctx.resources()).number(SystemSettings.BULK_JOB_MAX_LAUNCH)) {
            throw new ValidationException(Map.of("non_field_errors",
                    List.of("Number of requested jobs exceeds system setting BULK_JOB_MAX_LAUNCH")));
        }
        List<Map<String, Object>> jobs = new ArrayList<>();
        Set<Object> identifiers = new HashSet<>();
        Set<Long> refused = new TreeSet<>();
        for (Object o : given) {
            Long t = o instanceof Map<?, ?> asked ? pk(asked.get("unified_job_template")) : null;
            if (t == null) {
                throw ApiException.field("jobs", "Each job needs a unified_job_template (a template's id).");
            }
            Map<?, ?> m = (Map<?, ?>) o;
            Map<String, Object> job = new LinkedHashMap<>((Map<String, Object>) m);
            // DRF's primary key fields take "12" as 12 (templated playbook values are strings): one form from here on.
            job.put("unified_job_template", t);
            for (String single : List.of("inventory", "execution_environment")) {
                if (job.get(single) != null) {
                    job.put(single, pkOrRefuse(job.get(single), single));
                }
            }
            for (String many : List.of("credentials", "labels", "instance_groups")) {
                if (job.get(many) instanceof List<?> ids) {
                    job.put(many, ids.stream().map(id -> pkOrRefuse(id, many)).toList());
                }
            }
            for (String key : job.keySet()) {
                if (!NODE_FIELDS.contains(key)) {
                    throw ApiException.field("jobs", "Unknown field \"" + key + "\" for a job; expected one of " + NODE_FIELDS + ".");
                }
            }
            if (job.containsKey("identifier") && !identifiers.add(job.get("identifier"))) {
                throw new ValidationException(Map.of("non_field_errors", List.of("Identifier " + job.get("identifier") + " not unique")));
            }
            Resource template = UnifiedJobTemplateAccess.find(access, t.longValue()).orElse(null);
            if (template == null || !List.of(ResourceTypes.JOB_TEMPLATE, ResourceTypes.PROJECT, ResourceTypes.INVENTORY_SOURCE,
                    ResourceTypes.WORKFLOW_JOB_TEMPLATE).contains(template.type())
                    || !UnifiedJobTemplateAccess.canStart(access, template)) {
                refused.add(t.longValue());
            }
            requireUse(access, ResourceTypes.INVENTORY, job.get("inventory"), "Inventories");
            if (job.get("credentials") instanceof List<?> creds) {
                for (Object c : creds) {
                    requireUse(access, ResourceTypes.CREDENTIAL, c, "Credentials");
                }
            }
            jobs.add(job);
        }
        if (!refused.isEmpty()) {
            throw new ValidationException(Map.of("non_field_errors", List.of("Unified Job Templates " + refused
                    + " not found or you don't have permissions to access it")));
        }
        Long inventory = input.get("inventory") == null ? null : pkOrRefuse(input.get("inventory"), "inventory");
        requireUse(access, ResourceTypes.INVENTORY, inventory, "Inventories");
        Long organization = input.get("organization") == null ? null : pkOrRefuse(input.get("organization"), "organization");
        if (organization != null && !access.isSuperuser() && !access.holds(ResourceTypes.ORGANIZATION, organization,
                RoleCatalogue.MEMBER)) {
            throw ApiException.field("organization", "Organization " + organization + " not found or you don't have permissions to access it");
        }
        Map<String, Object> extraVars;
        try {
            extraVars = Json.extraVars(input.get("extra_vars"), ctx.variables());
        } catch (IllegalArgumentException e) {
            throw ApiException.field("extra_vars", e.getMessage());
        }
        String name = input.get("name") == null ? "Bulk Job Launch" : String.valueOf(input.get("name"));
        UnifiedJob job = workflows.launchBulk(name, jobs, extraVars, organization, inventory,
                input.get("limit") == null ? null : String.valueOf(input.get("limit")), Origin.user(access.user()));
        return Responses.created(workflowJobs.render(job, Views.of(ctx, request)));
    }

    /** A primary key as DRF reads one: a whole number, or a string of digits; null otherwise. */
    private static Long pk(Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        return v instanceof String s && s.matches("\\d{1,18}") ? Long.parseLong(s) : null;
    }

    private static Long pkOrRefuse(Object v, String field) {
        Long id = pk(v);
        if (id == null) {
            throw ApiException.field(field, "Incorrect type. Expected pk value, received " + (v instanceof String ? "str" : "dict") + ".");
        }
        return id;
    }

    private static void requireUse(Access access, String type, Object id, String plural) {
        if (id instanceof Number n && !access.isSuperuser() && !access.holds(type, n.longValue(), RoleCatalogue.USE)) {
            throw new ValidationException(Map.of("non_field_errors",
                    List.of(plural + " {" + n.longValue() + "} not found or you don't have permissions to access it")));
        }
    }
}
