package dev.towerless.core.launch;

import dev.towerless.core.credentials.CredentialPasswords;
import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.MessageQueue;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ItemSize;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.ValidationException;
import dev.towerless.core.resources.VariablesCodec;
import dev.towerless.core.scheduling.TaskImpact;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.settings.SystemSettings;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Creates jobs: from a job template (with the prompts it allows) and project updates. The job is
 * written as {@code pending} first, then the task manager is woken; if the wake message is lost
 * the periodic tick still starts the job.
 */
public final class LaunchService {
    private static final Logger LOG = Logger.getLogger(LaunchService.class.getName());
    public static final String JOB_SEQUENCE = "unified_job";
    /** AWX's explanations when a run that nobody is there to type passwords for needs them. */
    public static final String SCHEDULED_NEEDS_PASSWORDS =
            "Scheduled job could not start because it was not in the right state or required manual credentials";
    public static final String WORKFLOW_NEEDS_PASSWORDS =
            "Job spawned from workflow could not start because it was not in the right state or required manual credentials";

    private final JobStore jobs;
    private final ResourceStore resources;
    private final MessageQueue wakeQueue;
    private final VariablesCodec variables;
    private final Clock clock;

    private final SecretBox secrets;

    /** A job's stored fields as the launcher named them. */
    private static final Map<String, String> LAUNCH_FIELDS = Map.of(JobFields.JOB_TEMPLATE_EXTRA_VARS, JobFields.EXTRA_VARS);

    public LaunchService(JobStore jobs, ResourceStore resources, MessageQueue wakeQueue, VariablesCodec variables,
                         Clock clock, SecretBox secrets) {
        this.jobs = jobs;
        this.resources = resources;
        this.wakeQueue = wakeQueue;
        this.variables = variables;
        this.clock = clock;
        this.secrets = secrets;
    }

    /** A job from a template. Returns the job and the prompts that were ignored (not askable). */

    /** Relaunch: the same template with the first job's prompts (AWX's {@code relaunch/}). */
    public Launched relaunch(Resource template, UnifiedJob original, Resource user) {
        return relaunch(template, original, user, Map.of());
    }

    /**
     * Relaunch with the request's passwords: the first job's "ASK" passwords must be typed again
     * (in {@code credential_passwords} or at the top level), else AWX's 400.
     */
    public Launched relaunch(Resource template, UnifiedJob original, Resource user, Map<String, Object> request) {
        Map<String, Object> given = new LinkedHashMap<>(CredentialPasswords.given(request));
        List<String> needed = passwordsNeededToStart(original.longList(JobFields.CREDENTIALS));
        needed.stream().filter(request::containsKey).forEach(n -> given.putIfAbsent(n, request.get(n)));
        List<String> missing = CredentialPasswords.missing(needed, given);
        if (!missing.isEmpty()) {
            throw ValidationException.of(CredentialPasswords.REQUEST_FIELD,
                    "Missing passwords needed to start: " + String.join(", ", missing));
        }
        Map<String, Object> vars = variables.parse(original.string(JobFields.EXTRA_VARS).orElse(""));
        LaunchPrompts same = new LaunchPrompts(vars, original.string(JobFields.LIMIT).orElse(null),
                original.string(JobFields.JOB_TYPE).orElse(null), original.longField(JobFields.VERBOSITY).orElse(null),
                original.longField(JobFields.FORKS).orElse(null), original.longField(JobFields.INVENTORY).orElse(null),
                original.longList(JobFields.CREDENTIALS)).withMore(LaunchPrompts.moreFrom(original.fields()));
        return launchJobTemplate(template, same, Origin.user(user, LaunchType.RELAUNCH), given);
    }

    /** AWX's {@code passwords_needed_to_start} of these credentials (the "ASK" inputs, by AWX's names). */
    public List<String> passwordsNeededToStart(List<Long> credentialIds) {
        List<Resource> creds = credentialIds.stream().map(id -> resources.get(ResourceTypes.CREDENTIAL, id))
                .flatMap(Optional::stream).toList();
        return CredentialPasswords.neededToStart(creds, secrets::open);
    }

    /**
     * What a template still lacks before it can launch with these prompts, in AWX's words
     * ({@code resources_needed_to_start}: "Job Template {field} is missing or undefined."); empty when it can launch.
     */
    public List<String> resourcesNeededToStart(Resource template, LaunchPrompts prompts) {
        List<String> missing = new java.util.ArrayList<>();
        if (template.reference(JobFields.PROJECT).flatMap(p -> resources.get(ResourceTypes.PROJECT, p)).isEmpty()) {
            missing.add("Job Template project is missing or undefined.");
        }
        Optional<Long> inventory = template.flag("ask_inventory_on_launch") && prompts.inventory() != null
                ? Optional.of(prompts.inventory()) : template.reference(JobFields.INVENTORY);
        if (inventory.flatMap(i -> resources.get(ResourceTypes.INVENTORY, i)).isEmpty()) {
            missing.add("Job Template inventory is missing or undefined.");
        }
        return missing;
    }

    /** A job from a template; call {@link #resourcesNeededToStart} first. */
    public Launched launchJobTemplate(Resource template, LaunchPrompts prompts, Origin origin) {
        return launchJobTemplate(template, prompts, origin, Map.of());
    }

    /**
     * A job from a template, with the passwords its credentials' "ASK" inputs need (by AWX's
     * names). A person must give every one (else AWX's 400 naming them); a schedule or a workflow
     * cannot, so its run fails at once with AWX's explanation.
     */
    @SuppressWarnings("unchecked")
    public Launched launchJobTemplate(Resource template, LaunchPrompts prompts, Origin origin,
                                      Map<String, Object> credentialPasswords) {
        Map<String, Object> ignored = new TreeMap<>();
        Map<String, Object> f = new LinkedHashMap<>();
        long projectId = template.reference(JobFields.PROJECT).orElseThrow();
        Resource project = resources.get(ResourceTypes.PROJECT, projectId).orElseThrow();
        f.put(JobFields.UNIFIED_JOB_TEMPLATE, template.id());
        f.put(JobFields.JOB_TEMPLATE, template.id());
        f.put(JobFields.PROJECT, projectId);
        f.put(JobFields.ORGANIZATION, project.get("organization"));
        f.put(JobFields.INVENTORY, prompt(template, "ask_inventory_on_launch", "inventory", prompts.inventory(),
                template.get("inventory"), ignored));
        f.put(JobFields.PLAYBOOK, template.get("playbook"));
        f.put(JobFields.LABELS, prompt(template, "ask_labels_on_launch", "labels", prompts.more().get("labels"),
                template.references(JobFields.LABELS), ignored));
        Object environment = prompt(template, "ask_execution_environment_on_launch", JobFields.EXECUTION_ENVIRONMENT,
                prompts.more().get(JobFields.EXECUTION_ENVIRONMENT), null, ignored);
        f.put(JobFields.EXECUTION_ENVIRONMENT, environment != null ? environment : ExecutionEnvironments.resolve(resources,
                template, Optional.of(project), project.reference("organization")).orElse(null));
        f.put(JobFields.CREDENTIALS, prompt(template, "ask_credential_on_launch", "credentials", prompts.credentials(),
                template.references(JobFields.CREDENTIALS), ignored));
        if (origin.launchType() == LaunchType.MANUAL && prompts.credentials() != null && template.flag("ask_credential_on_launch")) {
            List<String> problems = ManagedCredentialTypes.launchCredentialProblems(
                    List.copyOf(resources.getMany(ResourceTypes.CREDENTIAL, prompts.credentials()).values()),
                    resources.getMany(ResourceTypes.CREDENTIAL, template.references(JobFields.CREDENTIALS)).values(),
                    c -> c.reference("credential_type").flatMap(t -> resources.get(ResourceTypes.CREDENTIAL_TYPE, t))
                            .map(Resource::name).orElse(String.valueOf(c.get("kind"))));
            if (!problems.isEmpty()) {
                throw new ValidationException(Map.of("credentials", problems));
            }
        }
        f.put(JobFields.ALLOW_SIMULTANEOUS, template.flag("allow_simultaneous"));
        f.put("become_enabled", template.get("become_enabled"));
        for (String field : List.of("job_tags", "skip_tags", "diff_mode", "scm_branch", JobFields.TIMEOUT, "job_slice_count")) {
            f.put(field, prompt(template, LaunchPrompts.MORE.get(field), field, prompts.more().get(field), template.get(field),
                    ignored));
        }
        f.put(JobFields.JOB_TYPE, prompt(template, "ask_job_type_on_launch", "job_type", prompts.jobType(),
                template.get("job_type"), ignored));
        f.put(JobFields.LIMIT, prompt(template, "ask_limit_on_launch", "limit", prompts.limit(),
                template.get("limit"), ignored));
        f.put(JobFields.VERBOSITY, prompt(template, "ask_verbosity_on_launch", "verbosity", prompts.verbosity(),
                template.get("verbosity"), ignored));
        f.put(JobFields.FORKS, prompt(template, "ask_forks_on_launch", "forks", prompts.forks(),
                template.get("forks"), ignored));
        // A workflow's variables reach its job templates whether or not they ask (AWX's historical exception).
        f.put(JobFields.EXTRA_VARS, mergedExtraVars(template, prompts.extraVars(), ignored,
                origin.launchType() == LaunchType.WORKFLOW));
        // Provenance: everything else in extra_vars came from a launcher, a survey, a workflow or a schedule.
        f.put(JobFields.JOB_TEMPLATE_EXTRA_VARS, variables.toJson(templateVars(template)));
        if (template.flag("survey_enabled") && template.get("survey_spec") instanceof Map<?, ?> spec) {
            @SuppressWarnings("unchecked")
            Map<String, Object> survey = (Map<String, Object>) spec;
            f.put("survey_passwords", Survey.passwordVariables(survey));
        }
        List<String> needed = passwordsNeededToStart(((List<Object>) f.get(JobFields.CREDENTIALS)).stream()
                .map(c -> ((Number) c).longValue()).toList());
        if (!needed.isEmpty()) {
            switch (origin.launchType()) {
                case SCHEDULED -> {
                    return new Launched(refused(template, JobKind.JOB, origin, SCHEDULED_NEEDS_PASSWORDS), ignored);
                }
                case WORKFLOW -> {
                    return new Launched(refused(template, JobKind.JOB, origin, WORKFLOW_NEEDS_PASSWORDS), ignored);
                }
                default -> {
                    List<String> missing = CredentialPasswords.missing(needed, credentialPasswords);
                    if (!missing.isEmpty()) {
                        throw new ValidationException(Map.of("passwords_needed_to_start", missing));
                    }
                    f.put(JobFields.START_ARGS, CredentialPasswords.seal(needed, credentialPasswords, secrets));
                }
            }
        }
        origin.applyTo(f);
        Optional<Resource> inventory = Optional.ofNullable((Number) f.get(JobFields.INVENTORY))
                .flatMap(i -> resources.get(ResourceTypes.INVENTORY, i.longValue()));
        long hosts = inventory.map(this::hostCount).orElse(-1L);
        f.put(JobFields.TASK_IMPACT, TaskImpact.of(JobKind.JOB, hosts, ((Number) f.getOrDefault(JobFields.FORKS, 0L)).longValue()));
        Object promptedGroups = prompt(template, "ask_instance_groups_on_launch", "instance_groups",
                prompts.more().get("instance_groups"), null, ignored);
        // AWX: instance groups given at launch are the job's, instead of the template's, inventory's and organization's
        f.put(JobFields.PREFERRED_INSTANCE_GROUPS, promptedGroups != null ? promptedGroups
                : preferredGroups(template, inventory, project));
        // Launch-time variables are the job's own: too many to store is the launcher's 400, before anything is written.
        ItemSize.check(f, LAUNCH_FIELDS);
        long id = idFor(origin);
        UnifiedJob job = UnifiedJob.newPending(id, JobKind.JOB, template.name(), origin.launchType(), clock.instant(), f);
        jobs.insert(job);
        wake(job);
        return new Launched(job, ignored);
    }

    /**
     * The hosts a job on this inventory runs on. A smart inventory's membership is rebuilt first,
     * as AWX rebuilds it when a job on it starts, so the runner reads the hosts its filter matches now.
     */
    private long hostCount(Resource inventory) {
        if (dev.towerless.core.inventory.SmartInventories.isSmart(inventory)) {
            dev.towerless.core.inventory.SmartInventories smart = new dev.towerless.core.inventory.SmartInventories(resources);
            smart.rebuild(inventory);
            return resources.get(ResourceTypes.INVENTORY, inventory.id())
                    .map(i -> dev.towerless.core.inventory.SmartInventories.members(i).size()).orElse(0);
        }
        return resources.where(ResourceTypes.HOST, "inventory", inventory.id()).size();
    }

    /** An ad hoc command from validated fields (AWX's {@code ad_hoc_commands/} POST runs it at once). */
    public UnifiedJob launchAdHoc(Map<String, Object> fields, Resource inventory, Origin origin) {
        return launchAdHoc(fields, inventory, origin, Map.of());
    }

    /**
     * An ad hoc command; {@code request} carries the passwords its credential's "ASK" inputs need,
     * at the top level as AWX takes them. Missing ones are AWX's 400 listing every needed one.
     */
    public UnifiedJob launchAdHoc(Map<String, Object> fields, Resource inventory, Origin origin, Map<String, Object> request) {
        // AWX's module_name is a choice of the AD_HOC_COMMANDS setting, read at each launch.
        Object chosen = fields.getOrDefault("module_name", "command");
        if (!SystemSettings.load(resources).strings(SystemSettings.AD_HOC_COMMANDS).contains(String.valueOf(chosen))) {
            throw ValidationException.of("module_name", "\"" + chosen + "\" is not a valid choice.");
        }
        Map<String, Object> f = new LinkedHashMap<>(fields);
        if (fields.get("credential") instanceof Number credential) {
            List<String> needed = passwordsNeededToStart(List.of(credential.longValue()));
            if (!CredentialPasswords.missing(needed, request).isEmpty()) {
                throw new ValidationException(Map.of("passwords_needed_to_start", needed));
            }
            if (!needed.isEmpty()) {
                f.put(JobFields.START_ARGS, CredentialPasswords.seal(needed, request, secrets));
            }
        }
        f.put(JobFields.INVENTORY, inventory.id());
        f.put(JobFields.ORGANIZATION, inventory.get("organization"));
        Object credential = fields.get("credential");
        f.put(JobFields.CREDENTIALS, credential instanceof Number n ? List.of(n.longValue()) : List.of());
        String vars = String.valueOf(fields.getOrDefault(JobFields.EXTRA_VARS, ""));
        Map<String, Object> parsed = vars.isBlank() ? Map.of() : variables.parse(vars);
        // AWX's AdHocCommandSerializer: ansible's own variables would let a command rewrite its connection.
        List<String> ansibleVars = parsed.keySet().stream().filter(k -> k.startsWith("ansible_"))
                .sorted(java.util.Comparator.reverseOrder()).toList();
        if (!ansibleVars.isEmpty()) {
            throw ValidationException.of(JobFields.EXTRA_VARS,
                    String.join(", ", ansibleVars) + " are prohibited from use in ad hoc commands.");
        }
        f.put(JobFields.EXTRA_VARS, variables.toJson(parsed));
        origin.applyTo(f);
        long hosts = hostCount(inventory);
        f.put(JobFields.TASK_IMPACT, TaskImpact.of(JobKind.AD_HOC_COMMAND, hosts,
                ((Number) fields.getOrDefault(JobFields.FORKS, 0L)).longValue()));
        List<Long> groups = new java.util.ArrayList<>(inventory.references("instance_groups"));
        inventory.reference("organization").flatMap(o -> resources.get(ResourceTypes.ORGANIZATION, o))
                .ifPresent(o -> groups.addAll(o.references("instance_groups")));
        f.put(JobFields.PREFERRED_INSTANCE_GROUPS, groups.stream().distinct().toList());
        String module = String.valueOf(fields.get("module_name"));
        String args = String.valueOf(fields.getOrDefault("module_args", ""));
        String name = args.isBlank() ? module : module + ": " + args;
        ItemSize.check(f, LAUNCH_FIELDS);
        UnifiedJob job = UnifiedJob.newPending(idFor(origin), JobKind.AD_HOC_COMMAND,
                name.length() > 512 ? name.substring(0, 512) : name, origin.launchType(), clock.instant(), f);
        jobs.insert(job);
        wake(job);
        return job;
    }

    /** A system job from its template (cleanup_jobs with {@code days}, cleanup_tokens …). */
    public UnifiedJob launchSystemJob(Resource template, Map<String, Object> extraVars, Origin origin) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(JobFields.UNIFIED_JOB_TEMPLATE, template.id());
        f.put("system_job_template", template.id());
        f.put(JobFields.JOB_TYPE, template.get("job_type"));
        f.put(JobFields.EXTRA_VARS, variables.toJson(extraVars == null ? Map.of() : extraVars));
        origin.applyTo(f);
        f.put(JobFields.TASK_IMPACT, TaskImpact.of(JobKind.SYSTEM_JOB, 0, 0));
        UnifiedJob job = UnifiedJob.newPending(idFor(origin), JobKind.SYSTEM_JOB, template.name(),
                origin.launchType(), clock.instant(), f);
        jobs.insert(job);
        wake(job);
        return job;
    }

    /** An inventory update (a sync of the source into its inventory). */
    public UnifiedJob updateInventorySource(Resource source, Origin origin) {
        UnifiedJob job = withOrigin(dev.towerless.core.organizations.HostLimit.stamped(resources,
                InventoryUpdates.newUpdate(idFor(origin), source, origin.launchType(), clock.instant())), origin);
        jobs.insert(job);
        resources.update(ResourceTypes.INVENTORY_SOURCE, source.id(), Map.of("current_update", job.id(), "last_update", job.id()));
        wake(job);
        return job;
    }

    /** A project update (a clone/fetch that records the revision jobs will run). */
    public UnifiedJob updateProject(Resource project, Origin origin) {
        UnifiedJob job = withOrigin(ProjectUpdates.newUpdate(idFor(origin), project, origin.launchType(),
                clock.instant()), origin);
        jobs.insert(job);
        resources.update(ResourceTypes.PROJECT, project.id(), Map.of("current_update", job.id(), "last_update", job.id()));
        wake(job);
        return job;
    }

    /**
     * A run its template refused (a scheduled launch that lacks an inventory or a survey answer):
     * stored as {@code failed} with the reason, as AWX records it, so the refusal is visible.
     */
    public UnifiedJob refused(Resource template, JobKind kind, Origin origin, String explanation) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(JobFields.UNIFIED_JOB_TEMPLATE, template.id());
        if (kind == JobKind.JOB) {
            f.put(JobFields.JOB_TEMPLATE, template.id());
        }
        origin.applyTo(f);
        UnifiedJob pending = UnifiedJob.newPending(idFor(origin), kind, template.name(),
                origin.launchType(), clock.instant(), f);
        UnifiedJob failed = pending.with(JobTransitions.changesFor(pending, JobStatus.FAILED, clock.instant(),
                Map.of(JobFields.JOB_EXPLANATION, explanation)));
        jobs.insert(failed);
        return failed;
    }

    /** A workflow job with its nodes ({@code fields}), pending for the task manager to start. */
    public UnifiedJob insertWorkflowJob(String name, Map<String, Object> fields, Origin origin) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        origin.applyTo(f);
        // The workflow's nodes travel inside its job: a workflow too large for one stored job is refused whole.
        ItemSize.check(f, Map.of());
        UnifiedJob job = UnifiedJob.newPending(idFor(origin), JobKind.WORKFLOW_JOB, name, origin.launchType(),
                clock.instant(), f);
        jobs.insert(job);
        wake(job);
        return job;
    }

    /**
     * An approval a workflow waits on (AWX's WorkflowApproval): pending until someone approves
     * or denies it, or until it expires after the template's {@code timeout} seconds (0: never).
     */
    public UnifiedJob insertApproval(Resource template, Origin origin) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(JobFields.UNIFIED_JOB_TEMPLATE, template.id());
        f.put("workflow_approval_template", template.id());
        long timeout = template.reference("timeout").orElse(0L);
        f.put("timeout", timeout);
        f.put("approval_expiration", timeout > 0 ? Timestamps.format(clock.instant().plusSeconds(timeout)) : null);
        f.put("timed_out", false);
        f.put("can_approve_or_deny", true);
        f.put(JobFields.TASK_IMPACT, 0L);
        origin.applyTo(f);
        // AWX counts an approval as started when it is created: it is waiting for a person from then on.
        UnifiedJob job = UnifiedJob.newPending(idFor(origin), JobKind.WORKFLOW_APPROVAL, template.name(), origin.launchType(),
                clock.instant(), f).with(Map.of(JobFields.STARTED, Timestamps.format(clock.instant())));
        jobs.insert(job);
        return job;
    }

    /** The id the caller reserved (a workflow node records it first), else a fresh one. */
    private long idFor(Origin origin) {
        return origin.jobId() != null ? origin.jobId() : resources.nextId(JOB_SEQUENCE);
    }

    private static UnifiedJob withOrigin(UnifiedJob job, Origin origin) {
        Map<String, Object> f = new LinkedHashMap<>();
        origin.applyTo(f);
        return f.isEmpty() ? job : job.with(f);
    }

    /** AWX's preference: the template's instance groups, then the inventory's, then the organization's. */
    private List<Long> preferredGroups(Resource template, Optional<Resource> inventory, Resource project) {
        List<Long> groups = new java.util.ArrayList<>(template.references("instance_groups"));
        inventory.ifPresent(i -> groups.addAll(i.references("instance_groups")));
        project.reference("organization").flatMap(o -> resources.get(ResourceTypes.ORGANIZATION, o))
                .ifPresent(o -> groups.addAll(o.references("instance_groups")));
        return groups.stream().distinct().toList();
    }

    private void wake(UnifiedJob job) {
        try {
            wakeQueue.send(WakeMessage.jobCreated(job.id()));
        } catch (RuntimeException e) {
            // The job is stored; the task manager's periodic tick will find it.
            LOG.log(Level.WARNING, "wake message for " + job + " not sent; the next tick will start it", e);
        }
    }

    private static Object prompt(Resource template, String askField, String field, Object given, Object templateValue,
                                 Map<String, Object> ignored) {
        if (given == null) {
            return templateValue;
        }
        if (template.flag(askField)) {
            return given;
        }
        ignored.put(field, given);
        return templateValue;
    }

    /**
     * Template vars, then survey answers (checked, defaults applied), then launch vars if the
     * template asks for them; vars it does not ask for are reported as ignored, as AWX does.
     */
    @SuppressWarnings("unchecked")
    private String mergedExtraVars(Resource template, Map<String, Object> given, Map<String, Object> ignored,
                                   boolean acceptAll) {
        Map<String, Object> merged = new LinkedHashMap<>(templateVars(template));
        Map<String, Object> launchVars = given == null ? Map.of() : given;
        Map<String, Object> survey = template.flag("survey_enabled") && template.get("survey_spec") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : null;
        if (survey != null) {
            Map<String, Object> answers = new LinkedHashMap<>(Survey.answers(survey, launchVars));
            // Password answers are sealed like credential inputs: only the runner opens them.
            for (String name : Survey.passwordVariables(survey)) {
                answers.computeIfPresent(name, (k, v) -> SecretBox.isSealed(v) ? v : secrets.seal(String.valueOf(v)));
            }
            merged.putAll(answers);
        }
        Map<String, Object> rest = new LinkedHashMap<>(launchVars);
        if (survey != null) {
            Survey.passwordVariables(survey).forEach(rest::remove);
            ((List<Object>) survey.getOrDefault("spec", List.of())).forEach(q -> rest.remove(((Map<String, Object>) q).get("variable")));
        }
        if (!rest.isEmpty()) {
            if (template.flag("ask_variables_on_launch") || acceptAll) {
                merged.putAll(rest);
            } else {
                ignored.put("extra_vars", rest);
            }
        }
        return variables.toJson(merged);
    }

    private Map<String, Object> templateVars(Resource template) {
        String base = template.string("extra_vars").orElse("");
        return base.isBlank() ? new LinkedHashMap<>() : variables.parse(base);
    }

    public record Launched(UnifiedJob job, Map<String, Object> ignoredFields) {
    }
}
