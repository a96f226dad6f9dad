package dev.towerless.app;

import dev.towerless.core.ports.ConflictException;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.scheduling.TaskManager;
import dev.towerless.core.security.Passwords;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fresh installation needs: the built-in credential types and an admin user. Safe to
 * run any number of times (every write is create-if-absent).
 */
@Singleton
public class Bootstrap {
    private final ResourceStore resources;
    private final Clock clock;

    public Bootstrap(ResourceStore resources, Clock clock) {
        this.resources = resources;
        this.clock = clock;
    }

    /** AWX's management job templates, created once (they share the unified job template ids). */
    private static final List<List<String>> SYSTEM_JOB_TEMPLATES = List.of(
            List.of("Cleanup Job Details", "cleanup_jobs", "Remove jobs older than a certain number of days"),
            List.of("Cleanup Activity Stream", "cleanup_activitystream", "Remove activity stream entries older than a certain number of days"),
            List.of("Cleanup Expired OAuth 2 Tokens", "cleanup_tokens", "Cleanup expired OAuth 2 access and refresh tokens"),
            List.of("Cleanup Expired Sessions", "cleanup_sessions", "Cleans out expired browser sessions"));

    public static final String DEFAULT_EXECUTION_ENVIRONMENT = "Towerless Runner";
    /** The image of the runner task (runner-container/Dockerfile); locally the runner main runs directly. */
    public static final String DEFAULT_RUNNER_IMAGE = "towerless-runner:latest";

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
        for (Map<String, Object> type : Schemas.builtInCredentialTypes()) {
            Map<String, Object> fields = new LinkedHashMap<>(type);
            long id = ((Number) fields.remove("id")).longValue();
            if (resources.get(ResourceTypes.CREDENTIAL_TYPE, id).isEmpty()) {
                fields.putAll(Stamps.created(clock));
                try {
                    resources.insert(new Resource(ResourceTypes.CREDENTIAL_TYPE, id, fields));
                } catch (ConflictException raced) {
                    // another bootstrap wrote it first
                }
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
}
