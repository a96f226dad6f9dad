package dev.towerless.api.workflows;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.credentials.CredentialsController;
import dev.towerless.api.labels.LabelsController;
import dev.towerless.api.schedules.SchedulesController;
import dev.towerless.api.system.InstanceGroupsController;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * AWX's workflow job template nodes: what each node runs, its prompts, and its edges
 * ({@code success_nodes/}, {@code failure_nodes/}, {@code always_nodes/}), which must keep the
 * graph acyclic and link two nodes at most once.
 */
@Controller("/api/v2/workflow_job_template_nodes")
public class WorkflowJobTemplateNodesController extends ResourceController {
    public static final List<String> EDGES = List.of("success_nodes", "failure_nodes", "always_nodes");
    private static final Map<String, String> JOB_TYPES = Map.of(ResourceTypes.JOB_TEMPLATE, "job",
            ResourceTypes.PROJECT, "project_update", ResourceTypes.INVENTORY_SOURCE, "inventory_update",
            ResourceTypes.SYSTEM_JOB_TEMPLATE, "system_job", ResourceTypes.WORKFLOW_JOB_TEMPLATE, "workflow_job",
            ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, "workflow_approval");

    private final WorkflowApprovalTemplatesController approvalTemplates;
    private final CredentialsController credentials;
    private final LabelsController labels;
    private final InstanceGroupsController instanceGroups;

    public WorkflowJobTemplateNodesController(ApiContext ctx, WorkflowApprovalTemplatesController approvalTemplates,
                                              CredentialsController credentials, LabelsController labels,
                                              InstanceGroupsController instanceGroups) {
        super(ctx, Schemas.WORKFLOW_JOB_TEMPLATE_NODE);
        this.approvalTemplates = approvalTemplates;
        this.credentials = credentials;
        this.labels = labels;
        this.instanceGroups = instanceGroups;
    }

    /** The credentials the node's job is launched with instead of its template's (a prompt the template asks for). */
    @Get("/{id}/credentials/")
    public HttpResponse<String> listCredentials(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "credentials", credentials);
    }

    /** AWX's LaunchConfigCredentialsBase checks, in its order and words. */
    @Post("/{id}/credentials/")
    public HttpResponse<String> associateCredential(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource node = findVisible(id, request);
        Optional<Resource> template = node.reference("unified_job_template").flatMap(this::template);
        return associate(request, node, "credentials", ResourceTypes.CREDENTIAL, body, (credential, current) -> {
            String problem = null;
            if (template.isEmpty()) {
                problem = "Cannot assign credential when related template is null.";
            } else if (!template.get().type().equals(ResourceTypes.JOB_TEMPLATE)) {
                problem = "Related template cannot accept credentials on launch.";
            } else if (!ctx.launches().passwordsNeededToStart(List.of(credential.id())).isEmpty()) {
                problem = "Credential that requires user input on launch cannot be used in saved launch configuration.";
            } else if (!template.get().flag("ask_credential_on_launch")) {
                problem = "Related template is not configured to accept credentials on launch.";
            } else if (ctx.resources().getMany(ResourceTypes.CREDENTIAL, current).values().stream()
                    .anyMatch(c -> sameKind(c, credential))) {
                problem = "This launch configuration already provides a " + kindName(credential) + " credential.";
            } else if (template.get().references("credentials").contains(credential.id())) {
                problem = "Related template already uses " + credential.name() + " credential.";
            }
            if (problem != null) {
                throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("msg", problem));
            }
        });
    }

    @Get("/{id}/labels/")
    public HttpResponse<String> listLabels(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "labels", labels);
    }

    @Post("/{id}/labels/")
    public HttpResponse<String> associateLabel(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return associate(request, findVisible(id, request), "labels", ResourceTypes.LABEL, body, (label, current) -> { });
    }

    @Get("/{id}/instance_groups/")
    public HttpResponse<String> listInstanceGroups(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "instance_groups", instanceGroups);
    }

    @Post("/{id}/instance_groups/")
    public HttpResponse<String> associateInstanceGroup(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return associate(request, findVisible(id, request), "instance_groups", ResourceTypes.INSTANCE_GROUP, body, (g, current) -> { });
    }

    /** AWX's unique_hash: one credential per type, per vault id for Vault credentials. */
    private static boolean sameKind(Resource a, Resource b) {
        return a.get("credential_type") != null && a.get("credential_type").equals(b.get("credential_type"))
                && java.util.Objects.equals(vaultId(a), vaultId(b));
    }

    private static Object vaultId(Resource credential) {
        return credential.get("inputs") instanceof Map<?, ?> inputs ? inputs.get("vault_id") : null;
    }

    private String kindName(Resource credential) {
        String type = credential.reference("credential_type").flatMap(t -> ctx.resources().get(ResourceTypes.CREDENTIAL_TYPE, t))
                .map(Resource::name).orElse("");
        Object vault = vaultId(credential);
        return vault == null ? type : type + " (id=" + vault + ")";
    }

    @Get("/{id}/create_approval_template/")
    public HttpResponse<String> approvalTemplateInfo(@PathVariable String id, HttpRequest<?> request) {
        findVisible(id, request);
        return Responses.ok(Map.of());
    }

    /** Makes an approval step the node's template (201 with the approval template). */
    @Post("/{id}/create_approval_template/")
    public HttpResponse<String> createApprovalTemplate(@PathVariable String id, HttpRequest<?> request,
                                                       @Nullable @Body String body) {
        Resource node = findVisible(id, request);
        Access access = AuthFilter.access(request);
        Resource workflow = node.reference("workflow_job_template").flatMap(w -> access.lookup().find(ResourceTypes.WORKFLOW_JOB_TEMPLATE, w))
                .orElseThrow(ApiException::notFound);
        ApiException.require(AccessPolicies.WORKFLOW_JOB_TEMPLATES.canChange(access, workflow, Map.of()));
        HttpResponse<String> created = approvalTemplates.createFor(request, body, workflow.id());
        long templateId = ((Number) Json.readObject(created.body()).get("id")).longValue();
        ctx.resources().update(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, node.id(), Map.of("unified_job_template", templateId));
        return created;
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        Map<String, Object> out = new LinkedHashMap<>();
        Object identifier = fields.get("identifier");
        if (identifier == null || identifier.toString().isBlank()) {
            identifier = UUID.randomUUID().toString();
            out.put("identifier", identifier);
        }
        refuseDuplicate(((Number) fields.get("workflow_job_template")).longValue(), identifier.toString(), -1);
        checkTemplate(fields.get("unified_job_template"));
        EDGES.forEach(e -> out.put(e, List.of()));
        return out;
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        changes.remove("workflow_job_template"); // read-only after create, as in AWX
        if (changes.get("identifier") != null && !changes.get("identifier").equals(existing.get("identifier"))) {
            refuseDuplicate(existing.reference("workflow_job_template").orElse(-1L), changes.get("identifier").toString(),
                    existing.id());
        }
        if (changes.containsKey("unified_job_template")) {
            checkTemplate(changes.get("unified_job_template"));
        }
        return Map.of();
    }

    /** A deleted node leaves no edge pointing at it. */
    @Override
    protected void beforeDelete(Resource node) {
        long template = node.reference("workflow_job_template").orElse(-1L);
        for (Resource other : ctx.resources().where(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "workflow_job_template", template)) {
            Map<String, Object> changes = new LinkedHashMap<>();
            for (String edge : EDGES) {
                if (other.references(edge).contains(node.id())) {
                    changes.put(edge, other.references(edge).stream().filter(id -> id != node.id()).toList());
                }
            }
            if (!changes.isEmpty()) {
                ctx.resources().update(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, other.id(), changes);
            }
        }
    }

    private void refuseDuplicate(long template, String identifier, long self) {
        boolean taken = ctx.resources().where(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "workflow_job_template", template)
                .stream().anyMatch(n -> n.id() != self && identifier.equals(n.get("identifier")));
        if (taken) {
            throw ApiException.field("__all__",
                    "Workflow job template node with this Workflow job template and Identifier already exists.");
        }
    }

    private void checkTemplate(Object id) {
        if (id != null && template(((Number) id).longValue()).isEmpty()) {
            throw ApiException.field("unified_job_template", "Invalid pk \"" + id + "\" - object does not exist.");
        }
    }

    private Optional<Resource> template(long id) {
        return dev.towerless.core.resources.UnifiedJobTemplates.find(ctx.resources(), id);
    }

    /** The nodes of one workflow template, in id order. */
    public HttpResponse<String> listOf(HttpRequest<?> request, Resource workflowTemplate) {
        return listChildren(request, ctx.resources().where(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE,
                "workflow_job_template", workflowTemplate.id()));
    }

    @Get("/{id}/success_nodes/")
    public HttpResponse<String> successNodes(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "success_nodes", this);
    }

    @Get("/{id}/failure_nodes/")
    public HttpResponse<String> failureNodes(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "failure_nodes", this);
    }

    @Get("/{id}/always_nodes/")
    public HttpResponse<String> alwaysNodes(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "always_nodes", this);
    }

    @Post("/{id}/success_nodes/")
    public HttpResponse<String> linkSuccess(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return link(request, findVisible(id, request), "success_nodes", body);
    }

    @Post("/{id}/failure_nodes/")
    public HttpResponse<String> linkFailure(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return link(request, findVisible(id, request), "failure_nodes", body);
    }

    @Post("/{id}/always_nodes/")
    public HttpResponse<String> linkAlways(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return link(request, findVisible(id, request), "always_nodes", body);
    }

    /** Attaches or detaches a child; refuses another workflow's node, a second link between two nodes, and cycles. */
    private HttpResponse<String> link(HttpRequest<?> request, Resource parent, String edge, String body) {
        Map<String, Object> input = Json.readObject(body);
        if (input.containsKey("disassociate")) {
            return associate(request, parent, edge, ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, body, (child, current) -> { });
        }
        return associate(request, parent, edge, ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, body, (child, current) -> {
            if (!child.reference("workflow_job_template").equals(parent.reference("workflow_job_template"))) {
                throw ApiException.field("id", "Nodes must belong to the same workflow job template.");
            }
            if (current.contains(child.id())) {
                return; // already linked this way
            }
            for (String other : EDGES) {
                if (!other.equals(edge) && parent.references(other).contains(child.id())) {
                    throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("Error", "Relationship not allowed."));
                }
            }
            if (child.id() == parent.id() || reaches(child.id(), parent.id(), parent.reference("workflow_job_template").orElse(-1L))) {
                throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("Error", "Cycle detected."));
            }
        });
    }

    /** Whether {@code from} already leads to {@code to} (so an edge to → from would close a cycle). */
    private boolean reaches(long from, long to, long workflowTemplate) {
        Map<Long, Resource> nodes = new LinkedHashMap<>();
        ctx.resources().where(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, "workflow_job_template", workflowTemplate)
                .forEach(n -> nodes.put(n.id(), n));
        Deque<Long> todo = new ArrayDeque<>(List.of(from));
        Set<Long> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            long n = todo.pop();
            if (n == to) {
                return true;
            }
            if (seen.add(n) && nodes.containsKey(n)) {
                for (String edge : EDGES) {
                    todo.addAll(nodes.get(n).references(edge));
                }
            }
        }
        return false;
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        for (String sub : List.of("success_nodes", "failure_nodes", "always_nodes", "credentials", "labels",
                "instance_groups", "create_approval_template")) {
            related.put(sub, selfUrl(r) + sub + "/");
        }
    }

    @Override
    protected void addSummary(Resource r, Map<String, Object> summary, Views views) {
        r.reference("unified_job_template").flatMap(views::unifiedJobTemplate).ifPresent(t -> summary.put("unified_job_template",
                Map.of("id", t.id(), "name", t.name(), "description", t.fields().getOrDefault("description", ""),
                        "unified_job_type", JOB_TYPES.getOrDefault(t.type(), t.type()))));
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        EDGES.forEach(e -> out.put(e, new ArrayList<>(r.references(e))));
        r.reference("unified_job_template").flatMap(views::unifiedJobTemplate).ifPresent(t ->
                ((Map<String, Object>) out.get("related")).put("unified_job_template", SchedulesController.templateUrl(t)));
    }
}
