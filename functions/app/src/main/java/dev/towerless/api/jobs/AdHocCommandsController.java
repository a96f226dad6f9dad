package dev.towerless.api.jobs;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.Origin;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ad_hoc_commands/}: POST runs one module against an inventory; the rest is the unified job read side. */
@Controller("/api/v2/ad_hoc_commands")
public class AdHocCommandsController extends UnifiedJobController {

    public AdHocCommandsController(ApiContext ctx) {
        super(ctx, JobKind.AD_HOC_COMMAND);
    }

    /** What AWX's relaunch copies from the original command. */
    private static final List<String> RELAUNCHED = List.of("job_type", "inventory", "limit", "module_name", "module_args",
            "forks", "verbosity", "extra_vars", "become_enabled", "diff_mode");

    @Post("/")
    public HttpResponse<String> create(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, Object> input = Json.readObject(body);
        Map<String, Object> fields = ctx.validator().forCreate(Schemas.AD_HOC_COMMAND, input);
        return Responses.created(render(launch(request, fields, input, LaunchType.MANUAL), Views.of(ctx, request)));
    }

    /** What a relaunch needs: the passwords the command's credential asks for at start. */
    @Get("/{id}/relaunch/")
    public HttpResponse<String> relaunchInfo(@PathVariable String id, HttpRequest<?> request) {
        UnifiedJob job = findVisible(id, request);
        return Responses.ok(Map.of("passwords_needed_to_start", ctx.launches().passwordsNeededToStart(job.longList(JobFields.CREDENTIALS))));
    }

    /**
     * AWX's ad hoc relaunch: the same command again, checked again as a new one (the module must
     * still be allowed, the caller must still may run it), with the passwords given now.
     */
    @Post("/{id}/relaunch/")
    public HttpResponse<String> relaunch(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        UnifiedJob original = findVisible(id, request);
        Map<String, Object> again = new LinkedHashMap<>();
        for (String field : RELAUNCHED) {
            original.fields().entrySet().stream().filter(e -> e.getKey().equals(field) && e.getValue() != null)
                    .findFirst().ifPresent(e -> again.put(field, e.getValue()));
        }
        original.longList(JobFields.CREDENTIALS).stream().findFirst().ifPresent(c -> again.put("credential", c));
        Map<String, Object> fields = ctx.validator().forCreate(Schemas.AD_HOC_COMMAND, again);
        UnifiedJob job = launch(request, fields, Json.readObject(body), LaunchType.RELAUNCH);
        Map<String, Object> out = render(job, Views.of(ctx, request));
        out.put("ad_hoc_command", job.id());
        return Responses.created(out);
    }

    private UnifiedJob launch(HttpRequest<?> request, Map<String, Object> fields, Map<String, Object> input, LaunchType type) {
        Resource inventory = ctx.resources().get(ResourceTypes.INVENTORY, ((Number) fields.get("inventory")).longValue())
                .orElseThrow(ApiException::notFound);
        Access access = AuthFilter.access(request);
        // AWX: run ad hoc commands on the inventory, with use of the credential; no shortcut for anyone else.
        ApiException.require(access.isSuperuser() || AccessPolicies.INVENTORIES.canRunAdHocCommands(access, inventory)
                && (fields.get("credential") == null
                || access.holds(ResourceTypes.CREDENTIAL, ((Number) fields.get("credential")).longValue(), RoleCatalogue.USE)));
        return ctx.launches().launchAdHoc(fields, inventory, Origin.user(AuthFilter.user(request), type), input);
    }

    @Override
    protected boolean relaunchable() {
        return true;
    }

    @Override
    protected void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views) {
        link(j, JobFields.INVENTORY, ResourceTypes.INVENTORY, "inventories", related, summary, views);
        link(j, "credential", ResourceTypes.CREDENTIAL, "credentials", related, summary, views);
    }
}
