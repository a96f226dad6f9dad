package dev.towerless.local.e2e;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds what a user builds through the API (org, project, inventory, template) and waits for jobs. */
final class Scenario {
    final ApiClient api = LocalStackFixture.admin();
    final String tag = Long.toString(System.nanoTime(), 36);
    long org;
    long inventory;

    Scenario() {
        org = id(api.create("organizations/", Map.of("name", "org-" + tag)));
        inventory = id(api.create("inventories/", Map.of("name", "inv-" + tag, "organization", org)));
        api.create("inventories/" + inventory + "/hosts/", Map.of("name", "localhost",
                "variables", "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3"));
    }

    long project(String url) {
        return id(api.create("projects/", Map.of("name", "proj-" + tag + "-" + System.nanoTime(), "organization", org,
                "scm_type", "git", "scm_url", url)));
    }

    long template(long project, String playbook, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "jt-" + tag + "-" + System.nanoTime(), "project", project,
                "inventory", inventory, "playbook", playbook));
        body.putAll(extra);
        return id(api.create("job_templates/", body));
    }

    long launch(long template, Map<String, Object> body) {
        ApiClient.Response r = api.post("job_templates/" + template + "/launch/", body);
        if (r.status() != 201) {
            throw new IllegalStateException("launch answered " + r.status() + ": " + r.body());
        }
        return ((Number) r.json().get("job")).longValue();
    }

    /** Polls until the object leaves the active states; fails the test after {@code timeout}. */
    Map<String, Object> awaitFinished(String path, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Map<String, Object> o = api.get(path).json();
            if (!List.of("new", "pending", "waiting", "running").contains(String.valueOf(o.get("status")))) {
                return o;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(path + " still " + o.get("status") + " after " + timeout + ": " + o);
            }
            Thread.sleep(100);
        }
    }

    static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }
}
