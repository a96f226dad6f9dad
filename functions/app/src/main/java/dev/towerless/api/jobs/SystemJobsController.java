package dev.towerless.api.jobs;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.SystemJobTemplateAccess;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import io.micronaut.http.annotation.Controller;
import java.util.Map;

/** {@code system_jobs/}. */
@Controller("/api/v2/system_jobs")
public class SystemJobsController extends UnifiedJobController {
    public SystemJobsController(ApiContext ctx) {
        super(ctx, JobKind.SYSTEM_JOB);
    }

    @Override
    protected void beforeList(Access access) {
        if (!access.readsAll()) {
            throw ApiException.forbidden(SystemJobTemplateAccess.SUPERUSER_NEEDED);
        }
    }

    @Override
    protected void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views) {
        j.longField("system_job_template").ifPresent(t -> related.put("system_job_template",
                ApiContext.url("system_job_templates", t)));
    }
}
