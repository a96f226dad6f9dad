package dev.towerless.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./towerless demo}: everything an AWX user does for a first job, through the HTTP API:
 * organization, git project, inventory, machine credential, job template, launch; prints the
 * job's stdout while it runs and returns its final status.
 */
public final class Demo {
    private final ApiClient api;
    private final PrintStream out;

    public Demo(ApiClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    private Optional<Long> find(String endpoint, String query) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> found = (List<Map<String, Object>>) api.get(endpoint + "?" + query).json().get("results");
        return found == null || found.isEmpty() ? Optional.empty() : Optional.of(id(found.get(0)));
    }

    private long findOrCreate(String endpoint, String query, Map<String, Object> body) {
        return find(endpoint, query).orElseGet(() -> id(api.create(endpoint, body)));
    }

    public String run(Path stateDir) throws Exception {
        String repo = SampleRepository.create(SampleRepository.sampleDir(), stateDir.resolve("demo/sample-project.git"));
        out.println("Sample project repository: " + repo);
        // The stack keeps its data between runs, and names are unique: a second demo reuses what the first made.
        long org = findOrCreate("organizations/", "name=Demo+Org", Map.of("name", "Demo Org",
                "description", "created by ./towerless demo"));
        Optional<Long> existingProject = find("projects/", "name=Demo+Project&organization=" + org);
        long project;
        if (existingProject.isPresent()) {
            project = existingProject.get();
            api.post("projects/" + project + "/update/", Map.of());
            out.println("Project " + project + " exists; updating it (git fetch)...");
        } else {
            project = id(api.create("projects/", Map.of("name", "Demo Project", "organization", org, "scm_type", "git",
                    "scm_url", repo, "scm_branch", "main")));
            out.println("Project " + project + " created; waiting for its update (git clone)...");
        }
        Map<String, Object> p = waitFor("projects/" + project + "/", Duration.ofMinutes(2));
        out.println("Project update " + p.get("status") + ", revision " + p.get("scm_revision"));
        if (!"successful".equals(p.get("status"))) {
            return "failed";
        }
        Optional<Long> existingInventory = find("inventories/", "name=Demo+Inventory&organization=" + org);
        long inventory = existingInventory.orElseGet(() -> id(api.create("inventories/",
                Map.of("name", "Demo Inventory", "organization", org))));
        if (existingInventory.isEmpty()) {
            api.create("inventories/" + inventory + "/hosts/", Map.of("name", "localhost",
                    "variables", "ansible_connection: local\nansible_python_interpreter: " + python()));
        }
        long credential = findOrCreate("credentials/", "name=Demo+Machine&organization=" + org, Map.of("name", "Demo Machine",
                "organization", org, "credential_type", 1,
                "inputs", Map.of("username", System.getProperty("user.name"), "password", "demo-secret")));
        long template = findOrCreate("job_templates/", "name=Demo+Hello&project=" + project, Map.of("name", "Demo Hello",
                "project", project, "inventory", inventory, "playbook", "hello.yml", "ask_variables_on_launch", true));
        ApiClient.Response assoc = api.post("job_templates/" + template + "/credentials/", Map.of("id", credential));
        if (assoc.status() != 204) {
            throw new IllegalStateException("credential association failed: " + assoc.body());
        }
        Map<String, Object> launched = api.create("job_templates/" + template + "/launch/",
                Map.of("extra_vars", Map.of("who", "AWX user")));
        long job = ((Number) launched.get("job")).longValue();
        out.println("Launched job " + job + "; its output:");
        out.println("------------------------------------------------------------");
        int shown = 0;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        Map<String, Object> state;
        while (true) {
            state = api.get("jobs/" + job + "/").json();
            boolean finished = state.get("finished") != null;
            shown = printNewLines(job, shown);
            if (finished || Instant.now().isAfter(deadline)) {
                break;
            }
            Thread.sleep(300);
        }
        printNewLines(job, shown);
        out.println("------------------------------------------------------------");
        out.println("Job " + job + " " + state.get("status") + " (elapsed " + state.get("elapsed") + " s)"
                + (String.valueOf(state.get("job_explanation")).isEmpty() ? "" : ": " + state.get("job_explanation")));
        return String.valueOf(state.get("status"));
    }

    private int printNewLines(long job, int shown) {
        Map<String, Object> page = api.get("jobs/" + job + "/stdout/?format=json&start_line=" + shown).json();
        String content = String.valueOf(page.get("content"));
        if (!content.isEmpty()) {
            out.print(content);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> range = (Map<String, Object>) page.get("range");
        return ((Number) range.get("end")).intValue();
    }

    private Map<String, Object> waitFor(String path, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Map<String, Object> o = api.get(path).json();
            if (!List.of("pending", "waiting", "running", "new").contains(String.valueOf(o.get("status")))
                    || Instant.now().isAfter(deadline)) {
                return o;
            }
            Thread.sleep(200);
        }
    }

    static String python() {
        return Path.of("/usr/bin/python3").toFile().exists() ? "/usr/bin/python3" : "auto";
    }

    private static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }
}
