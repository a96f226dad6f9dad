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
    public HostsController(ApiContext ctx) {
        super(ctx, Schemas.HOST);
    }

    @jakarta.inject.Inject
    HostSummariesView summaries;

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("job_events", selfUrl(r) + "job_events/");
        HostSummariesView.hostRelated(r, related);
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
}
