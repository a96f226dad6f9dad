package dev.towerless.api.projects;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.jobs.UnifiedJobController;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.annotation.Controller;
import java.util.Map;

/** {@code project_updates/}: the SCM syncs of projects. */
@Controller("/api/v2/project_updates")
public class ProjectUpdatesController extends UnifiedJobController {
    public ProjectUpdatesController(ApiContext ctx) {
        super(ctx, JobKind.PROJECT_UPDATE);
    }

    @Override
    protected void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views) {
        link(j, JobFields.PROJECT, ResourceTypes.PROJECT, "projects", related, summary, views);
        link(j, JobFields.ORGANIZATION, ResourceTypes.ORGANIZATION, "organizations", related, summary, views);
        link(j, JobFields.SCM_CREDENTIAL, ResourceTypes.CREDENTIAL, "credentials", related, summary, views);
        j.longField(JobFields.UNIFIED_JOB_TEMPLATE).ifPresent(t ->
                related.put("unified_job_template", ApiContext.url("projects", t)));
    }
}
