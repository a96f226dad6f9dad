package dev.towerless.api.inventories;

import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ResourceController;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

/** AWX's {@code job_host_summaries/N/} (a detail only: AWX has no list at this root). */
@Controller("/api/v2/job_host_summaries")
public class JobHostSummariesController {
    private final HostSummariesView summaries;

    public JobHostSummariesController(HostSummariesView summaries) {
        this.summaries = summaries;
    }

    @Get("/{id}/")
    public HttpResponse<String> detail(@PathVariable String id, HttpRequest<?> request) {
        return summaries.detail(request, ResourceController.parseId(id).orElseThrow(ApiException::notFound));
    }
}
