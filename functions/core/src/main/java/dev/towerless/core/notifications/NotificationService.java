package dev.towerless.core.notifications;

import dev.towerless.core.housekeeping.AdministrativeChecks;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.templating.VariableTemplate;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.NotificationSender;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.VariablesCodec;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.settings.SystemSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends a job's notifications when it starts and when it finishes (AWX's {@code started},
 * {@code success} and {@code error} templates, inherited from the template, its project and
 * organization). Driven by the job-lifecycle topic, so it runs at least once per event:
 *
 * <ul>
 *   <li>the set of notifications of a job's event is claimed on the job with one conditional
 *       write, so a duplicated message finds the set made and only resumes it;</li>
 *   <li>each notification moves pending → successful/failed with one conditional write, and is
 *       sent only under a short claim, so two consumers never both send it.</li>
 * </ul>
 * A consumer that dies after sending and before recording sends once more on redelivery.
 */
public final class NotificationService {
    /** How long a consumer may take to deliver one notification before another may try. */
    static final Duration SEND_CLAIM = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(NotificationService.class.getName());
    private static final String ALERTS_CLAIM = "notified_host_limit_alerts";
    private static final String DEFAULT_SUBJECT = "{{ job_friendly_name }} #{{ job.id }} '{{ job.name }}' {{ job.status }}: {{ url }}";
    private static final String DEFAULT_EMAIL_BODY =
            "{{ job_friendly_name }} #{{ job.id }} had status {{ job.status }}, view details at {{ url }}\n\n{{ job_metadata }}";

    private final JobStore jobs;
    private final ResourceStore resources;
    private final NotificationSender sender;
    private final SecretBox secrets;
    private final VariablesCodec variables;
    private final Clock clock;

    public NotificationService(JobStore jobs, ResourceStore resources, NotificationSender sender, SecretBox secrets,
                               VariablesCodec variables, Clock clock) {
        this.jobs = jobs;
        this.resources = resources;
        this.sender = sender;
        this.secrets = secrets;
        this.variables = variables;
        this.clock = clock;
    }

    /** AWX's template sets: a job that started, succeeded, or ended any other way. */
    public enum Event {
        STARTED, SUCCESS, ERROR;

        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public String ownerField() {
            return "notification_templates_" + apiName();
        }

        public static Optional<Event> forStatus(JobStatus status) {
            return switch (status) {
                case RUNNING -> Optional.of(STARTED);
                case SUCCESSFUL -> Optional.of(SUCCESS);
                case FAILED, ERROR, CANCELED -> Optional.of(ERROR);
                default -> Optional.empty();
            };
        }
    }

    /** Sends the job's notifications for {@code event}; returns how many were delivered now. */
    public int notify(long jobId, Event event) {
        Optional<UnifiedJob> found = jobs.find(jobId);
        if (found.isEmpty()) {
            return 0; // cleaned up meanwhile
        }
        UnifiedJob job = found.get();
        String claimField = "notified_" + event.apiName();
        List<Long> ids = new ArrayList<>(job.get(claimField) != null ? job.longList(claimField) : create(job, event, claimField));
        if (event != Event.STARTED && job.get(AdministrativeChecks.ALERTS) instanceof List<?> alerts && !alerts.isEmpty()) {
            ids.addAll(job.get(ALERTS_CLAIM) != null ? job.longList(ALERTS_CLAIM) : createAlerts(job, alerts));
        }
        int delivered = 0;
        for (long id : ids) {
            if (deliver(id)) {
                delivered++;
            }
        }
        return delivered;
    }

    /**
     * The administrative checks' host-count alerts, one per organization at 90 % of max_hosts: to
     * the organization's error templates (its admins can remove hosts) and to the check's own system
     * job template's (the system administrator, who can raise the limit). Claimed on the job like
     * any set, so a redelivered message sends each once.
     */
    private List<Long> createAlerts(UnifiedJob job, List<?> alerts) {
        List<Long> checkTemplates = job.longField("system_job_template")
                .flatMap(t -> resources.get(ResourceTypes.SYSTEM_JOB_TEMPLATE, t))
                .map(t -> t.references(Event.ERROR.ownerField())).orElse(List.of());
        String url = SystemSettings.load(resources).text(SystemSettings.TOWER_URL_BASE) + "/api/v2/system_jobs/" + job.id() + "/";
        List<Long> mine = new ArrayList<>();
        for (Object o : alerts) {
            if (!(o instanceof Map<?, ?> m)) {
                continue;
            }
            AdministrativeChecks.Alert alert = AdministrativeChecks.Alert.of(m);
            LinkedHashSet<Long> ids = new LinkedHashSet<>();
            resources.get(ResourceTypes.ORGANIZATION, alert.organization())
                    .ifPresent(org -> ids.addAll(org.references(Event.ERROR.ownerField())));
            ids.addAll(checkTemplates);
            for (Resource t : resources.getMany(ResourceTypes.NOTIFICATION_TEMPLATE, ids).values()) {
                Map<String, Object> body = new LinkedHashMap<>(alert.toMap());
                body.put("message", alert.message());
                body.put("url", url);
                String text = "email".equals(t.get("notification_type")) ? alert.message() + "\n\n" + url : variables.toJson(body);
                mine.add(record(t, job, Event.ERROR, new Rendered(alert.message(), text)).id());
            }
        }
        Optional<UnifiedJob> claimed = jobs.setIfAbsent(job.id(), ALERTS_CLAIM, mine);
        List<Long> winners = claimed.map(j -> j.longList(ALERTS_CLAIM)).orElse(List.of());
        if (!winners.equals(mine)) {
            mine.forEach(id -> resources.delete(ResourceTypes.NOTIFICATION, id));
        }
        return winners;
    }

    /** Creates the event's notifications and claims the set on the job; the loser deletes its copies. */
    private List<Long> create(UnifiedJob job, Event event, String claimField) {
        List<Resource> templates = templatesFor(job, event);
        Map<String, Object> context = templates.isEmpty() ? Map.of() : context(job); // once, whatever the number of templates
        List<Long> mine = new ArrayList<>();
        for (Resource t : templates) {
            mine.add(record(t, job, event, render(t, context, event)).id());
        }
        Optional<UnifiedJob> claimed = jobs.setIfAbsent(job.id(), claimField, mine);
        List<Long> winners = claimed.map(j -> j.longList(claimField)).orElse(List.of());
        if (!winners.equals(mine)) {
            mine.forEach(id -> resources.delete(ResourceTypes.NOTIFICATION, id));
        }
        return winners;
    }

    /** A test notification ({@code notification_templates/N/test/}), delivered at once. */
    public Resource sendTest(Resource template) {
        String subject = "Towerless Notification Test " + template.id() + " " + Timestamps.format(clock.instant());
        String body = "email".equals(template.get("notification_type")) ? subject : "{\"body\": \"" + subject + "\"}";
        Resource n = record(template, null, null, new Rendered(subject, body));
        deliver(n.id());
        return resources.get(ResourceTypes.NOTIFICATION, n.id()).orElse(n);
    }

    private Resource record(Resource template, UnifiedJob job, Event event, Rendered message) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("notification_template", template.id());
        f.put("job", job == null ? null : job.id());
        f.put("event", event == null ? "test" : event.apiName());
        f.put("status", "pending");
        f.put("error", "");
        f.put("notifications_sent", 0L);
        f.put("notification_type", template.get("notification_type"));
        f.put("recipients", recipients(template));
        f.put("subject", message.subject());
        f.put("body", message.body());
        String now = Timestamps.format(clock.instant());
        f.put("created", now);
        f.put("modified", now);
        return resources.create(ResourceTypes.NOTIFICATION, f);
    }

    /** Sends one pending notification under a claim; true if it was delivered now. */
    private boolean deliver(long id) {
        Optional<Resource> found = resources.get(ResourceTypes.NOTIFICATION, id);
        if (found.isEmpty() || !"pending".equals(found.get().get("status"))) {
            return false;
        }
        Resource n = found.get();
        Instant now = clock.instant();
        Object claim = n.get("sending_until");
        if (claim != null && Timestamps.parse(claim.toString()).isAfter(now)) {
            return false; // another consumer is sending it
        }
        if (resources.updateIf(ResourceTypes.NOTIFICATION, id, "sending_until", claim,
                Map.of("sending_until", Timestamps.format(now.plus(SEND_CLAIM)))).isEmpty()) {
            return false;
        }
        Optional<Resource> template = n.reference("notification_template")
                .flatMap(t -> resources.get(ResourceTypes.NOTIFICATION_TEMPLATE, t));
        Map<String, Object> outcome = new LinkedHashMap<>();
        if (template.isEmpty()) {
            outcome.put("status", "failed");
            outcome.put("error", "The notification template was deleted.");
        } else {
            try {
                int sent = sender.send(String.valueOf(template.get().get("notification_type")), opened(template.get()),
                        String.valueOf(n.get("subject")), String.valueOf(n.get("body")));
                outcome.put("status", "successful");
                outcome.put("notifications_sent", (long) sent);
            } catch (NotificationSender.DeliveryException e) {
                outcome.put("status", "failed");
                outcome.put("error", e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "notification " + id + " failed", e);
                outcome.put("status", "failed");
                outcome.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        outcome.put("modified", Timestamps.format(clock.instant()));
        return resources.updateIf(ResourceTypes.NOTIFICATION, id, "status", "pending", outcome)
                .map(r -> "successful".equals(r.get("status"))).orElse(false);
    }

    /** AWX's inheritance: each kind's own templates, its project's or source's, and its organization's. */
    List<Resource> templatesFor(UnifiedJob job, Event event) {
        String field = event.ownerField();
        LinkedHashSet<Long> ids = new LinkedHashSet<>();
        Optional<Long> organization = job.longField(JobFields.ORGANIZATION);
        switch (job.kind()) {
            case JOB -> {
                job.longField(JobFields.JOB_TEMPLATE).flatMap(t -> resources.get(ResourceTypes.JOB_TEMPLATE, t))
                        .ifPresent(t -> ids.addAll(t.references(field)));
                job.longField(JobFields.PROJECT).flatMap(p -> resources.get(ResourceTypes.PROJECT, p))
                        .ifPresent(p -> ids.addAll(p.references(field)));
            }
            case PROJECT_UPDATE -> job.longField(JobFields.PROJECT).flatMap(p -> resources.get(ResourceTypes.PROJECT, p))
                    .ifPresent(p -> ids.addAll(p.references(field)));
            case INVENTORY_UPDATE -> job.longField("inventory_source")
                    .flatMap(s -> resources.get(ResourceTypes.INVENTORY_SOURCE, s)).ifPresent(s -> ids.addAll(s.references(field)));
            case WORKFLOW_JOB -> job.longField("workflow_job_template")
                    .flatMap(t -> resources.get(ResourceTypes.WORKFLOW_JOB_TEMPLATE, t)).ifPresent(t -> ids.addAll(t.references(field)));
            case SYSTEM_JOB -> job.longField("system_job_template")
                    .flatMap(t -> resources.get(ResourceTypes.SYSTEM_JOB_TEMPLATE, t)).ifPresent(t -> ids.addAll(t.references(field)));
            default -> { }
        }
        if (job.kind() == JobKind.INVENTORY_UPDATE || job.kind() == JobKind.AD_HOC_COMMAND) {
            organization = job.longField(JobFields.INVENTORY).flatMap(i -> resources.get(ResourceTypes.INVENTORY, i))
                    .flatMap(i -> i.reference("organization"));
        }
        if (job.kind() != JobKind.SYSTEM_JOB) { // system jobs notify only their own template's list
            organization.flatMap(o -> resources.get(ResourceTypes.ORGANIZATION, o)).ifPresent(o -> ids.addAll(o.references(field)));
        }
        return new ArrayList<>(resources.getMany(ResourceTypes.NOTIFICATION_TEMPLATE, ids).values());
    }

    private record Rendered(String subject, String body) {
    }

    @SuppressWarnings("unchecked")
    private Rendered render(Resource template, Map<String, Object> context, Event event) {
        Map<String, Object> custom = template.get("messages") instanceof Map<?, ?> m
                && m.get(event.apiName()) instanceof Map<?, ?> e ? (Map<String, Object>) e : Map.of();
        String subjectText = custom.get("message") instanceof String s && !s.isBlank() ? s : DEFAULT_SUBJECT;
        String subject = VariableTemplate.render(subjectText, context, variables::toJson);
        String body = custom.get("body") instanceof String b && !b.isBlank()
                ? VariableTemplate.render(b, context, variables::toJson)
                : "email".equals(template.get("notification_type"))
                        ? VariableTemplate.render(DEFAULT_EMAIL_BODY, context, variables::toJson)
                        : variables.toJson(context.get("job_metadata"));
        return new Rendered(subject, body);
    }

    /** What messages may refer to: {@code job}, {@code job_friendly_name}, {@code url}, {@code job_metadata}. */
    Map<String, Object> context(UnifiedJob job) {
        String url = SystemSettings.load(resources).text(SystemSettings.TOWER_URL_BASE) + "/api/v2/"
                + job.kind().endpoint() + "/" + job.id() + "/";
        Map<String, Object> j = new LinkedHashMap<>();
        for (String f : List.of("id", "name", "description", "type", "status", "failed", "started", "finished", "elapsed",
                "launch_type", "job_explanation", "job_type", "playbook", "limit", "forks", "verbosity", "scm_revision",
                "scm_branch", "execution_node", "timeout", "job_tags", "skip_tags")) {
            if (job.fields().containsKey(f)) {
                j.put(f, job.get(f));
            }
        }
        j.put("url", url);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("id", job.id());
        metadata.put("name", job.name());
        metadata.put("url", url);
        metadata.put("created_by", job.get(JobFields.LAUNCHED_BY) instanceof Map<?, ?> by ? by.get("name") : null);
        metadata.put("started", job.get(JobFields.STARTED));
        metadata.put("finished", job.get(JobFields.FINISHED));
        metadata.put("status", job.status().apiName());
        metadata.put("traceback", job.fields().getOrDefault("result_traceback", ""));
        if (job.kind() == JobKind.JOB) {
            job.longField(JobFields.INVENTORY).flatMap(i -> resources.get(ResourceTypes.INVENTORY, i))
                    .ifPresent(i -> metadata.put("inventory", i.name()));
            job.longField(JobFields.PROJECT).flatMap(p -> resources.get(ResourceTypes.PROJECT, p))
                    .ifPresent(p -> metadata.put("project", p.name()));
            metadata.put("playbook", job.get(JobFields.PLAYBOOK));
            metadata.put("limit", job.get(JobFields.LIMIT));
            metadata.put("extra_vars", maskedExtraVars(job));
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("job", j);
        context.put("job_friendly_name", job.kind().friendlyName());
        context.put("url", url);
        context.put("job_metadata", metadata);
        return context;
    }

    /** Survey password answers stay sealed in the store; a message shows them as {@code $encrypted$}. */
    private String maskedExtraVars(UnifiedJob job) {
        Map<String, Object> vars = new LinkedHashMap<>(variables.parse(job.string(JobFields.EXTRA_VARS).orElse("")));
        vars.replaceAll((k, v) -> SecretBox.isSealed(v) ? SecretBox.ENCRYPTED : v);
        return variables.toJson(vars);
    }

    private Map<String, Object> opened(Resource template) {
        Map<String, Object> config = new LinkedHashMap<>();
        if (template.get("notification_configuration") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> config.put(String.valueOf(k), SecretBox.isSealed(v) ? secrets.open(v.toString()) : v));
        }
        return config;
    }

    private static String recipients(Resource template) {
        if (template.get("notification_configuration") instanceof Map<?, ?> m) {
            for (String key : List.of("recipients", "channels", "to_numbers")) {
                if (m.get(key) instanceof List<?> addresses) {
                    return String.join(", ", addresses.stream().map(String::valueOf).toList());
                }
            }
            for (String key : List.of("url", "mattermost_url", "rocketchat_url", "grafana_url", "service_key")) {
                if (m.get(key) != null) {
                    return m.get(key).toString();
                }
            }
        }
        return "";
    }
}
