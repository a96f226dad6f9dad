package dev.towerless.app;

import dev.towerless.core.access.Memberships;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.ports.ConflictException;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.ResourceValidator;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.scheduling.TaskManager;
import dev.towerless.core.security.Passwords;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fresh installation needs: the built-in credential types, an admin user and AWX's
 * preload data. Safe to run any number of times (every write is create-if-absent).
 */
@Singleton
public class Bootstrap {
    /** AWX's preload: the organization made first, whose fixed id also elects one bootstrap to make the rest. */
    public static final String DEFAULT_ORGANIZATION = "Default";
    private static final long PRELOAD_ORGANIZATION_ID = 1;

    private final ResourceStore resources;
    private final Clock clock;
    private final ResourceValidator validator;
    private final Memberships memberships;
    private final boolean preloadData;

    public Bootstrap(ResourceStore resources, Clock clock, ResourceValidator validator, Memberships memberships,
                     @Value("${towerless.preload-data:true}") boolean preloadData) {
        this.resources = resources;
        this.clock = clock;
        this.validator = validator;
        this.memberships = memberships;
        this.preloadData = preloadData;
    }

    /** AWX's management job templates, created once (they share the unified job template ids). */
    private static final List<List<String>> SYSTEM_JOB_TEMPLATES = List.of(
            List.of("Cleanup Job Details", "cleanup_jobs", "Remove jobs older than a certain number of days"),
            List.of("Cleanup Activity Stream", "cleanup_activitystream", "Remove activity stream entries older than a certain number of days"),
            List.of("Cleanup Expired OAuth 2 Tokens", "cleanup_tokens", "Cleanup expired OAuth 2 access and refresh tokens"),
            List.of("Cleanup Expired Sessions", "cleanup_sessions", "Cleans out expired browser sessions"),
            // Towerless's housekeeping beyond AWX's four (AWX runs these as periodic tasks, not templates).
            List.of("Gather Analytics", "gather_analytics",
                    "Gather AWX's analytics bundle when INSIGHTS_TRACKING_STATE is on (nightly)"),
            List.of("Administrative Checks", "administrative_checks",
                    "Check each organization's host count against its max_hosts; alert at 90 % (nightly)"));

    public static final String DEFAULT_EXECUTION_ENVIRONMENT = "Towerless Runner";
    /** The image of the runner task (runner-container/Dockerfile); locally the runner main runs directly. */
    public static final String DEFAULT_RUNNER_IMAGE = "towerless-runner:latest";
    /** AWX's second built-in instance group, created with a fixed id so two starting containers make one. */
    public static final long CONTROLPLANE_INSTANCE_GROUP = 2;

    public void ensureBuiltIns() {
        for (List<String> t : SYSTEM_JOB_TEMPLATES) {
            if (resources.findByName(ResourceTypes.SYSTEM_JOB_TEMPLATE, t.get(0)).isEmpty()) {
                Map<String, Object> f = new LinkedHashMap<>(Map.of("name", t.get(0), "job_type", t.get(1), "description", t.get(2)));
                f.putAll(Stamps.created(clock));
                resources.create(ResourceTypes.SYSTEM_JOB_TEMPLATE, f);
            }
        }
        if (resources.get(ResourceTypes.INSTANCE_GROUP, TaskManager.DEFAULT_INSTANCE_GROUP).isEmpty()) {
            Map<String, Object> group = new LinkedHashMap<>(Map.of("name", "default", "max_concurrent_jobs", 0L,
                    "max_forks", 0L, "is_container_group", false));
            group.putAll(Stamps.created(clock));
            try {
                resources.insert(new Resource(ResourceTypes.INSTANCE_GROUP, TaskManager.DEFAULT_INSTANCE_GROUP, group));
            } catch (ConflictException raced) {
                // another bootstrap wrote it first
            }
        }
        // AWX's install has a second group, controlplane, for its own nodes' work. Here that work runs in
        // the functions and every runner takes the default group unless told otherwise; the group is
        // kept (undeletable, as in AWX) so playbooks and templates that name it find it.
        if (resources.findByName(ResourceTypes.INSTANCE_GROUP, "controlplane").isEmpty()) {
            Map<String, Object> group = new LinkedHashMap<>(Map.of("name", "controlplane", "max_concurrent_jobs", 0L,
                    "max_forks", 0L, "is_container_group", false));
            group.putAll(Stamps.created(clock));
            try {
                resources.insert(new Resource(ResourceTypes.INSTANCE_GROUP, CONTROLPLANE_INSTANCE_GROUP, group));
            } catch (ConflictException takenOrRaced) {
                // another bootstrap wrote it first, or an install from before it exists uses this id for a group of its own
            }
        }
        if (dev.towerless.core.launch.ExecutionEnvironments.managedDefault(resources).isEmpty()) {
            // AWX installs its default execution environment; ours is the runner image the stack deploys.
            Map<String, Object> ee = new LinkedHashMap<>(Map.of("name", DEFAULT_EXECUTION_ENVIRONMENT, "description", "",
                    "image", DEFAULT_RUNNER_IMAGE, "pull", "", "managed", true));
            ee.put("organization", null);
            ee.put("credential", null);
            ee.putAll(Stamps.created(clock));
            try { // a fixed id, so two containers bootstrapping at once make one
                resources.insert(new Resource(ResourceTypes.EXECUTION_ENVIRONMENT, 1, ee));
            } catch (ConflictException raced) {
                // another bootstrap wrote it first
            }
        }
        ensureManagedCredentialTypes();
    }

    /**
     * AWX's {@code setup_tower_managed_defaults}: every managed credential type exists, at its AWX id,
     * and a stored one always has the catalogue's definition (AWX reads a managed type's inputs and
     * injectors from code, so an upgrade changes them; here the first start after one rewrites them).
     * On an installation where a custom type already holds a managed type's id, the managed type
     * gets the next free id instead.
     */
    private void ensureManagedCredentialTypes() {
        Map<String, Resource> stored = new LinkedHashMap<>();
        for (Resource t : resources.all(ResourceTypes.CREDENTIAL_TYPE)) {
            if (t.flag("managed") && t.get("namespace") != null) {
                stored.putIfAbsent(String.valueOf(t.get("namespace")), t);
            }
        }
        for (Map<String, Object> type : Schemas.builtInCredentialTypes()) {
            Map<String, Object> fields = new LinkedHashMap<>(type);
            long id = ((Number) fields.remove("id")).longValue();
            Resource existing = stored.get(String.valueOf(type.get("namespace")));
            if (existing != null) {
                Map<String, Object> changes = new LinkedHashMap<>();
                for (String f : List.of("name", "kind", "inputs", "injectors")) {
                    if (!java.util.Objects.equals(existing.get(f), fields.get(f))) {
                        changes.put(f, fields.get(f));
                    }
                }
                if (!changes.isEmpty()) {
                    resources.update(ResourceTypes.CREDENTIAL_TYPE, existing.id(), changes);
                }
                continue;
            }
            fields.putAll(Stamps.created(clock));
            try {
                if (resources.get(ResourceTypes.CREDENTIAL_TYPE, id).isPresent()) {
                    resources.create(ResourceTypes.CREDENTIAL_TYPE, fields); // its id is a custom type's
                } else {
                    resources.insert(new Resource(ResourceTypes.CREDENTIAL_TYPE, id, fields));
                }
            } catch (ConflictException raced) {
                // another bootstrap wrote it first
            }
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * On AWS nothing else prepares a fresh installation: the API does it once per container, on
     * its first request (a few reads after the first time). The admin is created only if missing,
     * with the password from the stack's secret; an existing admin's password is never changed.
     */
    public void ensureOnce(java.util.function.Supplier<java.util.Optional<String>> adminPassword) {
        if (done.get()) {
            return;
        }
        synchronized (done) {
            if (done.get()) {
                return;
            }
            ensureBuiltIns();
            if (resources.findByName(ResourceTypes.USER, "admin").isEmpty()) {
                adminPassword.get().ifPresent(p -> ensureAdmin("admin", p));
            }
            resources.findByName(ResourceTypes.USER, "admin").ifPresent(this::preload);
            done.set(true);
        }
    }

    /** The admin user; created with {@code password} if missing, otherwise its password is reset to it. */
    public Resource ensureAdmin(String username, String password) {
        String hash = Passwords.hash(password);
        return resources.findByName(ResourceTypes.USER, username)
                .map(u -> resources.update(ResourceTypes.USER, u.id(), Map.of("password", hash)).orElseThrow())
                .orElseGet(() -> {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("username", username);
                    f.put("first_name", "");
                    f.put("last_name", "");
                    f.put("email", "");
                    f.put("is_superuser", true);
                    f.put("password", hash);
                    f.putAll(Stamps.created(clock));
                    return resources.create(ResourceTypes.USER, f);
                });
    }

    /**
     * AWX's {@code create_preload_data}: on an installation without organizations, the
     * organization {@code Default} with AWX's demo objects (Demo Project, Demo Credential, Demo
     * Inventory with localhost, Demo Job Template) and the public {@code Ansible Galaxy}
     * credential. As in AWX the demo project is marked updated without an update (its repository
     * is on GitHub). Switched off with {@code TOWERLESS_PRELOAD_DATA=false}.
     */
    public void preload(Resource superuser) {
        // organization 1 is the usual answer, read first so a running installation reads one item
        if (!preloadData || resources.get(ResourceTypes.ORGANIZATION, PRELOAD_ORGANIZATION_ID).isPresent()
                || !resources.all(ResourceTypes.ORGANIZATION).isEmpty()) {
            return;
        }
        Resource org;
        try {
            org = resources.insert(new Resource(ResourceTypes.ORGANIZATION, PRELOAD_ORGANIZATION_ID,
                    stamped(validator.forCreate(Schemas.ORGANIZATION, Map.of("name", DEFAULT_ORGANIZATION)))));
        } catch (ConflictException raced) {
            return; // another bootstrap is preloading, or an organization 1 exists
        }
        Map<String, Object> project = new LinkedHashMap<>(validator.forCreate(Schemas.PROJECT, Map.of("name", "Demo Project",
                "scm_type", "git", "scm_url", "https://github.com/ansible/ansible-tower-samples", "scm_update_cache_timeout", 0,
                "organization", org.id())));
        project.put("status", "successful");
        project.put(dev.towerless.core.jobs.JobFields.SCM_REVISION, "347e44fea036c94d5f60e544de006453ee5c71ad");
        project.put("playbook_files", List.of("hello_world.yml"));
        Resource demoProject = resources.create(ResourceTypes.PROJECT, stamped(project));

        Map<String, Object> credential = new LinkedHashMap<>(Map.of("name", "Demo Credential", "credential_type",
                MACHINE_CREDENTIAL_TYPE, "kind", "ssh", "inputs", Map.of("username", String.valueOf(superuser.get("username")))));
        credential.put("organization", null);
        credential.put("description", "");
        credential.put("namespace", "ssh"); // what AWX shows as a credential's kind
        Resource demoCredential = resources.create(ResourceTypes.CREDENTIAL, stamped(credential));
        memberships.grant(superuser, Role.of(ResourceTypes.CREDENTIAL, demoCredential.id(), RoleCatalogue.ADMIN));

        resources.all(ResourceTypes.CREDENTIAL_TYPE).stream().filter(t -> "galaxy".equals(t.get("kind"))).findFirst().ifPresent(galaxy -> {
            Map<String, Object> c = new LinkedHashMap<>(Map.of("name", "Ansible Galaxy", "credential_type", galaxy.id(),
                    "kind", "galaxy", "managed", true, "inputs", Map.of("url", "https://galaxy.ansible.com/")));
            c.put("organization", null);
            c.put("description", "");
            c.put("namespace", galaxy.get("namespace"));
            Resource publicGalaxy = resources.create(ResourceTypes.CREDENTIAL, stamped(c));
            resources.update(ResourceTypes.ORGANIZATION, org.id(), Map.of("galaxy_credentials", List.of(publicGalaxy.id())));
        });

        Resource inventory = resources.create(ResourceTypes.INVENTORY, stamped(validator.forCreate(Schemas.INVENTORY,
                Map.of("name", "Demo Inventory", "organization", org.id()))));
        resources.create(ResourceTypes.HOST, stamped(validator.forCreate(Schemas.HOST, Map.of("name", "localhost",
                "inventory", inventory.id(),
                "variables", "ansible_connection: local\nansible_python_interpreter: '{{ ansible_playbook_python }}'"))));

        Map<String, Object> template = new LinkedHashMap<>(validator.forCreate(Schemas.JOB_TEMPLATE, Map.of("name",
                "Demo Job Template", "playbook", "hello_world.yml", "project", demoProject.id(), "inventory", inventory.id())));
        template.put("organization", org.id());
        template.put("credentials", List.of(demoCredential.id()));
        resources.create(ResourceTypes.JOB_TEMPLATE, stamped(template));
    }

    /** The managed Machine credential type (AWX's namespace {@code ssh}). */
    private static final long MACHINE_CREDENTIAL_TYPE = dev.towerless.core.credentials.ManagedCredentialTypes.MACHINE;

    private Map<String, Object> stamped(Map<String, Object> fields) {
        Map<String, Object> out = new LinkedHashMap<>(fields);
        out.putAll(Stamps.created(clock));
        return out;
    }
}
