package dev.towerless.api.inventories;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.annotation.Controller;
import java.util.Map;

/** {@code hosts/}: the machines of an inventory. */
@Controller("/api/v2/hosts")
public class HostsController extends ResourceController {
    private final jakarta.inject.Provider<InventoriesController> inventories;

    public HostsController(ApiContext ctx, jakarta.inject.Provider<InventoriesController> inventories) {
        super(ctx, Schemas.HOST);
        this.inventories = inventories;
    }

    @jakarta.inject.Inject
    HostSummariesView summaries;

    @jakarta.inject.Inject
    jakarta.inject.Provider<dev.towerless.api.jobs.JobsController> jobs;

    /** A host's job events are read from its last this many jobs (events are kept per job). */
    static final int EVENT_JOBS = 50;

    /**
     * {@code hosts/N/job_events/}: the playbook events about this host, from the jobs its summaries
     * name, newest job first, those the caller may see: one events read per job of its last
     * {@link #EVENT_JOBS} runs.
     */
    @io.micronaut.http.annotation.Get("/{id}/job_events/")
    public io.micronaut.http.HttpResponse<String> jobEvents(@io.micronaut.http.annotation.PathVariable String id,
                                                            io.micronaut.http.HttpRequest<?> request) {
        Resource host = findVisible(id, request);
        dev.towerless.core.access.Access access = dev.towerless.api.auth.AuthFilter.access(request);
        java.util.List<Long> jobIds = summaries.store().ofHost(host.id(), EVENT_JOBS).stream()
                .map(dev.towerless.core.jobs.HostSummary::jobId).distinct().toList();
        java.util.List<Map<String, Object>> rendered = new java.util.ArrayList<>();
        ctx.jobs().findMany(jobIds).values().stream()
                .filter(j -> j.kind() == dev.towerless.core.jobs.JobKind.JOB
                        && dev.towerless.core.access.UnifiedJobAccess.canSee(access, j))
                .sorted(java.util.Comparator.comparingLong(dev.towerless.core.jobs.UnifiedJob::id).reversed())
                .forEach(j -> rendered.addAll(jobs.get().eventsOfHost(j, host.name())));
        dev.towerless.api.dialect.ListQuery q = dev.towerless.api.dialect.ListQuery.parse(request.getParameters().asMap());
        dev.towerless.api.dialect.ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return dev.towerless.api.dialect.Responses.ok(
                dev.towerless.api.dialect.ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }

    /** AWX's HostDetail.delete: not while its inventory is being deleted. */
    @Override
    protected void beforeDelete(Resource r) {
        InventoryDeletion.refuseIfPending(ctx.resources(), r);
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("job_events", selfUrl(r) + "job_events/");
        HostSummariesView.hostRelated(r, related);
        related.put("smart_inventories", selfUrl(r) + "smart_inventories/");
    }

    @Override
    protected void addSummary(Resource r, Map<String, Object> summary, dev.towerless.api.dialect.Views views) {
        summaries.hostSummary(r, summary, views);
    }

    @Override
    protected void addFields(Resource r, Map<String, Object> out, dev.towerless.api.dialect.Views views) {
        HostSummariesView.hostFields(r, out);
    }

    /** AWX's {@code hosts/N/job_host_summaries/}: the host's summaries, newest first. */
    @io.micronaut.http.annotation.Get("/{id}/job_host_summaries/")
    public io.micronaut.http.HttpResponse<String> jobHostSummaries(@io.micronaut.http.annotation.PathVariable String id,
                                                                   io.micronaut.http.HttpRequest<?> request) {
        Resource host = findVisible(id, request);
        return summaries.list(request, summaries.store().ofHost(host.id(), 10_000));
    }

    /** The smart inventories whose membership holds this host (AWX's HostSmartInventoriesList). */
    @io.micronaut.http.annotation.Get("/{id}/smart_inventories/")
    public io.micronaut.http.HttpResponse<String> smartInventories(@io.micronaut.http.annotation.PathVariable String id,
                                                                   io.micronaut.http.HttpRequest<?> request) {
        return inventories.get().listChildren(request, SmartInventoryViews.smartInventoriesOf(ctx, findVisible(id, request)));
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input,
                                                io.micronaut.http.HttpRequest<?> request) {
        SmartInventoryViews.refuseContent(ctx, fields.get("inventory"), "Host");
        return Map.of();
    }

    @Override
    protected Resource afterCreate(Resource created, io.micronaut.http.HttpRequest<?> request) {
        SmartInventoryViews.memberships(ctx).hostChanged(null, created);
        return created;
    }

    @Override
    protected void afterUpdate(Resource before, Resource after) {
        SmartInventoryViews.memberships(ctx).hostChanged(before, after);
    }

    @Override
    protected void afterDelete(Resource deleted) {
        SmartInventoryViews.memberships(ctx).hostChanged(deleted, null);
    }
}
