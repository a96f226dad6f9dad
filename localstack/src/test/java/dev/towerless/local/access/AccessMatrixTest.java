package dev.towerless.local.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.api.auth.Authenticator;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may do what, through the HTTP API, against AWX 21.14.0's answers (access.py): every resource
 * type, nine kinds of caller, and the actions list, detail, create, change, delete, launch, cancel,
 * attach and grant. Each caller gets its role on the object under test (or on the object that
 * governs it: the inventory of a host, the template of a job) and nothing else. A cell that
 * answers differently from AWX fails the test, and the report names every such cell.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {
    private static final List<String> PERSONAS = List.of("anon", "nobody", "reader", "user", "objadmin", "orgadmin",
            "orgaudit", "sysaudit", "superuser");

    /**
     * AWX's answers. "show"/"hide": whether the object appears in its list (and the count agrees);
     * otherwise the HTTP status. "-": not an action of that type.
     * reader: the read role; user: use (execute for templates, member for organizations and teams);
     * objadmin: admin of the object (of its inventory for hosts, groups and sources; of its template
     * for schedules and jobs; notification admin of the organization for notification templates;
     * admin of the organization for users).
     */
    private static final String EXPECTED = """
            #                       anon nobody reader user objadmin orgadmin orgaudit sysaudit superuser
            organization  list      401  hide   show   show show     show     show     show     show
            organization  detail    401  403    200    200  200      200      200      200      200
            organization  create    401  403    403    403  403      403      403      403      201
            organization  change    401  403    403    403  200      200      403      403      200
            organization  delete    401  403    403    403  204      204      403      403      204
            organization  attach    401  403    403    403  204      204      403      403      204
            organization  grant     401  403    403    403  204      204      403      403      204
            team          list      401  hide   show   show show     show     show     show     show
            team          detail    401  403    200    200  200      200      200      200      200
            team          create    401  403    403    403  403      201      403      403      201
            team          change    401  403    403    403  200      200      403      403      200
            team          delete    401  403    403    403  204      204      403      403      204
            team          attach    401  403    403    403  204      204      403      403      204
            team          grant     401  403    403    403  204      204      403      403      204
            user          list      401  hide   show   show show     show     show     show     show
            user          detail    401  403    200    200  200      200      200      200      200
            user          create    401  403    403    403  403      403      403      403      201
            user          change    401  403    403    403  200      200      403      403      200
            user          delete    401  403    403    403  204      204      403      403      204
            project       list      401  hide   show   show show     show     show     show     show
            project       detail    401  403    200    200  200      200      200      200      200
            project       create    401  403    403    403  403      201      403      403      201
            project       change    401  403    403    403  200      200      403      403      200
            project       delete    401  403    403    403  204      204      403      403      204
            project       launch    401  403    403    403  202      202      403      403      202
            project       grant     401  403    403    403  204      204      403      403      204
            inventory     list      401  hide   show   show show     show     show     show     show
            inventory     detail    401  403    200    200  200      200      200      200      200
            inventory     create    401  403    403    403  403      201      403      403      201
            inventory     change    401  403    403    403  200      200      403      403      200
            inventory     delete    401  403    403    403  202      202      403      403      202
            inventory     launch    401  403    403    403  201      201      403      403      201
            inventory     attach    401  403    403    403  204      204      403      403      204
            inventory     grant     401  403    403    403  204      204      403      403      204
            host          list      401  hide   show   show show     show     show     show     show
            host          detail    401  403    200    200  200      200      200      200      200
            host          create    401  403    403    403  201      201      403      403      201
            host          change    401  403    403    403  200      200      403      403      200
            host          delete    401  403    403    403  204      204      403      403      204
            group         list      401  hide   show   show show     show     show     show     show
            group         detail    401  403    200    200  200      200      200      200      200
            group         create    401  403    403    403  201      201      403      403      201
            group         change    401  403    403    403  200      200      403      403      200
            group         delete    401  403    403    403  204      204      403      403      204
            group         attach    401  403    403    403  204      204      403      403      204
            source        list      401  hide   show   show show     show     show     show     show
            source        detail    401  403    200    200  200      200      200      200      200
            source        create    401  403    403    403  403      201      403      403      201
            source        change    401  403    403    403  200      200      403      403      200
            source        delete    401  403    403    403  204      204      403      403      204
            source        launch    401  403    403    403  202      202      403      403      202
            credential    list      401  hide   show   show show     show     show     show     show
            credential    detail    401  403    200    200  200      200      200      200      200
            credential    create    401  403    403    403  403      201      403      403      201
            credential    change    401  403    403    403  200      200      403      403      200
            credential    delete    401  403    403    403  204      204      403      403      204
            credential    grant     401  403    403    403  204      204      403      403      204
            template      list      401  hide   show   show show     show     show     show     show
            template      detail    401  403    200    200  200      200      200      200      200
            template      create    401  403    403    403  403      201      403      403      201
            template      change    401  403    403    403  200      200      403      403      200
            template      delete    401  403    403    403  204      204      403      403      204
            template      launch    401  403    403    201  201      201      403      403      201
            template      attach    401  403    403    403  204      204      403      403      204
            template      grant     401  403    403    403  204      204      403      403      204
            workflow      list      401  hide   show   show show     show     show     show     show
            workflow      detail    401  403    200    200  200      200      200      200      200
            workflow      create    401  403    403    403  403      201      403      403      201
            workflow      change    401  403    403    403  200      200      403      403      200
            workflow      delete    401  403    403    403  204      204      403      403      204
            workflow      launch    401  403    403    201  201      201      403      403      201
            workflow      grant     401  403    403    403  204      204      403      403      204
            igroup        list      401  hide   show   show show     hide     hide     show     show
            igroup        detail    401  403    200    200  200      403      403      200      200
            igroup        create    401  403    403    403  403      403      403      403      201
            igroup        change    401  403    403    403  200      403      403      403      200
            igroup        delete    401  403    403    403  403      403      403      403      204
            igroup        grant     401  403    403    403  204      403      403      403      204
            notification  list      401  hide   hide   hide show     show     show     show     show
            notification  detail    401  403    403    403  200      200      200      200      200
            notification  create    401  403    403    403  201      201      403      403      201
            notification  change    401  403    403    403  200      200      403      403      200
            notification  delete    401  403    403    403  204      204      403      403      204
            notification  launch    401  403    403    403  202      202      403      403      202
            schedule      list      401  hide   show   show show     show     show     show     show
            schedule      detail    401  403    200    200  200      200      200      200      200
            schedule      create    401  403    403    201  201      201      403      403      201
            schedule      change    401  403    403    403  200      200      403      403      200
            schedule      delete    401  403    403    403  204      204      403      403      204
            job           list      401  hide   show   show show     show     show     show     show
            job           detail    401  403    200    200  200      200      200      200      200
            job           stdout    401  403    200    200  200      200      200      200      200
            job           cancel    401  403    403    403  202      202      403      403      202
            job           launch    401  403    403    201  201      201      403      403      201
            job           delete    401  403    403    403  403      204      403      403      204
            """;

    private final ApiClient admin = LocalStackFixture.admin();
    private final String tag = Long.toString(System.nanoTime(), 36);
    private final Map<String, ApiClient> clients = new HashMap<>();
    private final Map<String, Long> userIds = new HashMap<>();
    private final List<String> mismatches = new ArrayList<>();
    private int cells;
    private long orgA;
    private long common;
    private long project;
    private long inventory;
    /** Hosts and groups live here: no job runs on it, so deleting them is not AWX's 409 for an inventory in use. */
    private long quiet;
    private long template;
    private long blocker;
    private long sharedCredential;
    private long sharedGroup;
    private long grantTarget;
    private long attachTarget;
    private long attachHost;

    @BeforeAll
    void setUp() throws Exception {
        orgA = id(admin.create("organizations/", Map.of("name", "A-" + tag)));
        common = id(admin.create("organizations/", Map.of("name", "common-" + tag)));
        project = id(admin.create("projects/", Map.of("name", "p-" + tag, "organization", orgA, "scm_type", "git",
                "scm_url", LocalStackFixture.sampleRepoUrl())));
        awaitFinished("projects/" + project + "/");
        inventory = id(admin.create("inventories/", Map.of("name", "i-" + tag, "organization", orgA)));
        admin.create("inventories/" + inventory + "/hosts/", Map.of("name", "localhost",
                "variables", "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3"));
        // Launches stay pending behind a long run of the same template (AWX's blocking), so no persona's job runs ansible.
        template = id(admin.create("job_templates/", Map.of("name", "t-" + tag, "project", project, "inventory", inventory,
                "playbook", "sleep.yml", "extra_vars", "seconds: 600")));
        blocker = launchAsAdmin();
        awaitStatus("jobs/" + blocker + "/", "running");
        sharedCredential = id(admin.create("credentials/", Map.of("name", "shared-" + tag, "credential_type", 3,
                "organization", common, "inputs", Map.of("vault_password", "x"))));
        sharedGroup = id(admin.create("instance_groups/", Map.of("name", "shared-" + tag)));
        grantTarget = user("target", false);
        attachTarget = user("attach-target", false);
        grantRole("organizations", orgA, "member_role", grantTarget);
        grantRole("organizations", common, "member_role", grantTarget);
        quiet = id(admin.create("inventories/", Map.of("name", "quiet-" + tag, "organization", orgA)));
        attachHost = id(admin.create("inventories/" + quiet + "/hosts/", Map.of("name", "attach-" + tag)));
        clients.put("anon", new ApiClient(LocalStackFixture.stack().apiUrl(), null));
        clients.put("superuser", admin);
        clients.put("sysaudit", client(userAuditor()));
    }

    @Test
    void everyCallerGetsAwxsAnswerForEveryTypeAndAction() throws Exception {
        for (String type : List.of("organization", "team", "user", "project", "inventory", "host", "group", "source",
                "credential", "template", "workflow", "igroup", "notification", "schedule", "job")) {
            check(type);
        }
        cancelEverythingLaunched();
        assertThat(mismatches).as("cells that answer differently from AWX").isEmpty();
        assertThat(cells).as("cells asked").isEqualTo(EXPECTED.lines().filter(l -> !l.trim().startsWith("#"))
                .mapToInt(l -> (int) java.util.Arrays.stream(l.trim().split("\\s+")).skip(2).filter(c -> !c.equals("-")).count()).sum());
    }

    // ---------------------------------------------------------------- the cells

    private void check(String type) throws Exception {
        Kind kind = kinds().get(type);
        Map<String, Map<String, String>> expected = expectations(type);
        long object = kind.make.apply("main");
        Map<String, ApiClient> callers = personas(type, kind, object);
        for (String action : expected.keySet()) {
            for (String persona : PERSONAS) {
                String want = expected.get(action).get(persona);
                if (want.equals("-")) {
                    continue;
                }
                ApiClient caller = callers.get(persona);
                String got = switch (action) {
                    case "list" -> listed(caller, kind.endpoint, object);
                    case "detail" -> status(caller.get(kind.endpoint + object + "/"));
                    case "stdout" -> status(caller.get(kind.endpoint + object + "/stdout/?format=txt"));
                    case "create" -> status(caller.post(kind.createPath, kind.createBody.apply(persona)));
                    case "change" -> status(caller.patch(kind.endpoint + object + "/", kind.change));
                    case "delete" -> {
                        long fresh = kind.make.apply(persona);
                        grantPersonaRoles(type, kind, fresh, persona);
                        yield status(caller.delete(kind.endpoint + fresh + "/"));
                    }
                    case "launch" -> status(caller.post(kind.launch.apply(object),
                            type.equals("inventory") ? Map.of("module_name", "ping") : Map.of()));
                    case "cancel" -> {
                        long job = launchAsAdmin();
                        yield status(caller.post("jobs/" + job + "/cancel/", null));
                    }
                    case "attach" -> {
                        Attach a = kind.attach.apply(object);
                        String status = status(caller.post(a.path, Map.of("id", a.id)));
                        admin.post(a.path, Map.of("id", a.id, "disassociate", true));
                        yield status;
                    }
                    case "grant" -> {
                        long role = roleId(kind.endpoint, object, kind.grantRole);
                        String status = status(caller.post("roles/" + role + "/users/", Map.of("id", grantTarget)));
                        admin.post("roles/" + role + "/users/", Map.of("id", grantTarget, "disassociate", true));
                        yield status;
                    }
                    default -> throw new IllegalStateException(action);
                };
                cells++;
                if (!want.equals(got)) {
                    mismatches.add(type + " " + action + " as " + persona + ": AWX " + want + ", Towerless " + got);
                }
            }
        }
    }

    /** Whether the object appears in its list for the caller, the count agreeing with what is listed. */
    private String listed(ApiClient caller, String endpoint, long object) {
        ApiClient.Response r = caller.get(endpoint + "?page_size=200&id=" + object);
        if (r.status() != 200) {
            return Integer.toString(r.status());
        }
        Map<String, Object> page = r.json();
        List<?> results = (List<?>) page.get("results");
        if (((Number) page.get("count")).intValue() != results.size()) {
            return "count " + page.get("count") + " for " + results.size() + " results";
        }
        return results.isEmpty() ? "hide" : "show";
    }

    private static String status(ApiClient.Response r) {
        return Integer.toString(r.status());
    }

    // ---------------------------------------------------------------- the types

    private record Attach(String path, long id) {
    }

    /** How to make an object of a type, where it lives, and how each action is asked of it. */
    private record Kind(String endpoint, Function<String, Long> make, String createPath, Function<String, Object> createBody,
                        Map<String, Object> change, Function<Long, String> launch, Function<Long, Attach> attach,
                        String grantRole, RoleFor roles) {
    }

    /** The object whose roles a persona gets, and the role field each persona gets on it. */
    private record RoleFor(String endpoint, Function<Long, Long> governing, String reader, String user, String objadmin) {
    }

    private Map<String, Kind> kinds() {
        Map<String, Kind> k = new LinkedHashMap<>();
        RoleFor onInventory = new RoleFor("inventories/", o -> inventory, "read_role", "use_role", "admin_role");
        RoleFor onQuiet = new RoleFor("inventories/", o -> quiet, "read_role", "use_role", "admin_role");
        RoleFor onTemplate = new RoleFor("job_templates/", o -> template, "read_role", "execute_role", "admin_role");
        k.put("organization", new Kind("organizations/", n -> n.equals("main") ? orgA
                : id(admin.create("organizations/", Map.of("name", n("org", n)))),
                "organizations/", p -> Map.of("name", n("org-by", p)), Map.of("description", "changed"), null,
                o -> new Attach("organizations/" + o + "/users/", attachTarget), "read_role",
                new RoleFor("organizations/", o -> o, "read_role", "member_role", "admin_role")));
        k.put("team", new Kind("teams/", n -> id(admin.create("teams/", Map.of("name", n("team", n), "organization", orgA))),
                "teams/", p -> Map.of("name", n("team-by", p), "organization", orgA), Map.of("description", "changed"), null,
                o -> new Attach("teams/" + o + "/users/", grantTarget), "read_role",
                new RoleFor("teams/", o -> o, "read_role", "member_role", "admin_role")));
        k.put("user", new Kind("users/", n -> {
            long u = user(n("member", n), false);
            grantRole("organizations", orgA, "member_role", u);
            return u;
        }, "users/", p -> Map.of("username", n("by", p), "password", "pw-" + tag), Map.of("first_name", "changed"), null, null,
                null, new RoleFor("organizations/", o -> orgA, "member_role", "member_role", "admin_role")));
        k.put("project", new Kind("projects/", n -> {
            long p = id(admin.create("projects/", Map.of("name", n("proj", n), "organization", orgA, "scm_type", "git",
                    "scm_url", LocalStackFixture.sampleRepoUrl())));
            awaitDone("projects/" + p + "/");
            return p;
        }, "projects/", p -> Map.of("name", n("proj-by", p), "organization", orgA, "scm_type", "git",
                "scm_url", LocalStackFixture.sampleRepoUrl()), Map.of("description", "changed"), o -> "projects/" + o + "/update/",
                null, "read_role", new RoleFor("projects/", o -> o, "read_role", "use_role", "admin_role")));
        k.put("inventory", new Kind("inventories/", n -> id(admin.create("inventories/", Map.of("name", n("inv", n),
                "organization", orgA))), "inventories/", p -> Map.of("name", n("inv-by", p), "organization", orgA),
                Map.of("description", "changed"), o -> "inventories/" + o + "/ad_hoc_commands/",
                o -> new Attach("inventories/" + o + "/instance_groups/", sharedGroup), "read_role",
                new RoleFor("inventories/", o -> o, "read_role", "use_role", "admin_role")));
        k.put("host", new Kind("hosts/", n -> id(admin.create("hosts/", Map.of("name", n("host", n), "inventory", quiet))),
                "hosts/", p -> Map.of("name", n("host-by", p), "inventory", quiet), Map.of("description", "changed"), null,
                null, null, onQuiet));
        k.put("group", new Kind("groups/", n -> id(admin.create("groups/", Map.of("name", n("group", n), "inventory", quiet))),
                "groups/", p -> Map.of("name", n("group-by", p), "inventory", quiet), Map.of("description", "changed"), null,
                o -> new Attach("groups/" + o + "/hosts/", attachHost), null, onQuiet));
        k.put("source", new Kind("inventory_sources/", n -> id(admin.create("inventory_sources/", sourceBody(n("src", n)))),
                "inventory_sources/", p -> sourceBody(n("src-by", p)), Map.of("description", "changed"),
                o -> "inventory_sources/" + o + "/update/", null, null, onInventory));
        k.put("credential", new Kind("credentials/", n -> id(admin.create("credentials/", credentialBody(n("cred", n)))),
                "credentials/", p -> credentialBody(n("cred-by", p)), Map.of("description", "changed"), null, null, "read_role",
                new RoleFor("credentials/", o -> o, "read_role", "use_role", "admin_role")));
        // launches of the template under test queue behind the blocker, so they run no ansible
        k.put("template", new Kind("job_templates/", n -> n.equals("main") ? template
                : id(admin.create("job_templates/", templateBody(n("jt", n)))),
                "job_templates/", p -> templateBody(n("jt-by", p)), Map.of("description", "changed"),
                o -> "job_templates/" + o + "/launch/", o -> new Attach("job_templates/" + o + "/credentials/", sharedCredential),
                "read_role", new RoleFor("job_templates/", o -> o, "read_role", "execute_role", "admin_role")));
        k.put("workflow", new Kind("workflow_job_templates/", n -> id(admin.create("workflow_job_templates/",
                Map.of("name", n("wf", n), "organization", orgA))), "workflow_job_templates/",
                p -> Map.of("name", n("wf-by", p), "organization", orgA), Map.of("description", "changed"),
                o -> "workflow_job_templates/" + o + "/launch/", null, "read_role",
                new RoleFor("workflow_job_templates/", o -> o, "read_role", "execute_role", "admin_role")));
        k.put("igroup", new Kind("instance_groups/", n -> id(admin.create("instance_groups/", Map.of("name", n("ig", n)))),
                "instance_groups/", p -> Map.of("name", n("ig-by", p)), Map.of("max_forks", 5), null, null, "read_role",
                new RoleFor("instance_groups/", o -> o, "read_role", "use_role", "admin_role")));
        k.put("notification", new Kind("notification_templates/", n -> id(admin.create("notification_templates/",
                notificationBody(n("nt", n)))), "notification_templates/", p -> notificationBody(n("nt-by", p)),
                Map.of("description", "changed"), o -> "notification_templates/" + o + "/test/", null, null,
                new RoleFor("organizations/", o -> orgA, null, null, "notification_admin_role")));
        k.put("schedule", new Kind("schedules/", n -> id(admin.create("schedules/", scheduleBody(n("sched", n)))),
                "schedules/", p -> scheduleBody(n("sched-by", p)), Map.of("description", "changed"), null, null, null, onTemplate));
        k.put("job", new Kind("jobs/", n -> {
            long job = launchAsAdmin();
            if (!n.equals("main")) { // a job to delete must have finished
                admin.post("jobs/" + job + "/cancel/", null);
                awaitFinishedJob(job);
            }
            return job;
        }, null, null, null, o -> "jobs/" + o + "/relaunch/", null, null, onTemplate));
        return k;
    }

    private Map<String, Object> sourceBody(String name) {
        return Map.of("name", name, "inventory", inventory, "source", "scm", "source_project", project,
                "source_path", "inventory/hosts.ini");
    }

    private Map<String, Object> credentialBody(String name) {
        return Map.of("name", name, "credential_type", 3, "organization", orgA, "inputs", Map.of("vault_password", "v"));
    }

    private Map<String, Object> templateBody(String name) {
        return Map.of("name", name, "project", project, "inventory", inventory, "playbook", "hello.yml");
    }

    private Map<String, Object> notificationBody(String name) {
        return Map.of("name", name, "organization", orgA, "notification_type", "webhook",
                "notification_configuration", Map.of("url", "http://127.0.0.1:9/closed", "http_method", "POST",
                        "headers", Map.of()));
    }

    private Map<String, Object> scheduleBody(String name) {
        return Map.of("name", name, "unified_job_template", template, "rrule",
                "DTSTART:20300101T000000Z RRULE:FREQ=YEARLY;INTERVAL=1;COUNT=1");
    }

    // ---------------------------------------------------------------- the callers

    /** The nine callers for one type: fresh users each holding only their persona's role on the object under test. */
    private Map<String, ApiClient> personas(String type, Kind kind, long object) {
        Map<String, ApiClient> out = new HashMap<>(clients);
        for (String persona : List.of("nobody", "reader", "user", "objadmin", "orgadmin", "orgaudit")) {
            long u = user(type + "-" + persona, !persona.equals("nobody"));
            userIds.put(type + "-" + persona, u);
            out.put(persona, client(u));
        }
        for (String persona : List.of("reader", "user", "objadmin", "orgadmin", "orgaudit")) {
            if (type.equals("credential") && List.of("reader", "user", "objadmin").contains(persona)) {
                // AWX grants a credential's roles only to members of the credential's organization
                grantRole("organizations", orgA, "member_role", userIds.get(type + "-" + persona));
            }
            grantPersonaRoles(type, kind, object, persona);
        }
        return out;
    }

    /** Gives the type's persona user its role on {@code object} (or on the object governing it). */
    private void grantPersonaRoles(String type, Kind kind, long object, String persona) {
        Long u = userIds.get(type + "-" + persona);
        if (u == null) {
            return;
        }
        switch (persona) {
            // for an organization itself, its admin and auditor are the organization's own
            case "orgadmin" -> grantRole("organizations", type.equals("organization") ? object : orgA, "admin_role", u);
            case "orgaudit" -> grantRole("organizations", type.equals("organization") ? object : orgA, "auditor_role", u);
            case "reader", "user", "objadmin" -> {
                String field = persona.equals("reader") ? kind.roles.reader : persona.equals("user") ? kind.roles.user
                        : kind.roles.objadmin;
                if (field != null) {
                    grantRole(kind.roles.endpoint.replace("/", ""), kind.roles.governing.apply(object), field, u);
                }
            }
            default -> { }
        }
    }

    /**
     * A user for one persona. All but "nobody" belong to a common organization (so they see the grant
     * target) and may use a shared credential and instance group (so attaching is a matter of the
     * object's own rule); none of that touches the objects under test.
     */
    private long user(String name, boolean withCommons) {
        long u = id(admin.create("users/", Map.of("username", n(name, ""), "password", "pw-" + tag)));
        if (withCommons) {
            grantRole("organizations", common, "member_role", u);
            grantRole("credentials", sharedCredential, "use_role", u);
            grantRole("instance_groups", sharedGroup, "use_role", u);
        }
        return u;
    }

    private long userAuditor() {
        long u = user("auditor", true);
        assertThat(admin.patch("users/" + u + "/", Map.of("is_system_auditor", true)).status()).isEqualTo(200);
        return u;
    }

    private ApiClient client(long userId) {
        var store = LocalStackFixture.stack().context().getBean(ResourceStore.class);
        var user = store.get(ResourceTypes.USER, userId).orElseThrow();
        String token = LocalStackFixture.stack().context().getBean(Authenticator.class).issue(user, "matrix", "write").token();
        return new ApiClient(LocalStackFixture.stack().apiUrl(), token);
    }

    private void grantRole(String endpoint, long object, String field, long user) {
        long role = roleId(endpoint + "/", object, field);
        ApiClient.Response r = admin.post("roles/" + role + "/users/", Map.of("id", user));
        assertThat(r.status()).as("grant %s of %s %d: %s", field, endpoint, object, r.body()).isEqualTo(204);
    }

    @SuppressWarnings("unchecked")
    private long roleId(String endpoint, long object, String field) {
        Map<String, Object> o = admin.get(endpoint + object + "/").json();
        Map<String, Object> roles = (Map<String, Object>) ((Map<String, Object>) o.get("summary_fields")).get("object_roles");
        return ((Number) ((Map<String, Object>) roles.get(field)).get("id")).longValue();
    }

    // ---------------------------------------------------------------- helpers

    private long launchAsAdmin() {
        ApiClient.Response r = admin.post("job_templates/" + template + "/launch/", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return ((Number) r.json().get("job")).longValue();
    }

    /** The queued launches, then the run they waited behind. */
    @SuppressWarnings("unchecked")
    private void cancelEverythingLaunched() {
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) admin.get("job_templates/" + template
                + "/jobs/?page_size=200").json().get("results");
        for (Map<String, Object> j : jobs) {
            if (((Number) j.get("id")).longValue() != blocker) {
                admin.post("jobs/" + j.get("id") + "/cancel/", null);
            }
        }
        admin.post("jobs/" + blocker + "/cancel/", null);
    }

    private void awaitFinished(String path) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (List.of("new", "pending", "waiting", "running").contains(String.valueOf(admin.get(path).json().get("status")))) {
            assertThat(Instant.now()).as(path + " finishes").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private void awaitFinishedJob(long job) {
        awaitDone("jobs/" + job + "/");
    }

    private void awaitDone(String path) {
        try {
            awaitFinished(path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitStatus(String path, String status) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!status.equals(admin.get(path).json().get("status"))) {
            assertThat(Instant.now()).as(path + " reaches " + status).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private String n(String what, String persona) {
        return what + "-" + persona + "-" + tag + "-" + System.nanoTime() % 100_000;
    }

    private static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }

    private static Map<String, Map<String, String>> expectations(String type) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String line : EXPECTED.split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length < 2 || cells[0].startsWith("#") || !cells[0].equals(type)) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < PERSONAS.size(); i++) {
                row.put(PERSONAS.get(i), cells[i + 2]);
            }
            out.put(cells[1], row);
        }
        return out;
    }
}
