package dev.towerless.api;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.annotation.Controller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The job kinds the API serves. */
public final class UnifiedJobControllers {
    private UnifiedJobControllers() {
    }

    @Controller("/api/v2/jobs")
    public static class Jobs extends UnifiedJobController {
        public Jobs(ApiContext ctx) {
            super(ctx, JobKind.JOB);
        }

        @Override
        protected void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views) {
            String self = ApiContext.url("jobs", j.id());
            related.put("job_host_summaries", self + "job_host_summaries/");
            related.put("credentials", self + "credentials/");
            link(j, JobFields.JOB_TEMPLATE, ResourceTypes.JOB_TEMPLATE, "job_templates", related, summary, views);
            link(j, JobFields.PROJECT, ResourceTypes.PROJECT, "projects", related, summary, views);
            link(j, JobFields.INVENTORY, ResourceTypes.INVENTORY, "inventories", related, summary, views);
            link(j, JobFields.ORGANIZATION, ResourceTypes.ORGANIZATION, "organizations", related, summary, views);
            j.longField(JobFields.UNIFIED_JOB_TEMPLATE).ifPresent(t ->
                    related.put("unified_job_template", ApiContext.url("job_templates", t)));
            List<Map<String, Object>> creds = new ArrayList<>();
            for (long c : j.longList(JobFields.CREDENTIALS)) {
                views.summary(ResourceTypes.CREDENTIAL, c).ifPresent(creds::add);
            }
            summary.put("credentials", creds);
            summary.put("labels", Map.of("count", 0, "results", List.of()));
            summary.put("user_capabilities", Map.of("delete", true, "start", true));
        }
    }

    @Controller("/api/v2/project_updates")
    public static class ProjectUpdates extends UnifiedJobController {
        public ProjectUpdates(ApiContext ctx) {
            super(ctx, JobKind.PROJECT_UPDATE);
        }

        @Override
        protected void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views) {
            link(j, JobFields.PROJECT, ResourceTypes.PROJECT, "projects", related, summary, views);
            link(j, JobFields.ORGANIZATION, ResourceTypes.ORGANIZATION, "organizations", related, summary, views);
            link(j, JobFields.SCM_CREDENTIAL, ResourceTypes.CREDENTIAL, "credentials", related, summary, views);
            j.longField(JobFields.UNIFIED_JOB_TEMPLATE).ifPresent(t ->
                    related.put("unified_job_template", ApiContext.url("projects", t)));
            summary.put("user_capabilities", Map.of("delete", true, "start", true));
        }
    }

    static void link(UnifiedJob j, String field, String type, String endpoint, Map<String, Object> related,
                     Map<String, Object> summary, Views views) {
        j.longField(field).ifPresent(id -> {
            related.put(field, ApiContext.url(endpoint, id));
            views.summary(type, id).ifPresent(s -> summary.put(field, s));
        });
    }
}
