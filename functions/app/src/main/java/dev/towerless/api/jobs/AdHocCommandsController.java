package dev.towerless.api.jobs;

import dev.towerless.core.access.AccessDenied;
import dev.towerless.core.organizations.HostLimit;
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
import io.micronaut.http.annotation.Post;
import java.util.Map;

/** {@code ad_hoc_commands/}: POST runs one module against an inventory; the rest is the unified job read side. */
@Controller("/api/v2/ad_hoc_commands")
public class AdHocCommandsController extends UnifiedJobController {

    public AdHocCommandsController(ApiContext ctx) {
        super(ctx, JobKind.AD_HOC_COMMAND);
    }

    @Post("/")
    public HttpResponse<String> create(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, Object> input = Json.readObject(body);
        Map<String, Object> fields = ctx.validator().forCreate(Schemas.AD_HOC_COMMAND, input);
        Resource inventory = ctx.resources().get(ResourceTypes.INVENTORY, ((Number) fields.get("inventory")).longValue())
                .orElseThrow(ApiException::notFound);
        Access access = AuthFilter.access(request);
        // AWX: run ad hoc commands on the inventory, with use of the credential; no shortcut for anyone else.
        ApiException.require(access.isSuperuser() || AccessPolicies.INVENTORIES.canRunAdHocCommands(access, inventory)
                && (fields.get("credential") == null
                || access.holds(ResourceTypes.CREDENTIAL, ((Number) fields.get("credential")).longValue(), RoleCatalogue.USE)));
        // AWX's AdHocCommandAccess.can_add: the inventory's organization within its max_hosts.
        AccessDenied.throwIf(HostLimit.startRefusal(ctx.resources(), inventory.id()));
        UnifiedJob job = ctx.launches().launchAdHoc(fields, inventory, Origin.user(AuthFilter.user(request)), input);
        return Responses.created(render(job, Views.of(ctx, request)));
    }

    @Override
    protected void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views) {
        link(j, JobFields.INVENTORY, ResourceTypes.INVENTORY, "inventories", related, summary, views);
        link(j, "credential", ResourceTypes.CREDENTIAL, "credentials", related, summary, views);
    }
}
