package dev.towerless.api.organizations;

import dev.towerless.api.access.Grants;
import dev.towerless.api.auth.ApplicationsController;
import dev.towerless.api.credentials.CredentialsController;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.executionenvironments.ExecutionEnvironmentsController;
import dev.towerless.api.inventories.InventoriesController;
import dev.towerless.api.notifications.NotificationAssociationsController;
import dev.towerless.api.notifications.NotificationTemplatesController;
import dev.towerless.api.projects.ProjectsController;
import dev.towerless.api.system.InstanceGroupOwnerController;
import dev.towerless.api.system.InstanceGroupsController;
import dev.towerless.api.templates.JobTemplatesController;
import dev.towerless.api.workflows.WorkflowJobTemplatesController;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import jakarta.inject.Provider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code organizations/}: the top of AWX's tree of ownership. Its {@code users/} and
 * {@code admins/} are the members of its member and admin roles (added by id, or created there);
 * its teams, inventories, projects, credentials, templates and notification templates are listed,
 * and created with the organization set, under it.
 */
@Controller("/api/v2/organizations")
public class OrganizationsController extends InstanceGroupOwnerController {
    private final Grants grants;
    private final Provider<UsersController> users;
    private final Map<String, Provider<? extends ResourceController>> owned = new LinkedHashMap<>();

    public OrganizationsController(ApiContext ctx, InstanceGroupsController instanceGroups, Grants grants,
                                   Provider<UsersController> users, Provider<TeamsController> teams,
                                   Provider<InventoriesController> inventories, Provider<ProjectsController> projects,
                                   Provider<CredentialsController> credentials, Provider<JobTemplatesController> jobTemplates,
                                   Provider<WorkflowJobTemplatesController> workflows,
                                   Provider<NotificationTemplatesController> notificationTemplates,
                                   Provider<ExecutionEnvironmentsController> executionEnvironments,
                                   Provider<ApplicationsController> applications) {
        super(ctx, Schemas.ORGANIZATION, instanceGroups);
        this.grants = grants;
        this.users = users;
        owned.put("teams", teams);
        owned.put("inventories", inventories);
        owned.put("projects", projects);
        owned.put("credentials", credentials);
        owned.put("job_templates", jobTemplates);
        owned.put("workflow_job_templates", workflows);
        owned.put("notification_templates", notificationTemplates);
        owned.put("execution_environments", executionEnvironments);
        owned.put("applications", applications);
    }

    @Get("/{id}/users/")
    public HttpResponse<String> listUsers(@PathVariable String id, HttpRequest<?> request) {
        return members(id, request, RoleCatalogue.MEMBER);
    }

    @Post("/{id}/users/")
    public HttpResponse<String> addUser(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return grants.userRole(request, Role.of(ResourceTypes.ORGANIZATION, findVisible(id, request).id(), RoleCatalogue.MEMBER),
                body, true);
    }

    @Get("/{id}/admins/")
    public HttpResponse<String> listAdmins(@PathVariable String id, HttpRequest<?> request) {
        return members(id, request, RoleCatalogue.ADMIN);
    }

    @Post("/{id}/admins/")
    public HttpResponse<String> addAdmin(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return grants.userRole(request, Role.of(ResourceTypes.ORGANIZATION, findVisible(id, request).id(), RoleCatalogue.ADMIN),
                body, true);
    }

    /** The direct members of one of the organization's roles that the caller may see (admins are not listed as users). */
    private HttpResponse<String> members(String id, HttpRequest<?> request, String field) {
        Resource org = findVisible(id, request);
        return users.get().listChildren(request, ctx.memberships().directMembers(Role.of(ResourceTypes.ORGANIZATION, org.id(), field)));
    }

    @Get("/{id}/teams/")
    public HttpResponse<String> listTeams(@PathVariable String id, HttpRequest<?> request) {
        return listOwned(id, "teams", request);
    }

    @Post("/{id}/teams/")
    public HttpResponse<String> createTeams(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return createOwned(id, "teams", request, body);
    }

    @Get("/{id}/inventories/")
    public HttpResponse<String> listInventories(@PathVariable String id, HttpRequest<?> request) {
        return listOwned(id, "inventories", request);
    }

    @Post("/{id}/inventories/")
    public HttpResponse<String> createInventories(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return createOwned(id, "inventories", request, body);
    }

    @Get("/{id}/projects/")
    public HttpResponse<String> listProjects(@PathVariable String id, HttpRequest<?> request) {
        return listOwned(id, "projects", request);
    }

    @Post("/{id}/projects/")
    public HttpResponse<String> createProjects(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return createOwned(id, "projects", request, body);
    }

    @Get("/{id}/credentials/")
    public HttpResponse<String> listCredentials(@PathVariable String id, HttpRequest<?> request) {
        return listOwned(id, "credentials", request);
    }

    @Post("/{id}/credentials/")
    public HttpResponse<String> createCredentials(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return createOwned(id, "credentials", request, body);
    }

    @Get("/{id}/job_templates/")
    public HttpResponse<String> listJobTemplates(@PathVariable String id, HttpRequest<?> request) {
        return listOwned(id, "job_templates", request);
    }

    @Post("/{id}/job_templates/")
    public HttpResponse<String> createJobTemplates(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return createOwned(id, "job_templates", request, body);
    }

    @Get("/{id}/workflow_job_templates/")
    public HttpResponse<String> listWorkflowJobTemplates(@PathVariable String id, HttpRequest<?> request) {
        return listOwned(id, "workflow_job_templates", request);
    }

    @Post("/{id}/workflow_job_templates/")
    public HttpResponse<String> createWorkflowJobTemplates(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return createOwned(id, "workflow_job_templates", request, body);
    }

    @Get("/{id}/notification_templates/")
    public HttpResponse<String> listNotificationTemplates(@PathVariable String id, HttpRequest<?> request) {
        return listOwned(id, "notification_templates", request);
    }

    @Post("/{id}/notification_templates/")
    public HttpResponse<String> createNotificationTemplates(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return createOwned(id, "notification_templates", request, body);
    }

    @Get("/{id}/execution_environments/")
    public HttpResponse<String> listExecutionEnvironments(@PathVariable String id, HttpRequest<?> request) {
        return listOwned(id, "execution_environments", request);
    }

    @Post("/{id}/execution_environments/")
    public HttpResponse<String> createExecutionEnvironments(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return createOwned(id, "execution_environments", request, body);
    }

    @Get("/{id}/applications/")
    public HttpResponse<String> listApplications(@PathVariable String id, HttpRequest<?> request) {
        return listOwned(id, "applications", request);
    }

    @Post("/{id}/applications/")
    public HttpResponse<String> createApplications(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return createOwned(id, "applications", request, body);
    }

    /** The Galaxy and Automation Hub credentials the organization's project updates install content with, in order. */
    @Get("/{id}/galaxy_credentials/")
    public HttpResponse<String> listGalaxyCredentials(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "galaxy_credentials", owned.get("credentials").get());
    }

    @Post("/{id}/galaxy_credentials/")
    public HttpResponse<String> attachGalaxyCredential(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        return associate(request, findVisible(id, request), "galaxy_credentials", ResourceTypes.CREDENTIAL, body, (c, current) -> {
            if (!"galaxy".equals(c.get("kind"))) {
                String typeName = c.reference("credential_type").flatMap(t -> ctx.resources().get(ResourceTypes.CREDENTIAL_TYPE, t))
                        .map(Resource::name).orElse("another type");
                throw new dev.towerless.api.dialect.ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST,
                        Map.of("msg", "Credential must be a Galaxy credential, not " + typeName + "."));
            }
        });
    }

    /** The {@code kind} objects of the organization (its teams, inventories …), as far as the caller may see them. */
    private HttpResponse<String> listOwned(String id, String kind, HttpRequest<?> request) {
        ResourceController of = ownedController(kind);
        Resource org = findVisible(id, request);
        return of.listChildren(request, ctx.resources().where(of.policy().type(), "organization", org.id()));
    }

    /** Creates one of them in the organization (AWX's sub-list with a parent key). */
    private HttpResponse<String> createOwned(String id, String kind, HttpRequest<?> request, String body) {
        ResourceController of = ownedController(kind);
        Resource org = findVisible(id, request);
        Map<String, Object> input = new LinkedHashMap<>(Json.readObject(body));
        input.put("organization", org.id());
        Resource created = of.createFrom(request, input);
        return Responses.created(of.render(created, Views.of(ctx, request)));
    }

    private ResourceController ownedController(String kind) {
        Provider<? extends ResourceController> p = owned.get(kind);
        if (p == null) {
            throw dev.towerless.api.dialect.ApiException.notFound();
        }
        return p.get();
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        NotificationAssociationsController.addRelated(selfUrl(r), related);
        String self = selfUrl(r);
        for (String sub : List.of("users", "admins", "teams", "inventories", "projects", "credentials", "job_templates",
                "workflow_job_templates", "notification_templates", "instance_groups", "execution_environments",
                "applications", "galaxy_credentials")) {
            related.put(sub, self + sub + "/");
        }
    }
}
