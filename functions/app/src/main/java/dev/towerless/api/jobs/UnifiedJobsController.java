package dev.towerless.api.jobs;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.inventories.InventoryUpdatesController;
import dev.towerless.api.projects.ProjectUpdatesController;
import dev.towerless.api.workflows.WorkflowApprovalsController;
import dev.towerless.api.workflows.WorkflowJobsController;
import dev.towerless.core.access.UnifiedJobAccess;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.Page;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** AWX's {@code unified_jobs/}: jobs of every kind in one list, each rendered as itself. */
@Controller("/api/v2/unified_jobs")
public class UnifiedJobsController {
    private final ApiContext ctx;
    private final List<UnifiedJobController> jobKinds;
    private final dev.towerless.core.ports.HostSummaryStore hostSummaries;

    public UnifiedJobsController(ApiContext ctx, JobsController jobs, ProjectUpdatesController projectUpdates,
                                 InventoryUpdatesController inventoryUpdates, AdHocCommandsController adHoc,
                                 SystemJobsController systemJobs, WorkflowJobsController workflowJobs,
                                 WorkflowApprovalsController approvals, dev.towerless.core.ports.HostSummaryStore hostSummaries) {
        this.ctx = ctx;
        this.hostSummaries = hostSummaries;
        this.jobKinds = List.of(jobs, projectUpdates, inventoryUpdates, adHoc, systemJobs, workflowJobs, approvals);
    }

    /** A job of any kind, rendered by its own controller. */
    public Map<String, Object> render(UnifiedJob job, Views views) {
        for (UnifiedJobController kind : jobKinds) {
            if (kind.kind == job.kind()) {
                return kind.render(job, views);
            }
        }
        throw new IllegalStateException("no controller renders " + job.kind());
    }

    /** A filtered, paged listing of jobs of any kinds (e.g. a schedule's runs). */
    public HttpResponse<String> listOf(HttpRequest<?> request, List<UnifiedJob> jobs) {
        return listOf(request, jobs, true);
    }

    /** As {@link #listOf(HttpRequest, List)}; {@code complete} false: the jobs are a bounded part of the history. */
    public HttpResponse<String> listOf(HttpRequest<?> request, List<UnifiedJob> jobs, boolean complete) {
        return listOf(request, jobs, complete, Set.of());
    }

    /** As {@link #listOf(HttpRequest, List, boolean)}; {@code jobsOnHost}: the jobs that ran on the host of {@code job__hosts=N}. */
    private HttpResponse<String> listOf(HttpRequest<?> request, List<UnifiedJob> jobs, boolean complete, Set<Long> jobsOnHost) {
        Views views = Views.of(ctx, request);
        UnifiedJobController.prefetch(jobs, views);
        var response = page(request, jobs.stream().filter(j -> UnifiedJobAccess.canSee(views.access(), j))
                .map(j -> render(j, views)).toList(), jobsOnHost);
        return complete ? response : response.header("Warning", UnifiedJobController.truncatedWarning());
    }

    /**
     * Every kind in one id order. Unfiltered (or filtered by {@code type} alone, AWX's
     * {@code ?type=job,project_update}) a superuser's or auditor's page is read from the kinds'
     * keys-only indexes, merged, and counted from the kinds' counters; {@code ?status=} (with or
     * without {@code type}) the same from the (kind, status) index; {@code order_by=-finished} with
     * at most {@code launch_type} filters (AWX's UI) from the finished index; {@code ?launch_type=}
     * in id order from the kinds' {@code job_filters} keys; anything else walks the
     * newest (or oldest) {@link UnifiedJobController#WALK_BUDGET} jobs and filters those.
     */
    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        Views views = Views.of(ctx, request);
        Map<String, List<String>> params = request.getParameters().asMap();
        Map<String, List<String>> withoutType = new java.util.LinkedHashMap<>(params);
        List<String> types = withoutType.remove("type");
        ListQuery q = ListQuery.parse(withoutType).describing("UnifiedJob");
        java.util.Set<JobKind> kinds = kindsNamed(types);
        if (!q.hasFilters() && kinds != null && views.access().readsAll()) {
            Page<UnifiedJob> page = ctx.jobs().list(kinds, views.readingAhead(q.pageRequest()));
            UnifiedJobController.prefetchPage(page.items(), views);
            return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(),
                    page.items().stream().map(j -> render(j, views)).toList()));
        }
        ListQuery full = ListQuery.parse(params).describing("UnifiedJob");
        // ?status=failed (or status__in=), alone or with ?type=: the kinds' (kind, status) keys, merged
        java.util.Set<dev.towerless.core.jobs.JobStatus> statuses = UnifiedJobController.onlyStatusFilter(params, List.of("type"));
        if (statuses != null && kinds != null && views.access().readsAll()) {
            Page<UnifiedJob> page = ctx.jobs().list(kinds, statuses, views.readingAhead(full.pageRequest()));
            UnifiedJobController.prefetchPage(page.items(), views);
            return Responses.ok(ListQuery.envelope(request.getPath(), full, page.count(),
                    page.items().stream().map(j -> render(j, views)).toList()));
        }
        // AWX's UI: ?not__launch_type=sync&order_by=-finished (with or without ?type=): the finished index
        UnifiedJobController.FinishedOrder finished = UnifiedJobController.FinishedOrder.of(params, List.of("type"));
        if (finished != null && kinds != null && views.access().readsAll()) {
            Page<UnifiedJob> page = ctx.jobs().byFinished(kinds, finished.launchTypes(), views.readingAhead(finished.page(full)));
            UnifiedJobController.prefetchPage(page.items(), views);
            return Responses.ok(ListQuery.envelope(request.getPath(), full, page.count(),
                    page.items().stream().map(j -> render(j, views)).toList()));
        }
        // ?launch_type=X (with or without ?type=), in id order: the kinds' keys for it (UnifiedJob has no inventory or project)
        IndexedJobFilter launched = kinds == null ? null : IndexedJobFilter.of(params, List.of("type"), kinds);
        if (launched != null && launched.field().equals(dev.towerless.core.jobs.JobFields.LAUNCH_TYPE) && views.access().readsAll()) {
            var page = ctx.jobs().withField(kinds, launched.field(), launched.values(), views.readingAhead(full.pageRequest()));
            if (page.isPresent()) {
                UnifiedJobController.prefetchPage(page.get().items(), views);
                return Responses.ok(ListQuery.envelope(request.getPath(), full, page.get().count(),
                        page.get().items().stream().map(j -> render(j, views)).toList()));
            }
        }
        // A template's (or project's, or inventory source's) Jobs tab in AWX's UI (job__job_template=N):
        // only that template's jobs can match, so its newest jobs from its index are what is filtered.
        int budget = UnifiedJobController.walkBudget();
        Long template = UnifiedJobChildFilters.template(params);
        if (template != null) {
            List<UnifiedJob> newest = ctx.jobs().ofTemplate(template, budget + 1);
            boolean complete = newest.size() <= budget;
            return listOf(request, complete ? newest : newest.subList(0, budget), complete, Set.of());
        }
        // A host's Jobs tab (job__hosts=N): the jobs its summaries name, newest first
        Long host = UnifiedJobChildFilters.host(params);
        if (host != null) {
            List<Long> ran = hostSummaries.ofHost(host, budget + 1).stream()
                    .map(dev.towerless.core.jobs.HostSummary::jobId).distinct().toList();
            boolean complete = ran.size() <= budget;
            List<Long> ids = complete ? ran : ran.subList(0, budget);
            Map<Long, UnifiedJob> found = ctx.jobs().findMany(ids);
            return listOf(request, ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList(), complete,
                    new java.util.HashSet<>(ids));
        }
        JobStore.Walk walk = ctx.jobs().walk(kinds == null ? allKinds() : kinds, full.walksNewestFirst(), budget);
        return listOf(request, walk.jobs(), walk.complete());
    }

    /** The kinds this list shows. */
    private java.util.Set<JobKind> allKinds() {
        java.util.Set<JobKind> out = java.util.EnumSet.noneOf(JobKind.class);
        jobKinds.forEach(k -> out.add(k.kind));
        return out;
    }

    /** The kinds a {@code type} filter names, every kind without one; null if a name is not a kind (the filter then says so). */
    private java.util.Set<JobKind> kindsNamed(List<String> types) {
        if (types == null || types.isEmpty()) {
            return allKinds();
        }
        java.util.Set<JobKind> out = java.util.EnumSet.noneOf(JobKind.class);
        for (String value : types) {
            for (String t : value.split(",")) {
                JobKind match = null;
                for (UnifiedJobController k : jobKinds) {
                    if (k.kind.type().equals(t)) {
                        match = k.kind;
                    }
                }
                if (match == null) {
                    return null;
                }
                out.add(match);
            }
        }
        return out;
    }

    private static MutableHttpResponse<String> page(HttpRequest<?> request, List<Map<String, Object>> rendered, Set<Long> jobsOnHost) {
        Map<String, List<String>> params = request.getParameters().asMap();
        ListQuery q = ListQuery.parse(params).describing("UnifiedJob");
        ListQuery.Paged<Map<String, Object>> page;
        if (UnifiedJobChildFilters.named(params)) {
            // each row seen through its kind's model once (the sort asks for a row's fields at every comparison)
            Long host = UnifiedJobChildFilters.host(params);
            Map<Map<String, Object>, Map<String, Object>> views = new java.util.IdentityHashMap<>();
            rendered.forEach(m -> views.put(m, UnifiedJobChildFilters.view(m, host, jobsOnHost)));
            page = q.apply(rendered, views::get);
        } else {
            page = q.apply(rendered, m -> m);
        }
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }
}
