package dev.towerless.api.jobs;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.ListQuery;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.notifications.NotificationsController;
import dev.towerless.api.schedules.SchedulesController;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.UnifiedJobAccess;
import dev.towerless.core.control.CancelService;
import dev.towerless.core.jobs.EventExtent;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobOutput;
import dev.towerless.core.jobs.StdoutDownloads;
import dev.towerless.core.jobs.StdoutLines;
import dev.towerless.core.settings.SystemSettings;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.Page;
import dev.towerless.core.security.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Read side of one job kind: list, detail, stdout in AWX's formats and the job's events.
 */
public abstract class UnifiedJobController {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*[A-Za-z]");
    /** Fields kept in the store for the runner's use, not part of AWX's representation. */
    private static final Set<String> INTERNAL = Set.of(JobFields.RC, JobFields.ANSIBLE_STARTED, JobFields.CREDENTIALS,
            JobFields.SCHEDULED_FOR, JobFields.RUN_SECRETS, JobFields.JOB_TEMPLATE_EXTRA_VARS, JobFields.START_ARGS,
            JobFields.LABELS, JobFields.LAUNCH_ATTEMPTS, dev.towerless.core.organizations.HostLimit.JOB_LIMIT);

    protected final ApiContext ctx;
    protected final JobKind kind;
    private final CancelService cancels;
    /** Streamed unless the stack sends large downloads through a bucket (StdoutDownloadsFactory). */
    private StdoutDownloads downloads = StdoutDownloads.streaming();

    protected UnifiedJobController(ApiContext ctx, JobKind kind) {
        this.ctx = ctx;
        this.kind = kind;
        this.cancels = ctx.cancels();
    }

    /** Set by the container: a method, so that no subclass constructor changes. */
    @jakarta.inject.Inject
    void useDownloads(StdoutDownloads downloads) {
        this.downloads = downloads;
    }

    @Get("/")
    public HttpResponse<String> list(HttpRequest<?> request) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        Views views = Views.of(ctx, request);
        beforeList(views.access());
        if (!q.hasFilters() && views.access().readsAll()) {
            return pageOf(request, q, ctx.jobs().list(kind, views.readingAhead(q.pageRequest())), views);
        }
        if (!q.hasFilters() && kind == JobKind.JOB) {
            // a restricted user: the templates they may read, when those are all that shows them a job
            var templates = UnifiedJobAccess.jobTemplatesWhoseJobsAreSeen(views.access(), RESTRICTED_TEMPLATES);
            if (templates.isPresent()) {
                Page<UnifiedJob> page = ctx.jobs().ofTemplates(templates.get(), views.readingAhead(q.pageRequest()));
                prefetchPage(page.items(), views);
                return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(), page.items().stream()
                        .filter(j -> j.kind() == kind && UnifiedJobAccess.canSee(views.access(), j)).map(j -> render(j, views)).toList()));
            }
        }
        Long template = onlyTemplateFilter(request);
        if (template != null && views.access().readsAll()) {
            return listOfTemplate(request, template); // ?job_template=N: the template's index, as job_templates/N/jobs/
        }
        java.util.Set<dev.towerless.core.jobs.JobStatus> statuses = onlyStatusFilter(request.getParameters().asMap(), List.of());
        if (statuses != null && views.access().readsAll()) {
            return pageOf(request, q, ctx.jobs().list(java.util.Set.of(kind), statuses, views.readingAhead(q.pageRequest())), views);
        }
        FinishedOrder finished = FinishedOrder.of(request.getParameters().asMap(), List.of());
        if (finished != null && views.access().readsAll()) {
            return pageOf(request, q, ctx.jobs().byFinished(java.util.Set.of(kind), finished.launchTypes(), views.readingAhead(finished.page(q))), views);
        }
        // ?inventory=N, ?project=N, ?launch_type=X: the store's keys for that value (until an upgraded
        // store has listed its older jobs, a walk)
        IndexedJobFilter field = IndexedJobFilter.of(request.getParameters().asMap(), List.of(), java.util.Set.of(kind));
        if (field != null && views.access().readsAll()) {
            var page = ctx.jobs().withField(java.util.Set.of(kind), field.field(), field.values(), views.readingAhead(q.pageRequest()));
            if (page.isPresent()) {
                return pageOf(request, q, page.get(), views);
            }
        }
        JobStore.Walk walk = ctx.jobs().walk(java.util.Set.of(kind), q.walksNewestFirst(), walkBudget());
        return listOf(request, walk.jobs(), walk.complete());
    }

    /**
     * The statuses if the request's only filter is {@code status=X} or {@code status__in=a,b}
     * (besides paging, an id order and the {@code ignored} parameters), which the store's
     * (kind, status) index serves; null otherwise. A value that is none of AWX's statuses matches
     * no job, as in AWX (its filter does not check choices), so it is left out of the set; an
     * empty set is an empty page. The caller parsed the whole query first, so its 400s stand.
     */
    public static java.util.Set<dev.towerless.core.jobs.JobStatus> onlyStatusFilter(Map<String, List<String>> query,
                                                                                   List<String> ignored) {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>(query);
        ignored.forEach(params::remove);
        List<String> one = params.remove("status");
        List<String> in = params.remove("status__in");
        if (one == null == (in == null) || (one == null ? in : one).size() != 1 || ListQuery.parse(params).hasFilters()) {
            return null;
        }
        java.util.Set<dev.towerless.core.jobs.JobStatus> out = java.util.EnumSet.noneOf(dev.towerless.core.jobs.JobStatus.class);
        List<String> values = one != null ? one : List.of(in.get(0).split(","));
        for (String v : values) {
            for (dev.towerless.core.jobs.JobStatus s : dev.towerless.core.jobs.JobStatus.values()) {
                if (s.apiName().equals(v)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /**
     * A list in AWX's {@code order_by=-finished} (or {@code finished}) whose only filters are on
     * {@code launch_type} ({@code launch_type=X}, {@code launch_type__in=a,b} and their
     * {@code not__} forms, each at most once; AWX's UI sends {@code not__launch_type=sync}),
     * which the store's finished index serves ({@link JobStore#byFinished}).
     *
     * @param launchTypes the launch types the filters leave; a value that is none of AWX's
     *                    matches no job, as in AWX (its filter does not check choices)
     */
    public record FinishedOrder(java.util.Set<dev.towerless.core.jobs.LaunchType> launchTypes, boolean descending) {
        private static final List<String> FILTERS = List.of("launch_type", "launch_type__in", "not__launch_type", "not__launch_type__in");

        /** The order and launch types of such a request (besides paging and the {@code ignored} parameters); null for any other. */
        public static FinishedOrder of(Map<String, List<String>> query, List<String> ignored) {
            Map<String, List<String>> params = new java.util.LinkedHashMap<>(query);
            ignored.forEach(params::remove);
            List<String> order = params.remove("order_by");
            List<String> alias = params.remove("order");
            List<String> by = order != null ? order : alias;
            if (order != null && alias != null || by == null || by.size() != 1
                    || !by.get(0).equals("-finished") && !by.get(0).equals("finished")) {
                return null;
            }
            java.util.Set<dev.towerless.core.jobs.LaunchType> left = java.util.EnumSet.allOf(dev.towerless.core.jobs.LaunchType.class);
            for (String filter : FILTERS) {
                List<String> values = params.remove(filter);
                if (values == null) {
                    continue;
                }
                if (values.size() != 1) {
                    return null;
                }
                java.util.Set<dev.towerless.core.jobs.LaunchType> named = java.util.EnumSet.noneOf(dev.towerless.core.jobs.LaunchType.class);
                for (String v : filter.endsWith("__in") ? List.of(values.get(0).split(",")) : List.of(values.get(0))) {
                    for (dev.towerless.core.jobs.LaunchType l : dev.towerless.core.jobs.LaunchType.values()) {
                        if (l.apiName().equals(v)) {
                            named.add(l);
                        }
                    }
                }
                if (filter.startsWith("not__")) {
                    left.removeAll(named);
                } else {
                    left.retainAll(named);
                }
            }
            return ListQuery.parse(params).hasFilters() ? null : new FinishedOrder(left, by.get(0).startsWith("-"));
        }

        /** The page the query asks for, in this order. */
        public dev.towerless.core.ports.PageRequest page(ListQuery q) {
            return new dev.towerless.core.ports.PageRequest(q.page(), q.pageSize(), descending);
        }
    }

    /**
     * N if the request's only filter is {@code job_template=N} or {@code unified_job_template=N}
     * (besides paging and an id order), which the template's keys-only index serves.
     */
    private static Long onlyTemplateFilter(HttpRequest<?> request) {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>(request.getParameters().asMap());
        List<String> values = params.remove("job_template");
        List<String> unified = params.remove("unified_job_template");
        if (values == null ^ unified != null || (values == null ? unified : values).size() != 1) {
            return null;
        }
        String v = (values == null ? unified : values).get(0);
        if (!v.matches("[0-9]{1,15}") || ListQuery.parse(params).hasFilters()) {
            return null;
        }
        return Long.parseLong(v);
    }

    /**
     * How many templates' indexes a restricted user's {@code jobs/} page merges at most (their first
     * chunks are read together); a user who may read more templates walks the history instead.
     */
    static final int RESTRICTED_TEMPLATES = 50;

    /** A refusal of the whole list before anything is read (AWX's "Superuser privileges needed." for system jobs). */
    protected void beforeList(Access access) {
    }

    /**
     * How many jobs a listing no index serves reads at most (a filter on a field without an
     * index, or a restricted user's list): it then answers from those, says so in a
     * {@code Warning} header, and its count is a lower bound (README, "Limits worth knowing").
     */
    public static final int WALK_BUDGET = 5000;

    /** {@link #WALK_BUDGET}, or the JVM's {@code towerless.list.walk-budget} (tests reach the bound without 5,000 jobs). */
    public static int walkBudget() {
        return Integer.getInteger("towerless.list.walk-budget", WALK_BUDGET);
    }

    /** The {@code Warning} a listing that stopped at {@link #walkBudget()} carries (RFC 7234's 199, "miscellaneous"). */
    public static String truncatedWarning() {
        return "199 towerless \"listing stopped after reading " + walkBudget() + " jobs; count is a lower bound\"";
    }

    /** A filtered, paged listing of the given jobs the caller may see (e.g. the jobs of one template). */
    public HttpResponse<String> listOf(HttpRequest<?> request, List<UnifiedJob> jobs) {
        return listOf(request, jobs, true);
    }

    /** A page the store served with its count, rendered: what it names read first, in one batch. */
    private HttpResponse<String> pageOf(HttpRequest<?> request, ListQuery q, Page<UnifiedJob> page, Views views) {
        prefetchPage(page.items(), views);
        return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(),
                page.items().stream().map(j -> render(j, views)).toList()));
    }

    /** As {@link #listOf(HttpRequest, List)}; {@code complete} false: the jobs are a bounded part of the history. */
    public HttpResponse<String> listOf(HttpRequest<?> request, List<UnifiedJob> jobs, boolean complete) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        Views views = Views.of(ctx, request);
        Access access = views.access();
        prefetch(jobs, views);
        List<Map<String, Object>> rendered = jobs.stream().filter(j -> j.kind() == kind)
                .filter(j -> UnifiedJobAccess.canSee(access, j)).map(j -> render(j, views)).toList();
        ListQuery.Paged<Map<String, Object>> paged = q.apply(rendered, m -> m);
        var response = Responses.ok(ListQuery.envelope(request.getPath(), q, paged.count(), paged.items()));
        return complete ? response : response.header("Warning", truncatedWarning());
    }

    /**
     * The jobs of one template ({@code job_templates/N/jobs/} and the like; the caller checked
     * the template is visible): a page of its keys-only index and its maintained count when no
     * filter is asked and every job on the page is one the caller may see; otherwise the
     * template's newest {@link #WALK_BUDGET} jobs, filtered.
     */
    public HttpResponse<String> listOfTemplate(HttpRequest<?> request, long templateId) {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>(request.getParameters().asMap());
        params.remove("job_template"); // jobs/?job_template=N comes here: the index is that filter
        params.remove("unified_job_template");
        ListQuery q = ListQuery.parse(params);
        Views views = Views.of(ctx, request);
        if (!q.hasFilters()) {
            Page<UnifiedJob> page = ctx.jobs().ofTemplate(templateId, views.readingAhead(q.pageRequest()));
            prefetchPage(page.items(), views);
            if (page.items().stream().allMatch(j -> j.kind() == kind && UnifiedJobAccess.canSee(views.access(), j))) {
                return Responses.ok(ListQuery.envelope(request.getPath(), q, page.count(),
                        page.items().stream().map(j -> render(j, views)).toList()));
            }
        }
        int budget = walkBudget();
        List<UnifiedJob> newest = ctx.jobs().ofTemplate(templateId, budget + 1);
        boolean complete = newest.size() <= budget;
        return listOf(request, complete ? newest : newest.subList(0, budget), complete);
    }

    /**
     * The jobs of this kind whose listed {@code field} is {@code value} ({@code inventories/N/ad_hoc_commands/};
     * the caller checked the parent is visible): unfiltered, for a caller who reads every job, a page
     * of the store's {@code job_filters} keys with its count; otherwise the newest
     * {@link #WALK_BUDGET} jobs of the kind, filtered to that value.
     */
    public HttpResponse<String> listWithField(HttpRequest<?> request, String field, long value) {
        ListQuery q = ListQuery.parse(request.getParameters().asMap());
        Views views = Views.of(ctx, request);
        if (!q.hasFilters() && views.access().readsAll()) {
            var page = ctx.jobs().withField(java.util.Set.of(kind), field, java.util.Set.of(Long.toString(value)), views.readingAhead(q.pageRequest()));
            if (page.isPresent()) {
                return pageOf(request, q, page.get(), views);
            }
        }
        JobStore.Walk walk = ctx.jobs().walk(java.util.Set.of(kind), true, walkBudget());
        return listOf(request, walk.jobs().stream().filter(j -> j.longField(field).orElse(-1L) == value).toList(), walk.complete());
    }

    @Get("/{id}/")
    public HttpResponse<String> detail(@PathVariable String id, HttpRequest<?> request) {
        UnifiedJob j = findVisible(id, request);
        Views views = Views.of(ctx, request);
        // its template, project, inventory, credentials in one batch, not one GetItem each; and the
        // job itself read beside the token when it is polled (awx job wait, awxkit's wait_until_completed)
        prefetchPage(List.of(j), views);
        return Responses.ok(render(j, views));
    }

    /** Deleting a finished job and its output (AWX: the organization's admins; never a running job). */
    @io.micronaut.http.annotation.Delete("/{id}/")
    public HttpResponse<String> delete(@PathVariable String id, HttpRequest<?> request) {
        UnifiedJob job = findVisible(id, request);
        ApiException.require(UnifiedJobAccess.canDelete(AuthFilter.access(request), job));
        if (!job.status().isFinished()) {
            throw new ApiException(io.micronaut.http.HttpStatus.FORBIDDEN,
                    Map.of("detail", "Cannot delete running job resource."));
        }
        ctx.events().deleteAll(job.id());
        ctx.jobs().deleteIfFinished(job.id());
        return Responses.noContent();
    }

    /**
     * AWX's stdout in every format. A range ({@code start_line}/{@code end_line}) is read from the
     * line mark before it and a download streams the events a thousand at a time (see
     * docs/events-and-stdout.md); a job whose events carry no extent is read whole, as before, and
     * if finished its extent and marks are recorded then. As AWX, the display formats refuse a
     * stdout over STDOUT_MAX_BYTES_DISPLAY characters and point to the download.
     */
    @Get("/{id}/stdout/")
    public HttpResponse<?> stdout(@PathVariable String id, HttpRequest<?> request, @Nullable @QueryValue String format,
                                  @Nullable @QueryValue("start_line") Integer startLine,
                                  @Nullable @QueryValue("end_line") Integer endLine) {
        String f = format == null ? "txt" : format;
        if (!Set.of("ansi", "txt", "txt_download", "ansi_download", "json", "html").contains(f)) {
            findVisible(id, request); // a 404 or 403 first, as before
            throw ApiException.badRequest("Unsupported format \"" + f
                    + "\"; use txt, ansi, json, html, txt_download or ansi_download.");
        }
        boolean download = f.endsWith("_download");
        // the extent (and for display the size limit) beside the job's read, not after it
        // beside the job's read, each in its own thread: the extent, the display limit and (for a range a
        // UI pages by) the lines from their mark, so a range costs two round trips after the token, not five
        JobOutput output = new JobOutput(ctx.events());
        boolean readsRange = !download && startLine != null && endLine != null
                && (long) endLine - Math.max(0, startLine) <= RANGE_READ_AHEAD;
        Visible<StdoutAhead> visible = findVisibleWith(id, request, jobId -> {
            java.util.concurrent.Future<Long> max = READ_AHEAD.submit(() ->
                    download ? 0L : SystemSettings.load(ctx.resources()).number("STDOUT_MAX_BYTES_DISPLAY"));
            java.util.concurrent.Future<java.util.Optional<List<String>>> lines = READ_AHEAD.submit(() ->
                    readsRange ? output.linesAhead(jobId, Math.max(0, startLine), endLine) : java.util.Optional.empty());
            java.util.Optional<EventExtent> extent = output.extent(jobId);
            return new StdoutAhead(extent, result(max), result(lines));
        });
        UnifiedJob job = visible.job();
        java.util.Optional<EventExtent> extent = visible.ahead().extent();
        List<JobEvent> all = null;
        if (extent.isEmpty()) {
            all = ctx.events().all(job.id());
            extent = java.util.Optional.of(readWhole(output, job, all));
        }
        if (download) {
            return download(job, f, output, all, startLine, endLine, extent.get());
        }
        long max = visible.ahead().maxDisplay();
        if (extent.get().chars() > max) {
            // AWX's StdoutMaxBytesExceeded: the display formats say so and send the reader to the download
            String message = "Standard Output too large to display (" + extent.get().chars()
                    + " bytes), only download supported for sizes over " + max + " bytes.";
            return switch (f) {
                case "json" -> Responses.ok(Map.of("range", Map.of("start", 0, "end", 1, "absolute_end", 1), "content", message));
                case "html" -> Responses.text(message, "text/html; charset=utf-8");
                default -> Responses.text(message, "text/plain; charset=utf-8");
            };
        }
        long total = extent.get().lines();
        long from = Math.max(0, startLine == null ? 0 : startLine);
        long to = Math.min(total, endLine == null ? total : endLine);
        List<String> ahead = visible.ahead().lines().orElse(List.of());
        List<String> lines = all == null && ahead.size() >= to - from ? ahead.subList(0, (int) Math.max(0, to - from))
                : linesOf(output, job.id(), all, from, to);
        StringBuilder range = new StringBuilder();
        for (String line : lines) {
            range.append(line).append('\n');
        }
        String ansi = range.toString();
        String plain = ANSI.matcher(ansi).replaceAll("");
        return switch (f) {
            case "ansi" -> Responses.text(ansi, "text/plain; charset=utf-8");
            case "json" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("range", Map.of("start", from, "end", Math.max(from, to), "absolute_end", total));
                body.put("content", plain);
                yield Responses.ok(body);
            }
            case "html" -> Responses.text("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
                    + kind.type() + " " + job.id() + "</title></head><body><pre>" + escape(plain) + "</pre></body></html>",
                    "text/html; charset=utf-8");
            default -> Responses.text(plain, "text/plain; charset=utf-8");
        };
    }

    /** The extent of events read whole; recorded for a finished job, whose events no longer change. */
    private static EventExtent readWhole(JobOutput output, UnifiedJob job, List<JobEvent> all) {
        if (job.status().isFinished()) {
            output.remember(job.id(), all);
        }
        StdoutLines.Ledger ledger = new StdoutLines.Ledger();
        ledger.add(all);
        return ledger.extent();
    }

    /** Lines [from, to): from the marks, or from every event when they cannot serve it. */
    private List<String> linesOf(JobOutput output, long jobId, @Nullable List<JobEvent> all, long from, long to) {
        if (all == null) {
            java.util.Optional<List<String>> marked = output.lines(jobId, from, to);
            if (marked.isPresent()) {
                return marked.get();
            }
            all = ctx.events().all(jobId);
        }
        List<String> out = new ArrayList<>();
        long line = 0;
        for (JobEvent e : all) {
            for (String piece : StdoutLines.pieces(e)) {
                if (line >= from && line < to) {
                    out.add(piece);
                }
                line++;
            }
            if (line >= to) {
                break;
            }
        }
        return out;
    }

    /**
     * {@code txt_download}/{@code ansi_download}: a range as the display formats cut it; the
     * whole text streamed line by line from the events, so no copy of it is held in memory, or,
     * where the stack has a download threshold and the text passes it, a 302 to a short-lived URL
     * of the text written to the download store (StdoutDownloads; docs/events-and-stdout.md). The
     * caller has already been found allowed to read the job, so the URL goes to no one else.
     */
    private HttpResponse<?> download(UnifiedJob job, String f, JobOutput output, @Nullable List<JobEvent> all,
                                     @Nullable Integer startLine, @Nullable Integer endLine, EventExtent extent) {
        boolean ansi = f.startsWith("ansi");
        String disposition = "attachment; filename=\"" + StdoutDownloads.filename(job, f) + "\"";
        if (startLine != null || endLine != null) {
            long from = Math.max(0, startLine == null ? 0 : startLine);
            long to = Math.min(extent.lines(), endLine == null ? extent.lines() : endLine);
            StringBuilder range = new StringBuilder();
            for (String line : linesOf(output, job.id(), all, from, to)) {
                range.append(ansi ? line : ANSI.matcher(line).replaceAll("")).append('\n');
            }
            return Responses.text(range.toString(), StdoutDownloads.CONTENT_TYPE).header("Content-Disposition", disposition);
        }
        java.util.function.Function<String, String> render = ansi ? line -> line : line -> ANSI.matcher(line).replaceAll("");
        StdoutDownloads.Answer answer;
        try {
            answer = downloads.answer(job, f, extent, () -> new StdoutStream(ctx.events(), job.id(), render));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not write the download of " + kind.type() + " " + job.id(), e);
        }
        if (answer instanceof StdoutDownloads.Redirect redirect) {
            // no-store: the location carries a signature that must not outlive this answer in a cache
            return Responses.withHeaders(HttpResponse.status(io.micronaut.http.HttpStatus.FOUND))
                    .header("Location", redirect.location().toString()).header("Cache-Control", "no-store");
        }
        if (answer instanceof StdoutDownloads.Whole whole) {
            return Responses.withHeaders(HttpResponse.ok(whole.text()).contentType(StdoutDownloads.CONTENT_TYPE))
                    .header("Content-Disposition", disposition);
        }
        java.io.InputStream body = new StdoutStream(ctx.events(), job.id(), render);
        return Responses.withHeaders(HttpResponse.ok(new io.micronaut.http.server.types.files.StreamedFile(body,
                        io.micronaut.http.MediaType.of(StdoutDownloads.CONTENT_TYPE))))
                .header("Content-Disposition", disposition);
    }

    /**
     * Events page and count by counter arithmetic where the job's extent allows it (AWX's order:
     * counter; the counter filters; descending); any other filter or order goes through ListQuery
     * over at most {@link #EVENT_SCAN_BUDGET} events, and a response that stopped there says so in
     * {@value #SCAN_HEADER}.
     */
    @Get("/{id}/job_events/")
    public HttpResponse<String> jobEvents(@PathVariable String id, HttpRequest<?> request) {
        return events(id, request);
    }

    /** Project updates call their events {@code events/}, as AWX does. */
    @Get("/{id}/events/")
    public HttpResponse<String> events(@PathVariable String id, HttpRequest<?> request) {
        Map<String, List<String>> params = request.getParameters().asMap();
        ListQuery q;
        java.util.Optional<CounterQuery> byCounter;
        try {
            q = ListQuery.parse(params);
            byCounter = CounterQuery.of(params);
        } catch (ApiException refused) {
            findVisible(id, request); // a 404 or 403 first, as before
            throw refused;
        }
        // the page of events (when counters serve it) beside the job's read, not after it
        java.util.Optional<JobOutput.EventPage> page = java.util.Optional.empty();
        UnifiedJob job;
        if (byCounter.isPresent()) {
            CounterQuery c = byCounter.get();
            // the events where the query alone places the page read beside the extent: one round trip after the token
            Visible<java.util.Optional<JobOutput.EventPage>> visible = findVisibleWith(id, request, jobId -> {
                JobOutput output = new JobOutput(ctx.events());
                java.util.concurrent.Future<List<JobEvent>> guess = READ_AHEAD.submit(() ->
                        output.pageGuess(jobId, c.gt(), c.lt(), c.descending(), q.page(), q.pageSize()));
                return output.page(jobId, c.gt(), c.lt(), c.descending(), q.page(), q.pageSize(), () -> result(guess));
            });
            job = visible.job();
            page = visible.ahead();
        } else {
            job = findVisible(id, request);
        }
        if (page.isPresent()) {
            return Responses.ok(ListQuery.envelope(request.getPath(), q, page.get().count(),
                    page.get().events().stream().map(e -> renderEvent(job, e)).toList()));
        }
        Scanned scanned = scan(job, e -> true);
        ListQuery.Paged<Map<String, Object>> paged = q.apply(scanned.rendered(), m -> m);
        io.micronaut.http.MutableHttpResponse<String> response = Responses.ok(ListQuery.envelope(request.getPath(), q, paged.count(), paged.items()));
        return scanned.complete() ? response : response.header(SCAN_HEADER, Integer.toString(EVENT_SCAN_BUDGET));
    }

    /** Events a filter without an index looks at, at most: the job's first this many. */
    public static final int EVENT_SCAN_BUDGET = 10_000;
    /** Set (to the budget) when a filtered events list looked at the job's first events only. */
    public static final String SCAN_HEADER = "X-Towerless-Events-Scanned";

    /** Rendered events of a job, at most {@link #EVENT_SCAN_BUDGET} read; complete if that was all of them. */
    private Scanned scan(UnifiedJob job, java.util.function.Predicate<JobEvent> keep) {
        List<Map<String, Object>> rendered = new ArrayList<>();
        long after = 0;
        int read = 0;
        while (true) {
            int want = Math.min(1000, EVENT_SCAN_BUDGET - read);
            List<JobEvent> page = ctx.events().after(job.id(), after, want);
            for (JobEvent e : page) {
                if (keep.test(e)) {
                    rendered.add(renderEvent(job, e));
                }
            }
            read += page.size();
            if (page.size() < want) {
                return new Scanned(rendered, true);
            }
            after = page.get(page.size() - 1).counter();
            if (read >= EVENT_SCAN_BUDGET) {
                return new Scanned(rendered, ctx.events().after(job.id(), after, 1).isEmpty());
            }
        }
    }

    private record Scanned(List<Map<String, Object>> rendered, boolean complete) {
    }

    /** The job's events about one host (hosts/N/job_events/), among the job's first {@link #EVENT_SCAN_BUDGET}. */
    public List<Map<String, Object>> eventsOfHost(UnifiedJob job, String hostName) {
        return scan(job, e -> hostName.equals(e.host())).rendered();
    }

    /** The notifications sent for this job. */
    @Get("/{id}/notifications/")
    public HttpResponse<String> notifications(@PathVariable String id, HttpRequest<?> request) {
        return NotificationsController.listOf(request, ctx.resources().where(dev.towerless.core.resources.ResourceTypes.NOTIFICATION,
                "job", findVisible(id, request).id()));
    }

    @Get("/{id}/cancel/")
    public HttpResponse<String> canCancel(@PathVariable String id, HttpRequest<?> request) {
        return Responses.ok(Map.of("can_cancel", CancelService.canCancel(findVisible(id, request))));
    }

    /**
     * 202 when the cancel is accepted (done, or passed to the runner); 405 for a finished job, as
     * AWX. Who may cancel follows AWX: the launcher, the template's admins, superusers; for anyone
     * else AWX answers a finished job's cancel with 403 before it looks at the status.
     */
    @Post("/{id}/cancel/")
    public HttpResponse<String> cancel(@PathVariable String id, HttpRequest<?> request) {
        UnifiedJob job = findVisible(id, request);
        Access access = AuthFilter.access(request);
        ApiException.require(UnifiedJobAccess.canCancel(access, job)
                && (access.isSuperuser() || CancelService.canCancel(job)));
        if (cancels.cancel(job.id()) == CancelService.Result.NOT_CANCELABLE) {
            throw ApiException.methodNotAllowed(request.getMethodName());
        }
        return Responses.json(io.micronaut.http.HttpStatus.ACCEPTED, Map.of());
    }

    protected UnifiedJob find(String id) {
        return ResourceController.parseId(id).flatMap(ctx.jobs()::find).filter(j -> j.kind() == kind)
                .orElseThrow(ApiException::notFound);
    }

    /** What stdout/ reads beside the job: its extent, and the largest output it displays (0 for a download). */
    private record StdoutAhead(java.util.Optional<EventExtent> extent, long maxDisplay, java.util.Optional<List<String>> lines) {
    }

    /** The longest range whose lines stdout/ reads before it knows the caller may see them (one read of events). */
    private static final int RANGE_READ_AHEAD = 1000;

    private static <T> T result(java.util.concurrent.Future<T> read) {
        return dev.towerless.core.concurrency.SideReads.result(read);
    }

    /** A job the caller may see, and what was read for it beside its own read. */
    private record Visible<T>(UnifiedJob job, T ahead) {
    }

    /**
     * Read-ahead for job output, what clients poll most while a job runs. Out of threads, the
     * caller's thread makes the read itself before finding the job: the same reads, one after the
     * other. Either way a caller who may not see the job can make the store read at most its extent
     * (and the events stored after it, at most 1,000), the display limit, and for {@code job_events/}
     * two reads of a page of events (the guess, and the page where the extent puts it should the
     * guess not start there) or for a stdout range one read of at most 1,000, none of which is shown to them.
     */
    private static final java.util.concurrent.ExecutorService READ_AHEAD = dev.towerless.core.concurrency.SideReads.pool("job-output-read-ahead", 32);

    /**
     * As {@link #findVisible}, with {@code ahead} (what a sub-resource reads from the job's id
     * alone) read beside the job's read and the access check rather than after them: one round
     * trip less. What it read is used only once the caller may see the job; a 404 or 403 is
     * answered as before and the read dropped, never shown.
     */
    private <T> Visible<T> findVisibleWith(String id, HttpRequest<?> request, java.util.function.LongFunction<T> ahead) {
        java.util.Optional<Long> jobId = ResourceController.parseId(id);
        java.util.concurrent.Future<T> early = jobId.isEmpty() ? null : READ_AHEAD.submit(() -> ahead.apply(jobId.get()));
        UnifiedJob job = findVisible(id, request);
        // a job's output is polled while it runs: the next poll reads the job beside the token
        Views.of(ctx, request).showing(List.of(job));
        return new Visible<>(job, result(early));
    }

    /** The job, if the caller may see it (404 when missing, 403 when not theirs to see). */
    protected UnifiedJob findVisible(String id, HttpRequest<?> request) {
        Access access = AuthFilter.access(request);
        // through the request's lookup: a polled job was read beside the token (PrefetchHints)
        UnifiedJob job = ResourceController.parseId(id).flatMap(access.lookup()::job).filter(j -> j.kind() == kind)
                .orElseThrow(ApiException::notFound);
        ApiException.require(UnifiedJobAccess.canSee(access, job));
        return job;
    }

    /** Whether this kind has AWX's {@code relaunch/} (jobs, ad hoc commands, workflow jobs). */
    protected boolean relaunchable() {
        return false;
    }

    /**
     * The objects a job's representation may name, by field: every kind's summary_fields are
     * among these (a field a kind lacks costs nothing; one a kind has but does not show costs a
     * key in the same batch).
     */
    private static final Map<String, String> REFERENCES = Map.of(
            JobFields.JOB_TEMPLATE, ResourceTypes.JOB_TEMPLATE,
            JobFields.PROJECT, ResourceTypes.PROJECT,
            JobFields.INVENTORY, ResourceTypes.INVENTORY,
            JobFields.ORGANIZATION, ResourceTypes.ORGANIZATION,
            JobFields.SCM_CREDENTIAL, ResourceTypes.CREDENTIAL,
            JobFields.SCHEDULE, ResourceTypes.SCHEDULE,
            "workflow_job_template", ResourceTypes.WORKFLOW_JOB_TEMPLATE,
            "workflow_approval_template", ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE,
            "inventory_source", ResourceTypes.INVENTORY_SOURCE);

    /**
     * Reads what these jobs' representations name (templates, projects, inventories,
     * credentials, labels, schedules) in one batch before any is rendered: rendering a page
     * otherwise read each distinct object with its own GetItem, one round trip after another
     * (a page of 20 jobs: ~40 reads, most of a list request's time). What they name becomes the
     * hint of the next GET of the URL (PrefetchHints).
     */
    public static void prefetch(java.util.Collection<UnifiedJob> jobs, Views views) {
        Map<String, Set<Long>> ids = new java.util.HashMap<>();
        for (UnifiedJob j : jobs) {
            REFERENCES.forEach((field, type) -> j.longField(field).ifPresent(id ->
                    ids.computeIfAbsent(type, t -> new java.util.HashSet<>()).add(id)));
            j.longList(JobFields.CREDENTIALS).forEach(id -> ids.computeIfAbsent(ResourceTypes.CREDENTIAL, t -> new java.util.HashSet<>()).add(id));
            j.longList(JobFields.LABELS).forEach(id -> ids.computeIfAbsent(ResourceTypes.LABEL, t -> new java.util.HashSet<>()).add(id));
        }
        views.prefetch(ids);
    }

    /**
     * As {@link #prefetch}, for the page a store served: its jobs too become the next GET's hint, so
     * that a poll of it reads them beside its token and the store reads none.
     */
    public static void prefetchPage(java.util.Collection<UnifiedJob> page, Views views) {
        views.showing(page);
        prefetch(page, views);
    }

    /** Further stored fields of this kind that are not part of AWX's representation. */
    protected boolean internal(String field) {
        return false;
    }

    public Map<String, Object> render(UnifiedJob j, Views views) {
        Map<String, Object> out = new LinkedHashMap<>();
        String self = ApiContext.url(kind.endpoint(), j.id());
        out.put("id", j.id());
        out.put("type", kind.type());
        out.put("url", self);
        Map<String, Object> related = new LinkedHashMap<>();
        related.put("stdout", self + "stdout/");
        related.put(eventsName(), self + eventsName() + "/");
        related.put("cancel", self + "cancel/");
        if (relaunchable()) {
            related.put("relaunch", self + "relaunch/");
        }
        related.put("notifications", self + "notifications/");
        Map<String, Object> summary = new LinkedHashMap<>();
        addLinks(j, related, summary, views);
        summary.put("user_capabilities", UnifiedJobAccess.capabilities(views.access(), j));
        j.longField(JobFields.SCHEDULE).ifPresent(s -> {
            related.put("schedule", ApiContext.url("schedules", s));
            views.resource(dev.towerless.core.resources.ResourceTypes.SCHEDULE, s).ifPresent(schedule ->
                    summary.put("schedule", SchedulesController.summary(schedule)));
        });
        out.put("related", related);
        out.put("summary_fields", summary);
        j.fields().forEach((k, v) -> {
            if (!INTERNAL.contains(k) && !internal(k) && !out.containsKey(k)) {
                out.put(k, v);
            }
        });
        maskSurveyPasswords(j, out);
        out.putIfAbsent("canceled_on", null);
        out.putIfAbsent("controller_node", "");
        out.putIfAbsent("result_traceback", "");
        out.put("event_processing_finished", j.status().isFinished());
        return out;
    }

    /**
     * Survey answers of type password read back as {@code $encrypted$}, as in AWX; so does any
     * sealed value (a workflow's survey password reaching its jobs), whoever put it there.
     */
    private void maskSurveyPasswords(UnifiedJob j, Map<String, Object> out) {
        String text = j.string(JobFields.EXTRA_VARS).orElse("");
        boolean named = j.get("survey_passwords") instanceof List<?> names && !names.isEmpty();
        if (!named && !text.contains(SecretBox.SEALED_PREFIX)) {
            return;
        }
        Map<String, Object> vars = new LinkedHashMap<>(ctx.variables().parse(text));
        if (j.get("survey_passwords") instanceof List<?> names) {
            names.forEach(n -> vars.computeIfPresent(String.valueOf(n), (k, v) -> SecretBox.ENCRYPTED));
        }
        vars.replaceAll((k, v) -> SecretBox.isSealed(v) ? SecretBox.ENCRYPTED : v);
        out.put(JobFields.EXTRA_VARS, ctx.variables().toJson(vars));
    }

    /** Related links and summary_fields of the kind (template, project, inventory, credentials). */
    protected abstract void addLinks(UnifiedJob j, Map<String, Object> related, Map<String, Object> summary, Views views);

    /** A link to the job's {@code field} object under {@code related}, and its summary under summary_fields. */
    protected static void link(UnifiedJob j, String field, String type, String endpoint, Map<String, Object> related,
                               Map<String, Object> summary, Views views) {
        j.longField(field).ifPresent(id -> {
            related.put(field, ApiContext.url(endpoint, id));
            views.summary(type, id).ifPresent(s -> summary.put(field, s));
        });
    }

    protected String eventsName() {
        return kind == JobKind.PROJECT_UPDATE ? "events" : "job_events";
    }

    private Map<String, Object> renderEvent(UnifiedJob job, JobEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        String eventType = kind == JobKind.PROJECT_UPDATE ? "project_update_event" : kind.type() + "_event";
        long eventId = job.id() * 1_000_000L + e.counter();
        out.put("id", eventId);
        out.put("type", eventType);
        out.put("url", ApiContext.API + eventType + "s/" + eventId + "/");
        out.put("related", Map.of(kind.type(), ApiContext.url(kind.endpoint(), job.id())));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put(kind.type(), Views.jobSummary(job));
        out.put("summary_fields", summary);
        out.put("created", e.created());
        out.put("modified", e.created());
        out.put(kind.type(), job.id());
        out.put("event", e.event());
        out.put("counter", e.counter());
        out.put("event_display", eventDisplay(e.event()));
        out.put("event_data", e.eventData());
        out.put("event_level", eventLevel(e.event()));
        out.put("failed", e.failed());
        out.put("changed", e.changed());
        out.put("uuid", e.uuid());
        out.put("parent_uuid", e.eventData().getOrDefault("parent_uuid", ""));
        out.put("host", null);
        out.put("host_name", e.host() == null ? "" : e.host());
        out.put("playbook", e.eventData().getOrDefault("playbook", ""));
        out.put("play", e.play() == null ? "" : e.play());
        out.put("task", e.task() == null ? "" : e.task());
        out.put("role", e.role() == null ? "" : e.role());
        out.put("stdout", e.stdout());
        out.put("start_line", e.startLine());
        out.put("end_line", e.endLine());
        out.put("verbosity", e.eventData().getOrDefault("verbosity", 0));
        return out;
    }

    private static int eventLevel(String event) {
        if (event == null) {
            return 0;
        }
        if (event.startsWith("playbook_on_play_start")) {
            return 1;
        }
        if (event.startsWith("playbook_on_task_start") || event.startsWith("playbook_on_handler")) {
            return 2;
        }
        return event.startsWith("runner_") ? 3 : 0;
    }

    private static String eventDisplay(String event) {
        if (event == null) {
            return "";
        }
        return switch (event) {
            case "playbook_on_start" -> "Playbook Started";
            case "playbook_on_play_start" -> "Play Started";
            case "playbook_on_task_start" -> "Task Started";
            case "playbook_on_stats" -> "Playbook Complete";
            case "runner_on_ok" -> "Host OK";
            case "runner_on_failed" -> "Host Failed";
            case "runner_on_skipped" -> "Host Skipped";
            case "runner_on_unreachable" -> "Host Unreachable";
            case "verbose" -> "Verbose";
            default -> event;
        };
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
