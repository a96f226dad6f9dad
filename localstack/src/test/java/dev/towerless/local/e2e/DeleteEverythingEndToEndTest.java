package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.access.Role;
import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Deletes as AWX does, seen through the API: one object of every type with its children and links,
 * each type deleted through its own endpoint, then a scan of the whole store (every resource type,
 * every job kind) for anything still pointing at a deleted id. Also the inventory's background
 * deletion (202, pending_deletion, gone), what templates say at launch afterwards, and AWX's 409
 * while related jobs run.
 */
class DeleteEverythingEndToEndTest {
    private final Scenario s = new Scenario();
    private final ResourceStore store = LocalStackFixture.stack().context().getBean(ResourceStore.class);
    private final JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
    private final EventStore events = LocalStackFixture.stack().context().getBean(EventStore.class);
    /** Every object the test deleted (directly or by cascade it expects), by type. */
    private final Map<String, Set<Long>> deleted = new HashMap<>();

    @Test
    void deletingEveryTypeLeavesNothingInTheStorePointingAtWhatWasDeleted() throws Exception {
        ApiClient api = s.api;
        long org = s.org;
        long inventory = s.inventory;
        long host1 = id(api.create("inventories/" + inventory + "/hosts/", Map.of("name", "h1-" + s.tag, "variables", "a: 1")));
        long host2 = id(api.create("inventories/" + inventory + "/hosts/", Map.of("name", "h2-" + s.tag)));
        long parent = id(api.create("inventories/" + inventory + "/groups/", Map.of("name", "parent-" + s.tag)));
        long middle = id(api.create("inventories/" + inventory + "/groups/", Map.of("name", "middle-" + s.tag)));
        long leaf = id(api.create("inventories/" + inventory + "/groups/", Map.of("name", "leaf-" + s.tag)));
        ok(api.post("groups/" + parent + "/children/", Map.of("id", middle)));
        ok(api.post("groups/" + middle + "/children/", Map.of("id", leaf)));
        ok(api.post("groups/" + middle + "/hosts/", Map.of("id", host1)));
        ok(api.post("groups/" + middle + "/hosts/", Map.of("id", host2)));
        ok(api.post("groups/" + leaf + "/hosts/", Map.of("id", host1)));

        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long source = id(api.create("inventory_sources/", Map.of("name", "src-" + s.tag, "inventory", inventory, "source", "scm",
                "source_project", project, "source_path", "inventory/hosts.ini")));
        long sourceSchedule = schedule("inventory_sources/" + source);
        long machine = credential("machine", ManagedCredentialTypes.MACHINE, Map.of("username", "u", "password", "p"));
        long scm = credential("scm", ManagedCredentialTypes.SOURCE_CONTROL, Map.of("username", "git"));
        long lookup = credential("vault", ManagedCredentialTypes.HASHIVAULT_KV,
                Map.of("url", "http://127.0.0.1:9", "token", "t", "api_version", "v2"));
        long inputSource = id(api.create("credential_input_sources/", Map.of("target_credential", machine, "source_credential", lookup,
                "input_field_name", "password", "metadata", Map.of("secret_path", "kv/x", "secret_key", "k"))));
        long customType = id(api.create("credential_types/", Map.of("name", "ct-" + s.tag, "kind", "cloud",
                "inputs", Map.of("fields", List.of(Map.of("id", "token", "label", "Token", "type", "string", "secret", true))),
                "injectors", Map.of("env", Map.of("CT_TOKEN", "{{ token }}")))));
        long custom = credential("custom", customType, Map.of("token", "x"));
        ok(api.patch("projects/" + project + "/", Map.of("credential", scm)));
        long ee = id(api.create("execution_environments/", Map.of("name", "ee-" + s.tag, "image", "quay.io/x/y:1", "organization", org)));
        long group = id(api.create("instance_groups/", Map.of("name", "ig-" + s.tag)));
        long hook = id(api.create("notification_templates/", Map.of("name", "nt-" + s.tag, "organization", org,
                "notification_type", "webhook", "notification_configuration", Map.of("url", "http://127.0.0.1:9/hook",
                        "http_method", "POST", "headers", Map.of()))));

        long template = s.template(project, "hello.yml", Map.of("execution_environment", ee, "ask_inventory_on_launch", false));
        long other = s.template(project, "hello.yml", Map.of());
        ok(api.post("job_templates/" + template + "/credentials/", Map.of("id", machine)));
        ok(api.post("job_templates/" + template + "/credentials/", Map.of("id", custom)));
        ok(api.post("job_templates/" + template + "/instance_groups/", Map.of("id", group)));
        ok(api.post("inventories/" + inventory + "/instance_groups/", Map.of("id", group)));
        ok(api.post("organizations/" + org + "/instance_groups/", Map.of("id", group)));
        ok(api.post("job_templates/" + template + "/notification_templates_success/", Map.of("id", hook)));
        ok(api.post("projects/" + project + "/notification_templates_error/", Map.of("id", hook)));
        ok(api.post("organizations/" + org + "/notification_templates_started/", Map.of("id", hook)));
        long label = id(api.create("job_templates/" + template + "/labels/", Map.of("name", "l-" + s.tag, "organization", org)));
        ok(api.post("inventories/" + inventory + "/labels/", Map.of("id", label)));
        long templateSchedule = schedule("job_templates/" + template);

        long workflow = id(api.create("workflow_job_templates/", Map.of("name", "wf-" + s.tag, "organization", org,
                "inventory", inventory)));
        long first = node(workflow, template, "first");
        long second = node(workflow, other, "second");
        long gate = id(api.create("workflow_job_templates/" + workflow + "/workflow_nodes/", Map.of("identifier", "gate")));
        long approval = id(api.create("workflow_job_template_nodes/" + gate + "/create_approval_template/",
                Map.of("name", "approve-" + s.tag, "timeout", 0)));
        ok(api.post("workflow_job_template_nodes/" + first + "/success_nodes/", Map.of("id", gate)));
        ok(api.post("workflow_job_template_nodes/" + gate + "/always_nodes/", Map.of("id", second)));

        long team = id(api.create("teams/", Map.of("name", "team-" + s.tag, "organization", org)));
        String password = "pw-" + s.tag;
        long user = id(api.create("users/", Map.of("username", "u-" + s.tag, "password", password)));
        ok(api.post("users/" + user + "/roles/", Map.of("id", Role.of(ResourceTypes.PROJECT, project, "admin_role").id())));
        ok(api.post("users/" + user + "/roles/", Map.of("id", Role.of(ResourceTypes.INVENTORY, inventory, "use_role").id())));
        ok(api.post("users/" + user + "/roles/", Map.of("id", Role.of(ResourceTypes.TEAM, team, "member_role").id())));
        ok(api.post("teams/" + team + "/roles/", Map.of("id", Role.of(ResourceTypes.CREDENTIAL, machine, "use_role").id())));
        ok(api.post("teams/" + team + "/roles/", Map.of("id", Role.of(ResourceTypes.JOB_TEMPLATE, template, "execute_role").id())));
        ApiClient asUser = new ApiClient(LocalStackFixture.stack().apiUrl(), null, "Basic "
                + Base64.getEncoder().encodeToString(("u-" + s.tag + ":" + password).getBytes(StandardCharsets.UTF_8)));
        long token = id(asUser.create("tokens/", Map.of("description", "mine", "scope", "write")));
        long application = id(api.create("applications/", Map.of("name", "app-" + s.tag, "organization", org,
                "client_type", "confidential", "authorization_grant_type", "password")));

        // History: finished jobs of every kind that point at what is deleted below.
        long job = finishedJob(JobKind.JOB, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, template, JobFields.PROJECT, project,
                JobFields.INVENTORY, inventory, JobFields.CREDENTIALS, List.of(machine, custom), JobFields.LABELS, List.of(label),
                JobFields.ORGANIZATION, org, JobFields.EXECUTION_ENVIRONMENT, ee, JobFields.INSTANCE_GROUP, group,
                JobFields.SCHEDULE, templateSchedule));
        long projectUpdate = finishedJob(JobKind.PROJECT_UPDATE, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, project,
                JobFields.PROJECT, project, JobFields.SCM_CREDENTIAL, scm));
        long inventoryUpdate = finishedJob(JobKind.INVENTORY_UPDATE, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, source,
                "inventory_source", source, JobFields.INVENTORY, inventory));
        long adHoc = finishedJob(JobKind.AD_HOC_COMMAND, Map.of(JobFields.INVENTORY, inventory, "credential", machine));
        events.append(List.of(new JobEvent(projectUpdate, 1, "verbose", "u-" + projectUpdate, "", "", "", "", "cloning", 0, 1,
                "2026-12-01T00:00:00.000000Z", false, false, Map.of())));

        // Each type through its own endpoint, each while others still point at it.
        delete("hosts/" + host1, ResourceTypes.HOST, host1);
        delete("groups/" + middle, ResourceTypes.GROUP, middle);
        assertThat(refs(ResourceTypes.GROUP, parent, "children")).as("a deleted group's children join its parent (AWX)")
                .containsExactly(leaf);
        assertThat(refs(ResourceTypes.GROUP, parent, "hosts")).as("and so do its hosts").containsExactly(host2);
        delete("schedules/" + templateSchedule, ResourceTypes.SCHEDULE, templateSchedule);
        delete("workflow_job_template_nodes/" + gate, ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, gate);
        expectGone(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, approval); // AWX's delete_approval_templates
        delete("notification_templates/" + hook, ResourceTypes.NOTIFICATION_TEMPLATE, hook);
        delete("credentials/" + machine, ResourceTypes.CREDENTIAL, machine);
        expectGone(ResourceTypes.CREDENTIAL_INPUT_SOURCE, inputSource);
        delete("credentials/" + custom, ResourceTypes.CREDENTIAL, custom);
        delete("credential_types/" + customType, ResourceTypes.CREDENTIAL_TYPE, customType);
        delete("credentials/" + scm, ResourceTypes.CREDENTIAL, scm);
        delete("inventory_sources/" + source, ResourceTypes.INVENTORY_SOURCE, source);
        expectGone(ResourceTypes.SCHEDULE, sourceSchedule);
        delete("job_templates/" + template, ResourceTypes.JOB_TEMPLATE, template);
        assertThat(store.get(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, first).orElseThrow().get("unified_job_template"))
                .as("a node whose template went runs nothing (AWX's SET_NULL)").isNull();
        delete("workflow_job_templates/" + workflow, ResourceTypes.WORKFLOW_JOB_TEMPLATE, workflow);
        expectGone(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, first);
        expectGone(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, second);
        delete("projects/" + project, ResourceTypes.PROJECT, project);

        // A template whose project went is kept, pointing at none; launch says why, in AWX's words.
        Map<String, Object> orphanTemplate = api.get("job_templates/" + other + "/").json();
        assertThat(orphanTemplate.get("project")).isNull();
        ApiClient.Response launch = api.post("job_templates/" + other + "/launch/", Map.of());
        assertThat(launch.status()).as(launch.body()).isEqualTo(400);
        assertThat(launch.json()).isEqualTo(Map.of("resources_needed_to_start", List.of("Job Template project is missing or undefined."),
                "project", List.of("A project is required to run a job.")));

        ApiClient.Response accepted = api.delete("inventories/" + inventory + "/");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        record(ResourceTypes.INVENTORY, inventory);
        store.where(ResourceTypes.HOST, "inventory", inventory).forEach(h -> record(ResourceTypes.HOST, h.id()));
        store.where(ResourceTypes.GROUP, "inventory", inventory).forEach(g -> record(ResourceTypes.GROUP, g.id()));
        awaitGone("inventories/" + inventory + "/");
        assertThat(api.get("hosts/" + host2 + "/").status()).isEqualTo(404);
        assertThat(api.get("groups/" + leaf + "/").status()).isEqualTo(404);
        assertThat(api.get("job_templates/" + other + "/").json().get("inventory")).isNull();

        delete("execution_environments/" + ee, ResourceTypes.EXECUTION_ENVIRONMENT, ee);
        delete("instance_groups/" + group, ResourceTypes.INSTANCE_GROUP, group);
        delete("teams/" + team, ResourceTypes.TEAM, team);
        delete("users/" + user, ResourceTypes.USER, user);
        expectGone(ResourceTypes.TOKEN, token);
        delete("applications/" + application, ResourceTypes.APPLICATION, application);
        delete("credentials/" + lookup, ResourceTypes.CREDENTIAL, lookup);
        delete("job_templates/" + other, ResourceTypes.JOB_TEMPLATE, other);
        delete("organizations/" + org, ResourceTypes.ORGANIZATION, org);
        expectGone(ResourceTypes.LABEL, label);

        // Jobs keep their history, pointing at nothing; updates of a deleted project or source went with it.
        awaitJobsUnlinked(job);
        assertThat(jobs.find(projectUpdate)).as("project updates go with their project (AWX's CASCADE)").isEmpty();
        assertThat(events.all(projectUpdate)).as("and their output").isEmpty();
        assertThat(jobs.find(inventoryUpdate)).as("inventory updates go with their source").isEmpty();
        assertThat(jobs.find(adHoc)).isPresent();
        assertThat(api.get("jobs/" + job + "/").status()).isEqualTo(200);

        List<String> dangling = scan();
        assertThat(dangling).as("references to deleted objects left in the store").isEmpty();
    }

    @Test
    void anInventoryShowsPendingDeletionUntilTheBackgroundHasRemovedEverythingInIt() throws Exception {
        ApiClient api = s.api;
        long inventory = id(api.create("inventories/", Map.of("name", "big-" + s.tag, "organization", s.org)));
        List<Long> hosts = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            hosts.add(id(api.create("inventories/" + inventory + "/hosts/", Map.of("name", "host-" + i))));
        }
        long group = id(api.create("inventories/" + inventory + "/groups/", Map.of("name", "all-" + s.tag)));
        ok(api.post("groups/" + group + "/hosts/", Map.of("id", hosts.get(0))));
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = id(api.create("job_templates/", Map.of("name", "on-big-" + s.tag, "project", project,
                "inventory", inventory, "playbook", "hello.yml")));

        ApiClient.Response accepted = api.delete("inventories/" + inventory + "/");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        Map<String, Object> pending = api.get("inventories/" + inventory + "/").json();
        assertThat(pending).as("the inventory is still shown, being deleted").containsEntry("pending_deletion", true);
        assertThat(api.delete("inventories/" + inventory + "/").json())
                .isEqualTo(Map.of("error", "Inventory is already pending deletion."));
        ApiClient.Response hostDelete = api.delete("hosts/" + hosts.get(1) + "/");
        assertThat(hostDelete.status() == 404 || hostDelete.json().equals(Map.of("error",
                "The inventory for this host is already being deleted."))).as(hostDelete.body()).isTrue();
        // AWX's schedule_deletion clears its templates' inventory at once (jobtemplates.clear()).
        assertThat(api.get("job_templates/" + template + "/").json().get("inventory")).isNull();
        ApiClient.Response launch = api.post("job_templates/" + template + "/launch/", Map.of());
        assertThat(launch.status()).isEqualTo(400);
        assertThat(launch.json()).containsEntry("resources_needed_to_start", List.of("Job Template inventory is missing or undefined."));

        awaitGone("inventories/" + inventory + "/");
        assertThat(store.where(ResourceTypes.HOST, "inventory", inventory)).isEmpty();
        assertThat(store.where(ResourceTypes.GROUP, "inventory", inventory)).isEmpty();
        assertThat(api.get("inventories/?id=" + inventory).json()).containsEntry("count", 0);
    }

    @Test
    void deletesAreRefusedWithAwxs409WhileRelatedJobsAreActive() throws Exception {
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "hello.yml", Map.of());
        long group = id(s.api.create("instance_groups/", Map.of("name", "busy-" + s.tag)));
        long host = store.where(ResourceTypes.HOST, "inventory", s.inventory).get(0).id();
        long running = runningJob(Map.of(JobFields.UNIFIED_JOB_TEMPLATE, template, JobFields.PROJECT, project,
                JobFields.INVENTORY, s.inventory, JobFields.ORGANIZATION, s.org, JobFields.INSTANCE_GROUP, group));
        try {
            for (String path : List.of("job_templates/" + template, "projects/" + project, "inventories/" + s.inventory,
                    "organizations/" + s.org, "instance_groups/" + group, "hosts/" + host)) {
                ApiClient.Response refused = s.api.delete(path + "/");
                assertThat(refused.status()).as(path + ": " + refused.body()).isEqualTo(409);
                assertThat(refused.json()).isEqualTo(Map.of("error", "Resource is being used by running jobs.",
                        "active_jobs", List.of(Map.of("type", "job", "id", (int) running))));
                assertThat(s.api.get(path + "/").status()).as(path + " is still there").isEqualTo(200);
            }
        } finally {
            UnifiedJob j = jobs.find(running).orElseThrow();
            if (!j.status().isFinished()) {
                jobs.updateIfStatus(running, j.status(), JobTransitions.changesFor(j, JobStatus.CANCELED, Instant.now()));
            }
        }
        ApiClient.Response done = s.api.delete("job_templates/" + template + "/");
        assertThat(done.status()).as("once the job has ended: " + done.body()).isEqualTo(204);
    }

    // ---- building ----

    private long credential(String name, long type, Map<String, Object> inputs) {
        return id(s.api.create("credentials/", Map.of("name", name + "-" + s.tag, "organization", s.org,
                "credential_type", type, "inputs", inputs)));
    }

    private long schedule(String owner) {
        return id(s.api.create(owner + "/schedules/", Map.of("name", "sched-" + System.nanoTime(),
                "rrule", "DTSTART:20300101T000000Z RRULE:FREQ=DAILY;INTERVAL=1")));
    }

    private long node(long workflow, long template, String identifier) {
        return id(s.api.create("workflow_job_templates/" + workflow + "/workflow_nodes/",
                Map.of("unified_job_template", template, "identifier", identifier)));
    }

    private long finishedJob(JobKind kind, Map<String, Object> fields) {
        long id = store.nextId(LaunchService.JOB_SEQUENCE);
        Instant now = Instant.now();
        UnifiedJob j = UnifiedJob.newPending(id, kind, kind.type() + "-" + id, LaunchType.MANUAL, now, fields);
        j = j.with(Map.of(JobFields.STATUS, JobStatus.SUCCESSFUL.apiName(), JobFields.FINISHED,
                dev.towerless.core.jobs.Timestamps.format(now)));
        jobs.insert(j);
        return id;
    }

    /** A job the stack believes is running (no runner behind it: the test ends it). */
    private long runningJob(Map<String, Object> fields) {
        long id = store.nextId(LaunchService.JOB_SEQUENCE);
        Instant now = Instant.now();
        UnifiedJob j = UnifiedJob.newPending(id, JobKind.JOB, "busy-" + id, LaunchType.MANUAL, now, fields);
        UnifiedJob waiting = j.with(JobTransitions.changesFor(j, JobStatus.WAITING, now));
        jobs.insert(waiting.with(JobTransitions.changesFor(waiting, JobStatus.RUNNING, now, Map.of(JobFields.EXECUTION_NODE,
                "test", JobFields.LAST_HEARTBEAT, dev.towerless.core.jobs.Timestamps.format(now.plusSeconds(600))))));
        return id;
    }

    // ---- deleting ----

    private void delete(String path, String type, long id) {
        ApiClient.Response r = s.api.delete(path + "/");
        assertThat(r.status()).as("DELETE " + path + ": " + r.body()).isEqualTo(204);
        assertThat(s.api.get(path + "/").status()).as(path + " after its delete").isEqualTo(404);
        record(type, id);
    }

    private void expectGone(String type, long id) {
        assertThat(store.get(type, id)).as(type + " " + id + " should have gone with what it belonged to").isEmpty();
        record(type, id);
    }

    private void record(String type, long id) {
        deleted.computeIfAbsent(type, t -> new HashSet<>()).add(id);
    }

    private List<Long> refs(String type, long id, String field) {
        return store.get(type, id).orElseThrow().references(field);
    }

    private void awaitGone(String path) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (s.api.get(path).status() != 404) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(path + " was never deleted: " + s.api.get(path).body());
            }
            Thread.sleep(100);
        }
    }

    private void awaitJobsUnlinked(long job) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (jobs.find(job).orElseThrow().longField(JobFields.ORGANIZATION).isPresent()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job " + job + " still points at its deleted organization: " + jobs.find(job));
            }
            Thread.sleep(100);
        }
    }

    // ---- the scan ----

    /**
     * What in the store still names a deleted object: every resource of every type and every job
     * of every kind, each field read by its name alone (not through the catalogue the deletes
     * follow, so a link the catalogue forgot is caught here), roles decoded from their ids.
     */
    private List<String> scan() throws IllegalAccessException {
        List<String> found = new ArrayList<>();
        for (String type : resourceTypes()) {
            for (Resource r : store.all(type)) {
                check(type + " " + r.id(), r.fields(), found);
            }
        }
        for (JobKind kind : JobKind.values()) {
            for (UnifiedJob j : jobs.all(kind)) {
                check(kind.type() + " " + j.id(), j.fields(), found);
            }
        }
        for (Map.Entry<String, Set<Long>> e : deleted.entrySet()) {
            for (long id : e.getValue()) {
                if (store.get(e.getKey(), id).isPresent()) {
                    found.add(e.getKey() + " " + id + " itself is still stored");
                }
            }
        }
        return found;
    }

    private void check(String where, Map<String, Object> fields, List<String> found) {
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            List<Long> ids = new ArrayList<>();
            if (f.getValue() instanceof Number n) {
                ids.add(n.longValue());
            } else if (f.getValue() instanceof List<?> list) {
                list.stream().filter(Number.class::isInstance).forEach(x -> ids.add(((Number) x).longValue()));
            }
            for (long id : ids) {
                if (f.getKey().equals("roles") || f.getKey().equals("admin_roles")) {
                    Optional<Role> role = Role.ofId(id).filter(r -> !r.isSingleton());
                    if (role.isPresent() && deleted.getOrDefault(role.get().contentType(), Set.of()).contains(role.get().objectId())) {
                        found.add(where + " holds " + role.get() + " of a deleted object");
                    }
                    continue;
                }
                for (String target : targetsOf(f.getKey())) {
                    if (deleted.getOrDefault(target, Set.of()).contains(id)) {
                        found.add(where + "." + f.getKey() + " = " + id + " (a deleted " + target + ")");
                    }
                }
            }
        }
    }

    /** The type(s) a field names, by AWX's field names. */
    private static List<String> targetsOf(String field) {
        if (field.startsWith("notification_templates_") || field.equals("notification_template")) {
            return List.of(ResourceTypes.NOTIFICATION_TEMPLATE);
        }
        if (field.endsWith("_nodes")) {
            return List.of(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE);
        }
        return switch (field) {
            case "organization" -> List.of(ResourceTypes.ORGANIZATION);
            case "inventory" -> List.of(ResourceTypes.INVENTORY);
            case "hosts", "host" -> List.of(ResourceTypes.HOST);
            case "children", "groups" -> List.of(ResourceTypes.GROUP);
            case "project", "source_project" -> List.of(ResourceTypes.PROJECT);
            case "credential", "credentials", "galaxy_credentials", "source_credential", "target_credential", "webhook_credential" ->
                    List.of(ResourceTypes.CREDENTIAL);
            case "credential_type" -> List.of(ResourceTypes.CREDENTIAL_TYPE);
            case "unified_job_template" -> ResourceTypes.UNIFIED_JOB_TEMPLATES;
            case "job_template" -> List.of(ResourceTypes.JOB_TEMPLATE);
            case "workflow_job_template" -> List.of(ResourceTypes.WORKFLOW_JOB_TEMPLATE);
            case "workflow_approval_template" -> List.of(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE);
            case "inventory_source" -> List.of(ResourceTypes.INVENTORY_SOURCE);
            case "labels" -> List.of(ResourceTypes.LABEL);
            case "instance_groups", "instance_group" -> List.of(ResourceTypes.INSTANCE_GROUP);
            case "execution_environment", "default_environment" -> List.of(ResourceTypes.EXECUTION_ENVIRONMENT);
            case "schedule" -> List.of(ResourceTypes.SCHEDULE);
            case "user" -> List.of(ResourceTypes.USER);
            case "application" -> List.of(ResourceTypes.APPLICATION);
            case "team" -> List.of(ResourceTypes.TEAM);
            default -> List.of();
        };
    }

    /** Every resource type the store knows (ResourceTypes' constants). */
    private static List<String> resourceTypes() throws IllegalAccessException {
        List<String> types = new ArrayList<>();
        for (java.lang.reflect.Field f : ResourceTypes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                types.add((String) f.get(null));
            }
        }
        return types;
    }

    private static void ok(ApiClient.Response r) {
        assertThat(r.status()).as(r.body()).isBetween(200, 204);
    }

    private static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }
}
