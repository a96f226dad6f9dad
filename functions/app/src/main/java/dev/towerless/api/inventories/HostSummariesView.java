package dev.towerless.api.inventories;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.access.UnifiedJobAccess;
import dev.towerless.core.jobs.HostSummary;
import dev.towerless.core.inventory.InventoryComputedFields;
import dev.towerless.core.inventory.JobHostSummaries;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.HostSummaryStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWX's job host summaries as its JobHostSummarySerializer shows them, for {@code jobs/N/},
 * {@code hosts/N/} and {@code groups/N/job_host_summaries/} and {@code job_host_summaries/N/},
 * and the host fields that come from them (last_job, last_job_host_summary, recent_jobs).
 * AWX's JobHostSummaryAccess: a row is seen by whoever sees both its job and its host (a summary
 * of a host that no longer exists, by superusers and system auditors only).
 */
@Singleton
public class HostSummariesView {
    /** AWX's {@code summary_fields.recent_jobs}: the host's five newest. */
    static final int RECENT_JOBS = 5;

    private final ApiContext ctx;
    private final HostSummaryStore summaries;
    private final JobHostSummaries recorder;

    public HostSummariesView(ApiContext ctx, HostSummaryStore summaries, JobHostSummaries recorder) {
        this.ctx = ctx;
        this.summaries = summaries;
        this.recorder = recorder;
    }

    /**
     * A job's summaries as stored, or, in the moment between its end and the background write,
     * as they will be stored (computed from its stats, same ids, nothing written).
     */
    public List<HostSummary> ofJob(UnifiedJob job) {
        List<HostSummary> stored = summaries.ofJob(job.id());
        return stored.isEmpty() ? recorder.unrecorded(job) : stored;
    }

    public HostSummaryStore store() {
        return summaries;
    }

    /** A paged list of summaries, newest first unless {@code order_by} says otherwise (AWX's ordering is -pk). */
    public HttpResponse<String> list(HttpRequest<?> request, List<HostSummary> rows) {
        Views views = Views.of(ctx, request);
        List<Map<String, Object>> rendered = renderAll(visible(views.access(), rows), views);
        Map<String, List<String>> params = new HashMap<>(request.getParameters().asMap());
        if (!params.containsKey("order_by") && !params.containsKey("order")) {
            params.put("order_by", List.of("-id"));
        }
        ListQuery q = ListQuery.parse(params);
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    /** {@code job_host_summaries/N/}: 404 if there is none, 403 if the caller may not see it. */
    public HttpResponse<String> detail(HttpRequest<?> request, long id) {
        HostSummary s = summaries.find(id).orElseThrow(ApiException::notFound);
        Views views = Views.of(ctx, request);
        ApiException.require(!visible(views.access(), List.of(s)).isEmpty());
        List<Map<String, Object>> shown = renderAll(List.of(s), views);
        if (shown.isEmpty()) {
            throw ApiException.notFound();
        }
        return Responses.ok(shown.get(0));
    }

    private List<HostSummary> visible(Access access, List<HostSummary> rows) {
        if (access.readsAll()) {
            return rows;
        }
        Map<Long, UnifiedJob> jobs = ctx.jobs().findMany(rows.stream().map(HostSummary::jobId).distinct().toList());
        Map<Long, Resource> hosts = ctx.resources().getMany(ResourceTypes.HOST,
                rows.stream().filter(r -> r.hostId() != null).map(HostSummary::hostId).distinct().toList());
        return rows.stream().filter(r -> r.hostId() != null && hosts.containsKey(r.hostId()) && jobs.containsKey(r.jobId())
                && UnifiedJobAccess.canSee(access, jobs.get(r.jobId())) && AccessPolicies.HOSTS.canSee(access, hosts.get(r.hostId())))
                .toList();
    }

    private List<Map<String, Object>> renderAll(List<HostSummary> rows, Views views) {
        Map<Long, UnifiedJob> jobs = ctx.jobs().findMany(rows.stream().map(HostSummary::jobId).distinct().toList());
        Map<Long, Resource> hosts = ctx.resources().getMany(ResourceTypes.HOST,
                rows.stream().filter(r -> r.hostId() != null).map(HostSummary::hostId).distinct().toList());
        List<Map<String, Object>> out = new ArrayList<>();
        for (HostSummary s : rows) {
            if (!jobs.containsKey(s.jobId())) {
                continue; // the job was deleted (cleanup_jobs): AWX deletes its summaries with it; here they expire
            }
            out.add(render(s, Optional.ofNullable(jobs.get(s.jobId())), s.hostId() == null ? Optional.empty()
                    : Optional.ofNullable(hosts.get(s.hostId())), views));
        }
        return out;
    }

    private Map<String, Object> render(HostSummary s, Optional<UnifiedJob> job, Optional<Resource> host, Views views) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("type", "job_host_summary");
        out.put("url", ApiContext.url("job_host_summaries", s.id()));
        Map<String, Object> related = new LinkedHashMap<>();
        related.put("job", ApiContext.url("jobs", s.jobId()));
        host.ifPresent(h -> related.put("host", ApiContext.url("hosts", h.id())));
        out.put("related", related);
        Map<String, Object> summary = new LinkedHashMap<>();
        host.ifPresent(h -> summary.put("host", Map.of("id", h.id(), "name", h.name(),
                "description", h.fields().getOrDefault("description", ""))));
        job.ifPresent(j -> summary.put("job", jobSummary(j, views)));
        out.put("summary_fields", summary);
        out.put("created", s.created());
        out.put("modified", s.created());
        out.put("job", s.jobId());
        out.put("host", host.map(Resource::id).orElse(null));
        out.put("host_name", s.hostName());
        for (String counter : List.of("changed", "dark", "failures", "ok", "processed", "skipped")) {
            out.put(counter, s.count(counter));
        }
        out.put("failed", s.failed());
        out.put("ignored", s.count("ignored"));
        out.put("rescued", s.count("rescued"));
        return out;
    }

    /** AWX's summary of a job in a host summary: status and timing, and its template's id and name. */
    private static Map<String, Object> jobSummary(UnifiedJob j, Views views) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("name", j.name());
        m.put("description", j.fields().getOrDefault("description", ""));
        m.put("status", j.status().apiName());
        m.put("failed", j.failed());
        m.put("elapsed", j.elapsed());
        m.put("type", j.kind().type());
        m.put("canceled_on", j.get(JobFields.CANCELED_ON));
        j.longField(JobFields.JOB_TEMPLATE).flatMap(t -> views.resource(ResourceTypes.JOB_TEMPLATE, t)).ifPresent(t -> {
            m.put("job_template_id", t.id());
            m.put("job_template_name", t.name());
        });
        return m;
    }

    /** Every summary of a group's hosts and of the hosts of the groups below it (AWX's Group.job_host_summaries). */
    public List<HostSummary> ofHosts(java.util.Collection<Long> hostIds) {
        List<HostSummary> rows = new ArrayList<>();
        for (long h : hostIds) {
            rows.addAll(summaries.ofHost(h, 10_000));
        }
        return rows;
    }

    /** The host's computed fields: AWX's HostSerializer has_active_failures, has_inventory_sources, last_job(_host_summary). */
    public static void hostFields(Resource host, Map<String, Object> out) {
        out.put("has_active_failures", host.flag(InventoryComputedFields.HOST_FAILED));
        out.put("has_inventory_sources", host.reference("inventory_source").isPresent()
                || !host.references("inventory_sources").isEmpty());
        out.put("last_job", host.reference(JobHostSummaries.LAST_JOB).orElse(null));
        out.put("last_job_host_summary", host.reference(JobHostSummaries.LAST_SUMMARY).orElse(null));
    }

    public static void hostRelated(Resource host, Map<String, Object> related) {
        related.put("job_host_summaries", ApiContext.url("hosts", host.id()) + "job_host_summaries/");
        host.reference(JobHostSummaries.LAST_JOB).ifPresent(j -> related.put("last_job", ApiContext.url("jobs", j)));
        host.reference(JobHostSummaries.LAST_SUMMARY).ifPresent(s ->
                related.put("last_job_host_summary", ApiContext.url("job_host_summaries", s)));
    }

    /** AWX's summary_fields of a host: last_job (with its template), last_job_host_summary, recent_jobs. */
    public void hostSummary(Resource host, Map<String, Object> summary, Views views) {
        host.reference(JobHostSummaries.LAST_JOB).flatMap(views::job).ifPresent(j -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", j.id());
            m.put("name", j.name());
            m.put("description", j.fields().getOrDefault("description", ""));
            m.put("finished", j.get(JobFields.FINISHED));
            m.put("status", j.status().apiName());
            m.put("failed", j.failed());
            m.put("license_error", false);
            m.put("canceled_on", j.get(JobFields.CANCELED_ON));
            j.longField(JobFields.JOB_TEMPLATE).flatMap(t -> views.resource(ResourceTypes.JOB_TEMPLATE, t)).ifPresent(t -> {
                m.put("job_template_id", t.id());
                m.put("job_template_name", t.name());
            });
            summary.put("last_job", m);
        });
        host.reference(JobHostSummaries.LAST_SUMMARY).ifPresent(s -> summary.put("last_job_host_summary",
                Map.of("id", s, "failed", host.flag(InventoryComputedFields.HOST_FAILED))));
        if (host.reference(JobHostSummaries.LAST_JOB).isEmpty()) {
            summary.put("recent_jobs", List.of());
            return; // never in a job: no query
        }
        List<HostSummary> recent = summaries.ofHost(host.id(), RECENT_JOBS);
        Map<Long, UnifiedJob> jobs = ctx.jobs().findMany(recent.stream().map(HostSummary::jobId).toList());
        List<Map<String, Object>> list = new ArrayList<>();
        for (HostSummary s : recent) {
            UnifiedJob j = jobs.get(s.jobId());
            if (j == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", j.id());
            m.put("name", j.longField(JobFields.JOB_TEMPLATE).flatMap(t -> views.resource(ResourceTypes.JOB_TEMPLATE, t))
                    .map(Resource::name).orElse(""));
            m.put("type", j.kind().type());
            m.put("status", j.status().apiName());
            m.put("finished", j.get(JobFields.FINISHED));
            list.add(m);
        }
        summary.put("recent_jobs", list);
    }
}
