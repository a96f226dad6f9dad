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
                    "max_forks", 0L, "is_container_group", true));
            group.putAll(Stamps.created(clock));
            try {
                resources.insert(new Resource(ResourceTypes.INSTANCE_GROUP, TaskManager.DEFAULT_INSTANCE_GROUP, group));
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
