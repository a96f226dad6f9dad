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

        @io.micronaut.http.annotation.Get("/{id}/relaunch/")
        public io.micronaut.http.HttpResponse<String> relaunchInfo(@io.micronaut.http.annotation.PathVariable String id) {
            UnifiedJob job = find(id);
            return Responses.ok(Map.of("passwords_needed_to_start",
                    ctx.launches().passwordsNeededToStart(job.longList(JobFields.CREDENTIALS)), "retry_counts", Map.of()));
        }

        /** A new job from the same template with the first one's prompts ({@code launch_type=relaunch}). */
        @io.micronaut.http.annotation.Post("/{id}/relaunch/")
        public io.micronaut.http.HttpResponse<String> relaunch(@io.micronaut.http.annotation.PathVariable String id,
                                                                io.micronaut.http.HttpRequest<?> request,
                                                                @io.micronaut.core.annotation.Nullable
                                                                @io.micronaut.http.annotation.Body String body) {
            UnifiedJob original = find(id);
            var template = original.longField(JobFields.JOB_TEMPLATE)
                    .flatMap(t -> ctx.resources().get(ResourceTypes.JOB_TEMPLATE, t))
                    .orElseThrow(() -> ApiException.badRequest("Job Template is missing or undefined."));
            var launched = ctx.launches().relaunch(template, original, AuthFilter.user(request), Json.readObject(body));
            Map<String, Object> out = new java.util.LinkedHashMap<>(render(launched.job(), new Views(ctx)));
            out.put("job", launched.job().id());
            return Responses.created(out);
        }

        /** Per-host totals of the run, from ansible's final stats event. */
        @io.micronaut.http.annotation.Get("/{id}/job_host_summaries/")
        @SuppressWarnings("unchecked")
        public io.micronaut.http.HttpResponse<String> hostSummaries(@io.micronaut.http.annotation.PathVariable String id,
                                                                     io.micronaut.http.HttpRequest<?> request,
                                                                @io.micronaut.core.annotation.Nullable
                                                                @io.micronaut.http.annotation.Body String body) {
            UnifiedJob job = find(id);
            Map<String, Map<String, Object>> byHost = new java.util.TreeMap<>();
            for (var e : ctx.events().all(job.id())) {
                if (!"playbook_on_stats".equals(e.event())) {
                    continue;
                }
                for (String stat : List.of("ok", "changed", "dark", "failures", "processed", "skipped", "rescued", "ignored")) {
                    Object counts = e.eventData().get(stat);
                    if (counts instanceof Map<?, ?> m) {
                        m.forEach((host, n) -> byHost.computeIfAbsent(String.valueOf(host), h -> new java.util.LinkedHashMap<>())
                                .put(stat, n));
                    }
                }
            }
            List<Map<String, Object>> rows = new java.util.ArrayList<>();
            byHost.forEach((host, stats) -> {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                row.put("type", "job_host_summary");
                row.put("job", job.id());
                row.put("host", null);
                row.put("host_name", host);
                for (String stat : List.of("changed", "dark", "failures", "ok", "processed", "skipped", "rescued", "ignored")) {
                    row.put(stat, stats.getOrDefault(stat, 0));
                }
                row.put("failed", ((Number) row.get("failures")).intValue() > 0 || ((Number) row.get("dark")).intValue() > 0);
                rows.add(row);
            });
            ListQuery q = ListQuery.parse(request.getParameters().asMap());
            ListQuery.Paged<Map<String, Object>> page = q.apply(rows, m -> m);
            return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
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
