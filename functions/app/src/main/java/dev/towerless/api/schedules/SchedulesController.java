package dev.towerless.api.schedules;

import dev.towerless.api.auth.AuthFilter;
import dev.towerless.api.credentials.CredentialsController;
import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.api.dialect.Json;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.api.dialect.Responses;
import dev.towerless.api.dialect.Views;
import dev.towerless.api.jobs.UnifiedJobsController;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.launch.Survey;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.resources.ValidationException;
import dev.towerless.core.schedules.Recurrence;
import dev.towerless.core.schedules.ScheduleRules;
import dev.towerless.core.security.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWX's {@code schedules/}: RRULE schedules of job templates, projects, inventory sources and
 * system job templates. Saving computes {@code next_run} (what the scheduler tick looks at),
 * checks each prompt against the template and seals survey password answers.
 */
@Controller("/api/v2/schedules")
public class SchedulesController extends ResourceController {
    /** Fields computed from the rule and stored with it. */
    private static final List<String> COMPUTED = List.of("dtstart", "dtend", "next_run", "timezone", "until");
    private static final Map<String, String> UNIFIED_JOB_TYPES = Map.of(ResourceTypes.JOB_TEMPLATE, "job",
            ResourceTypes.PROJECT, "project_update", ResourceTypes.INVENTORY_SOURCE, "inventory_update",
            ResourceTypes.SYSTEM_JOB_TEMPLATE, "system_job", ResourceTypes.WORKFLOW_JOB_TEMPLATE, "workflow_job");

    /** Python's isoformat(), as AWX's preview prints local times. */
    private static final java.time.format.DateTimeFormatter LOCAL =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", java.util.Locale.ROOT);

    private final UnifiedJobsController unified;
    private final CredentialsController credentials;

    public SchedulesController(ApiContext ctx, UnifiedJobsController unified, CredentialsController credentials) {
        super(ctx, Schemas.SCHEDULE);
        this.unified = unified;
        this.credentials = credentials;
    }

    /** The schedule as a job's {@code summary_fields.schedule} shows it. */
    public static Map<String, Object> summary(Resource schedule) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", schedule.id());
        s.put("name", schedule.name());
        s.put("description", schedule.fields().getOrDefault("description", ""));
        s.put("next_run", schedule.get("next_run"));
        return s;
    }

    /**
     * A template's {@code schedules} link, {@code next_schedule} link and {@code next_job_run}
     * (for job templates, projects, inventory sources and system job templates).
     */
    @SuppressWarnings("unchecked")
    public static void addTo(Resource template, Map<String, Object> out, Views views) {
        Map<String, Object> related = (Map<String, Object>) out.get("related");
        related.put("schedules", out.get("url") + "schedules/");
        Optional<Resource> next = views.nextScheduleOf(template.id());
        next.ifPresent(s -> related.put("next_schedule", ApiContext.url("schedules", s.id())));
        out.put("next_job_run", next.map(s -> s.get("next_run")).orElse(null));
    }

    @Override
    protected Map<String, Object> prepareCreate(Map<String, Object> fields, Map<String, Object> input, HttpRequest<?> request) {
        Resource template = template(fields.get("unified_job_template"));
        Map<String, Object> out = new LinkedHashMap<>(checked(template, fields));
        // AWX lets the creator of a schedule change it later while they may still run its template.
        out.put(dev.towerless.core.access.ScheduleAccess.CREATED_BY, AuthFilter.user(request).id());
        return out;
    }

    @Override
    protected Map<String, Object> prepareUpdate(Resource existing, Map<String, Object> changes, Map<String, Object> input) {
        Map<String, Object> merged = new LinkedHashMap<>(existing.fields());
        merged.putAll(changes);
        Resource template = template(merged.get("unified_job_template"));
        return checked(template, merged);
    }

    /** Prompts against the template, then the rule's run times as of now; sealed password answers. */
    private Map<String, Object> checked(Resource template, Map<String, Object> merged) {
        Map<String, Object> spec = surveySpec(template);
        Map<String, List<String>> errors = new LinkedHashMap<>(ScheduleRules.promptErrors(template, merged,
                Survey.variables(spec)));
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            out.putAll(ScheduleRules.computed(String.valueOf(merged.get("rrule")), Boolean.TRUE.equals(merged.get("enabled")),
                    ctx.clock().instant()));
        } catch (Recurrence.InvalidRecurrenceException e) {
            errors.put("rrule", e.messages());
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        if (merged.get("extra_data") instanceof Map<?, ?> data && !Survey.passwordVariables(spec).isEmpty()) {
            Map<String, Object> sealed = new LinkedHashMap<>();
            data.forEach((k, v) -> sealed.put(String.valueOf(k), sealIfPassword(spec, String.valueOf(k), v)));
            out.put("extra_data", sealed);
        }
        return out;
    }

    private Object sealIfPassword(Map<String, Object> spec, String variable, Object value) {
        if (!Survey.passwordVariables(spec).contains(variable) || SecretBox.isSealed(value)) {
            return value;
        }
        return ctx.secrets().seal(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> surveySpec(Resource template) {
        return template.flag("survey_enabled") && template.get("survey_spec") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
    }


    private Resource template(Object id) {
        Optional<Resource> found = id instanceof Number n ? templateById(n.longValue()) : Optional.empty();
        if (found.filter(t -> ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE.equals(t.type())).isPresent()) {
            throw ApiException.field("unified_job_template", "An approval step runs only inside its workflow.");
        }
        return found.orElseThrow(() -> ApiException.field("unified_job_template",
                "Invalid pk \"" + id + "\" - object does not exist."));
    }

    private Optional<Resource> templateById(long id) {
        return dev.towerless.core.resources.UnifiedJobTemplates.find(ctx.resources(), id);
    }

    public static String templateUrl(Resource template) {
        return ApiContext.url(Schemas.forType(template.type()).map(s -> s.endpoint()).orElse(template.type() + "s"), template.id());
    }

    /** The runs a schedule launched. */
    @Get("/{id}/jobs/")
    public HttpResponse<String> jobs(@PathVariable String id, HttpRequest<?> request) {
        Resource schedule = findVisible(id, request);
        long template = schedule.reference("unified_job_template").orElse(-1L);
        return unified.listOf(request, ctx.jobs().ofTemplate(template, 1000).stream()
                .filter(j -> j.longField(JobFields.SCHEDULE).orElse(-1L) == schedule.id()).toList());
    }

    @Get("/{id}/credentials/")
    public HttpResponse<String> credentials(@PathVariable String id, HttpRequest<?> request) {
        return associated(request, findVisible(id, request), "credentials", credentials);
    }

    /** Credentials a scheduled run uses instead of the template's; only for templates that ask for them. */
    @Post("/{id}/credentials/")
    public HttpResponse<String> associateCredential(@PathVariable String id, HttpRequest<?> request, @Nullable @Body String body) {
        Resource schedule = findVisible(id, request);
        Resource template = template(schedule.get("unified_job_template"));
        return associate(request, schedule, "credentials", ResourceTypes.CREDENTIAL, body, (credential, current) -> {
            if (!template.flag("ask_credential_on_launch")) {
                throw ApiException.field("credentials", ScheduleRules.NOT_PROMPTED);
            }
        });
    }

    /** The next ten runs of a rule, in its zone and in UTC ({@code schedules/preview/}). */
    @Post("/preview/")
    public HttpResponse<String> preview(@Nullable @Body String body) {
        Object rrule = Json.readObject(body).get("rrule");
        Recurrence r;
        try {
            r = Recurrence.parse(rrule == null ? "" : rrule.toString());
        } catch (Recurrence.InvalidRecurrenceException e) {
            throw new ValidationException(Map.of("rrule", e.messages()));
        }
        List<String> local = new ArrayList<>();
        List<String> utc = new ArrayList<>();
        for (Instant i : r.upcoming(ctx.clock().instant(), 10)) {
            local.add(LOCAL.format(i.atZone(r.zone())));
            utc.add(i.toString());
        }
        return Responses.ok(Map.of("local", local, "utc", utc));
    }

    /** The zone names a DTSTART's TZID may use. */
    @Get("/zoneinfo/")
    public HttpResponse<String> zoneinfo() {
        List<Map<String, Object>> zones = ZoneId.getAvailableZoneIds().stream().sorted()
                .map(z -> Map.<String, Object>of("name", z)).toList();
        return Responses.ok(zones);
    }

    /** {@code <templates>/N/schedules/}: the template's schedules, and creating one with the template set. */
    public HttpResponse<String> listFor(Resource template, HttpRequest<?> request) {
        return listChildren(request, ctx.resources().where(ResourceTypes.SCHEDULE, "unified_job_template", template.id()));
    }

    public HttpResponse<String> createFor(Resource template, HttpRequest<?> request, String body) {
        Map<String, Object> input = new LinkedHashMap<>(Json.readObject(body));
        input.put("unified_job_template", template.id());
        return create(request, Json.write(input));
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        related.put("unified_jobs", selfUrl(r) + "jobs/");
        related.put("credentials", selfUrl(r) + "credentials/");
    }

    @Override
    protected void addSummary(Resource r, Map<String, Object> summary, Views views) {
        r.reference("unified_job_template").flatMap(views::unifiedJobTemplate).ifPresent(t -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", t.id());
            s.put("name", t.name());
            s.put("description", t.fields().getOrDefault("description", ""));
            s.put("unified_job_type", UNIFIED_JOB_TYPES.get(t.type()));
            if (ResourceTypes.SYSTEM_JOB_TEMPLATE.equals(t.type())) {
                s.put("job_type", t.get("job_type"));
            }
            summary.put("unified_job_template", s);
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void addFields(Resource r, Map<String, Object> out, Views views) {
        r.reference("unified_job_template").flatMap(views::unifiedJobTemplate).ifPresent(t ->
                ((Map<String, Object>) out.get("related")).put("unified_job_template", templateUrl(t)));
        for (String f : COMPUTED) {
            out.put(f, r.fields().get(f));
        }
        if (r.get("extra_data") instanceof Map<?, ?> data) {
            Map<String, Object> shown = new LinkedHashMap<>();
            data.forEach((k, v) -> shown.put(String.valueOf(k), SecretBox.isSealed(v) ? SecretBox.ENCRYPTED : v));
            out.put("extra_data", shown);
        }
    }
}
