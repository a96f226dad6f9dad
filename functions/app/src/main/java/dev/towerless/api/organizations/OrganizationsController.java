package dev.towerless.api.organizations;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.notifications.NotificationAssociationsController;
import dev.towerless.api.system.InstanceGroupOwnerController;
import dev.towerless.api.system.InstanceGroupsController;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.annotation.Controller;
import java.util.List;
import java.util.Map;

/** {@code organizations/}: the top of AWX's tree of ownership, with their members, admins and instance groups. */
@Controller("/api/v2/organizations")
public class OrganizationsController extends InstanceGroupOwnerController {
    public OrganizationsController(ApiContext ctx, InstanceGroupsController instanceGroups) {
        super(ctx, Schemas.ORGANIZATION, instanceGroups);
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        NotificationAssociationsController.addRelated(selfUrl(r), related);
        String self = selfUrl(r);
        for (String sub : List.of("inventories", "projects", "job_templates", "users", "teams", "credentials")) {
            related.put(sub, self + sub + "/");
        }
    }
}
