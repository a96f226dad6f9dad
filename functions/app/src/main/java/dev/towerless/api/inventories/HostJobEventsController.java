package dev.towerless.api.inventories;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.jobs.JobsController;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.access.UnifiedJobAccess;
import dev.towerless.core.jobs.HostSummary;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code hosts/N/job_events/}: the playbook events about this host, from the jobs that ran on it
 * (its job host summaries say which), newest job first, those the caller may see. Events are kept
 * per job, so the cost is one events read per job of the host's last {@link #JOBS} runs.
 */
@Controller("/api/v2/hosts")
public class HostJobEventsController {
    static final int JOBS = 50;

    private final ApiContext ctx;
    private final HostSummariesView summaries;
    private final JobsController jobs;

    public HostJobEventsController(ApiContext ctx, HostSummariesView summaries, JobsController jobs) {
        this.ctx = ctx;
        this.summaries = summaries;
        this.jobs = jobs;
    }

    @Get("/{id}/job_events/")
    public HttpResponse<String> jobEvents(@PathVariable String id, HttpRequest<?> request) {
        Resource host = ResourceController.parseId(id).flatMap(n -> ctx.resources().get(ResourceTypes.HOST, n))
                .orElseThrow(ApiException::notFound);
        Access access = AuthFilter.access(request);
        ApiException.require(AccessPolicies.HOSTS.canSee(access, host));
        List<Long> jobIds = summaries.store().ofHost(host.id(), JOBS).stream().map(HostSummary::jobId).distinct()
                .sorted(Comparator.reverseOrder()).toList();
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (UnifiedJob job : ctx.jobs().findMany(jobIds).values().stream().sorted(Comparator.comparingLong(UnifiedJob::id).reversed()).toList()) {
            if (job.kind() == JobKind.JOB && UnifiedJobAccess.canSee(access, job)) {
                rendered.addAll(jobs.eventsOfHost(job, host.name()));
            }
        }
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        ListQuery.Paged<Map<String, Object>> page = q.apply(rendered, m -> m);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items()));
    }
}
