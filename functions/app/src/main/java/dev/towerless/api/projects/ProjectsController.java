package dev.towerless.api.projects;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.InUse;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.notifications.NotificationAssociationsController;
import dev.towerless.api.schedules.SchedulesController;
import dev.towerless.api.templates.LastUpdateView;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.Origin;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Git projects. Creating one, or changing where it points, starts a project update (as AWX
 * does); {@code update/} starts one on demand. Status and revision come from the updates.
 */
@Controller("/api/v2/projects")
public class ProjectsController extends ResourceController {
    private static final List<String> SCM_FIELDS = List.of("scm_url", "scm_branch", "scm_refspec", "credential");
    private final ProjectUpdatesController updates;

    public ProjectsController(ApiContext ctx, ProjectUpdatesController updates) {
        super(ctx, Schemas.PROJECT);
        this.updates = updates;
    }

    @Override
    protected Resource afterCreate(Resource created, HttpRequest<?> request) {
        ctx.launches().updateProject(created, Origin.user(AuthFilter.user(request)));
        return ctx.resources().get(created.type(), created.id()).orElse(created);
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        boolean moved = SCM_FIELDS.stream().anyMatch(f -> changes.containsKey(f)
                && !java.util.Objects.equals(changes.get(f), existing.get(f)));
        if (moved) {
            // The recorded revision belongs to the old source; the update below records a new one.
            Resource updated = existing.with(changes);
            ctx.launches().updateProject(updated, Origin.system(LaunchType.MANUAL));
            return Map.of(JobFields.SCM_REVISION, "");
        }
        return Map.of();
    }

    /** AWX refuses to delete a project while its updates or jobs are active. */
    @Override
    protected void beforeDelete(Resource r) {
        InUse.refuseIfActive(ctx, j -> j.longField(JobFields.PROJECT).orElse(-1L) == r.id());
    }

    @Get("/{id}/update/")
    public HttpResponse<String> canUpdate(@PathVariable String id, HttpRequest<?> request) {
        // AWX's can_update: whether the caller may start an update, as the POST below decides
        return Responses.ok(Map.of("can_update", policy.canStart(AuthFilter.access(request), findVisible(id, request))));
    }

    @Post("/{id}/update/")
    public HttpResponse<String> update(@PathVariable String id, HttpRequest<?> request) {
        Resource project = findVisible(id, request);
        ApiException.require(policy.canStart(AuthFilter.access(request), project));
        UnifiedJob update = ctx.launches().updateProject(project, Origin.user(AuthFilter.user(request)));
        Map<String, Object> out = new LinkedHashMap<>(updates.render(update, Views.of(ctx, request)));
        out.put("project_update", update.id());
        return Responses.json(HttpStatus.ACCEPTED, out);
    }

    /** AWX's list of the project's playbooks, as its last successful update found them. */
    @Get("/{id}/playbooks/")
    public HttpResponse<String> playbooks(@PathVariable String id, HttpRequest<?> request) {
        return Responses.ok(findVisible(id, request).fields().getOrDefault(JobFields.PROJECT_PLAYBOOKS, List.of()));
    }

    /** AWX's list of the files in the project that could be inventories (for inventory sources from the project). */
    @Get("/{id}/inventories/")
    public HttpResponse<String> inventoryFiles(@PathVariable String id, HttpRequest<?> request) {
        return Responses.ok(findVisible(id, request).fields().getOrDefault(JobFields.PROJECT_INVENTORY_FILES, List.of()));
    }

    @Get("/{id}/project_updates/")
    public HttpResponse<String> projectUpdates(@PathVariable String id, HttpRequest<?> request) {
        Resource project = findVisible(id, request);
        return updates.listOfTemplate(request, project.id());
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        NotificationAssociationsController.addRelated(selfUrl(r), related);
        String self = selfUrl(r);
        related.put("update", self + "update/");
        related.put("project_updates", self + "project_updates/");
        related.put("playbooks", self + "playbooks/");
        related.put("inventory_files", self + "inventories/");
        related.put("schedules", self + "schedules/");
        r.reference("last_update").ifPresent(u -> related.put("last_update", ApiContext.url("project_updates", u)));
        r.reference("current_update").ifPresent(u -> related.put("current_update", ApiContext.url("project_updates", u)));
    }

    @Override
    protected void addSummary(Resource r, Map<String, Object> summary, Views views) {
        LastUpdateView.summary(lastUpdate(r, views), summary);
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        SchedulesController.addTo(r, out, views);
        out.put("scm_revision", r.fields().getOrDefault(JobFields.SCM_REVISION, ""));
        Optional<UnifiedJob> last = lastUpdate(r, views);
        LastUpdateView.fields(last, out);
        if (last.isEmpty() && r.get("status") != null) {
            out.put("status", r.get("status")); // AWX's preloaded Demo Project: marked updated without an update
        }
        out.put("local_path", "_" + r.id() + "__" + r.name().replaceAll("[^A-Za-z0-9]+", "_").toLowerCase());
        out.put("custom_virtualenv", null);
        out.put("signature_validation_credential", null);
        out.put("scm_track_submodules", false);
    }

    private Optional<UnifiedJob> lastUpdate(Resource r, Views views) {
        return r.reference("last_update").flatMap(views::job).filter(j -> j.kind() == JobKind.PROJECT_UPDATE);
    }

    @Override
    protected boolean copyable() {
        return true;
    }

    /** As after a create, AWX updates the new project from its repository. */
    @Override
    protected void afterCopy(Resource original, Resource copy, HttpRequest<?> request) {
        ctx.launches().updateProject(copy, Origin.user(AuthFilter.user(request)));
    }

    @Override
    protected boolean showsNextSchedule() {
        return true;
    }
}
