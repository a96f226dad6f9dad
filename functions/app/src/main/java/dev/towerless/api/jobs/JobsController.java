package dev.towerless.api.jobs;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.labels.LabelLinks;
import dev.towerless.api.labels.LabelsController;
import dev.towerless.core.access.LaunchAccess;
import dev.towerless.core.access.UnifiedJobAccess;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.annotation.Controller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code jobs/}: playbook runs, with {@code relaunch/} and {@code job_host_summaries/}. */
@Controller("/api/v2/jobs")
public class JobsController extends UnifiedJobController {
    private final LabelsController labels;
    private final dev.towerless.api.credentials.CredentialsController credentials;

    public JobsController(ApiContext ctx, LabelsController labels, dev.towerless.api.credentials.CredentialsController credentials) {
        super(ctx, JobKind.JOB);
        this.labels = labels;
        this.credentials = credentials;
    }

    @Override
    protected boolean relaunchable() {
        return true;
    }

    /** The credentials the job ran with (its template's, or those given at launch). */
    @io.micronaut.http.annotation.Get("/{id}/credentials/")
    public io.micronaut.http.HttpResponse<String> credentials(@io.micronaut.http.annotation.PathVariable String id,
                                                              io.micronaut.http.HttpRequest<?> request) {
        return credentials.listChildren(request, new java.util.ArrayList<>(ctx.resources().getMany(ResourceTypes.CREDENTIAL,
                findVisible(id, request).longList(JobFields.CREDENTIALS)).values()));
    }

    @io.micronaut.http.annotation.Get("/{id}/relaunch/")
    public io.micronaut.http.HttpResponse<String> relaunchInfo(@io.micronaut.http.annotation.PathVariable String id,
                                                                io.micronaut.http.HttpRequest<?> request) {
        UnifiedJob job = findVisible(id, request);
        return Responses.ok(Map.of("passwords_needed_to_start",
                ctx.launches().passwordsNeededToStart(job.longList(JobFields.CREDENTIALS)), "retry_counts", Map.of()));
    }

    /** A new job from the same template with the first one's prompts ({@code launch_type=relaunch}). */
    @io.micronaut.http.annotation.Post("/{id}/relaunch/")
    public io.micronaut.http.HttpResponse<String> relaunch(@io.micronaut.http.annotation.PathVariable String id,
                                                            io.micronaut.http.HttpRequest<?> request,
                                                            @io.micronaut.core.annotation.Nullable
                                                            @io.micronaut.http.annotation.Body String body) {
        UnifiedJob original = findVisible(id, request);
        var access = AuthFilter.access(request);
        ApiException.require(UnifiedJobAccess.canRelaunch(access, original));
        var template = original.longField(JobFields.JOB_TEMPLATE)
                .flatMap(t -> ctx.resources().get(ResourceTypes.JOB_TEMPLATE, t))
                .orElseThrow(() -> ApiException.badRequest("Job Template is missing or undefined."));
        LaunchAccess.relaunchRefusal(access, original, template).ifPresent(why -> {
            throw ApiException.forbidden(why);
        });
        var launched = ctx.launches().relaunch(template, original, AuthFilter.user(request), Json.readObject(body));
        Map<String, Object> out = new java.util.LinkedHashMap<>(render(launched.job(), Views.of(ctx, request)));
        out.put("job", launched.job().id());
        return Responses.created(out);
    }

    /** The job's labels (its template's when it was launched). */
    @io.micronaut.http.annotation.Get("/{id}/labels/")
    public io.micronaut.http.HttpResponse<String> labels(@io.micronaut.http.annotation.PathVariable String id,
                                                         io.micronaut.http.HttpRequest<?> request) {
        return labels.listChildren(request, new java.util.ArrayList<>(ctx.resources().getMany(ResourceTypes.LABEL,
                findVisible(id, request).longList(JobFields.LABELS)).values()));
    }

    /** Per-host totals of the run, from ansible's final stats event. */
    @io.micronaut.http.annotation.Get("/{id}/job_host_summaries/")
    @SuppressWarnings("unchecked")
    public io.micronaut.http.HttpResponse<String> hostSummaries(@io.micronaut.http.annotation.PathVariable String id,
                                                                 io.micronaut.http.HttpRequest<?> request) {
        UnifiedJob job = findVisible(id, request);
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
        related.put("labels", self + "labels/");
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
        summary.put("labels", LabelLinks.summary(j.longList(JobFields.LABELS), views));
    }
}
