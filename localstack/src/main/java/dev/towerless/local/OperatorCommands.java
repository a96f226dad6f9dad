package dev.towerless.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code awx-manage run_dispatcher --status/--running}, for a serverless control plane:
 * {@code status}, {@code running} and {@code cancel <id>} over the API. Against the local stack
 * they read {@code .towerless/admin-token}; against AWS set {@code TOWERLESS_URL} (the stack's
 * ApiUrl output + {@code api/v2/}) and {@code TOWERLESS_TOKEN}.
 */
public final class OperatorCommands {
    /** The job kinds an operator cancels or lists, by endpoint, as a person would name them. */
    private static final Map<String, String> KIND_NAMES = new java.util.LinkedHashMap<>();

    static {
        KIND_NAMES.put("jobs", "job");
        KIND_NAMES.put("project_updates", "project update");
        KIND_NAMES.put("inventory_updates", "inventory update");
        KIND_NAMES.put("ad_hoc_commands", "ad hoc command");
        KIND_NAMES.put("system_jobs", "system job");
        KIND_NAMES.put("workflow_jobs", "workflow job");
        KIND_NAMES.put("workflow_approvals", "workflow approval");
    }

    private final ApiClient api;
    private final String url;
    private final PrintStream out;

    public OperatorCommands(String url, String token, PrintStream out) {
        this.api = new ApiClient(url, token);
        this.url = url;
        this.out = out;
    }

    public static OperatorCommands fromEnvironment(Path state, PrintStream out) throws IOException {
        String url = System.getenv().getOrDefault("TOWERLESS_URL", "http://127.0.0.1:8013/api/v2/");
        String token = System.getenv("TOWERLESS_TOKEN");
        if (token == null) {
            Path file = state.resolve("admin-token");
            if (!Files.exists(file)) {
                throw new IOException("no token: start the local stack with ./towerless up, or set TOWERLESS_TOKEN");
            }
            token = Files.readString(file).trim();
        }
        OperatorCommands c = new OperatorCommands(url, token, out);
        c.emulatorStatus = java.util.Optional.of(EmbeddedStack.emulatorStatusFile(state));
        return c;
    }

    /** The local stack's account of its emulators (alive, dead and why), when there is one. */
    private java.util.Optional<Path> emulatorStatus = java.util.Optional.empty();

    private void printEmulators() {
        emulatorStatus.filter(Files::exists).ifPresent(f -> {
            try {
                out.println("Emulators:");
                Files.readAllLines(f).forEach(l -> out.println("  " + l));
            } catch (IOException e) {
                out.println("Emulators: " + f + " unreadable (" + e.getMessage() + ")");
            }
        });
    }

    @SuppressWarnings("unchecked")
    public int status() {
        printEmulators();
        ApiClient.Response r;
        try {
            r = api.get("ping/");
        } catch (RuntimeException e) {
            out.println("Towerless at " + url + " is not answering (" + e.getMessage() + ")");
            return 1;
        }
        if (r.status() != 200) {
            out.println("Towerless at " + url + " is not answering (HTTP " + r.status() + ")");
            return 1;
        }
        Map<String, Object> ping = r.json();
        out.println("Towerless " + ping.get("version") + " at " + url);
        out.println("Task manager: " + pass((Map<String, Object>) ping.get("task_manager")));
        out.println("Reaper:       " + pass((Map<String, Object>) ping.get("reaper")));
        out.println("Scheduler:    " + pass((Map<String, Object>) ping.get("scheduler")));
        Map<String, Object> queues = (Map<String, Object>) ping.get("queues");
        if (queues != null && queues.get("wake") instanceof Map<?, ?> wake) {
            out.println("Wake queue:   " + wake.get("visible") + " visible, " + wake.get("in_flight") + " in flight");
        }
        for (Map<String, Object> g : (List<Map<String, Object>>) ping.get("instance_groups")) {
            out.println("Instance group " + g.get("name") + ": " + g.get("jobs_running") + " running, capacity "
                    + (((Number) g.get("capacity")).intValue() == 0 ? "unlimited" : g.get("capacity")));
        }
        List<Map<String, Object>> instances = (List<Map<String, Object>>) ping.get("instances");
        out.println("Runners (" + instances.size() + "):");
        for (Map<String, Object> i : instances) {
            out.printf("  %-32s last heartbeat %s (%s ago)%n", i.get("node"), i.get("heartbeat"), age(i.get("heartbeat")));
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    public int running() {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (String kind : KIND_NAMES.keySet()) {
            ApiClient.Response r = api.get(kind + "/?status__in=running,waiting,pending&order_by=id&page_size=200");
            if (r.status() != 200) {
                out.println("GET " + kind + " answered " + r.status() + ": " + r.body());
                return 1;
            }
            jobs.addAll((List<Map<String, Object>>) r.json().get("results"));
        }
        // A running job's last heartbeat is its runner's (instances/: one per running job), not a job field.
        Map<String, Object> beats = new java.util.HashMap<>();
        ApiClient.Response instances = api.get("instances/?page_size=200");
        if (instances.status() == 200) {
            for (Map<String, Object> i : (List<Map<String, Object>>) instances.json().get("results")) {
                if (i.get("job") instanceof Map<?, ?> job && i.get("heartbeat") != null) {
                    beats.put(String.valueOf(job.get("id")) + "/" + job.get("type"), i.get("heartbeat"));
                }
            }
        }
        out.printf("%-7s %-15s %-24s %-8s %-28s %-8s %s%n", "ID", "TYPE", "NAME", "STATUS", "RUNNER", "AGE", "LAST HEARTBEAT");
        for (Map<String, Object> j : jobs) {
            Object beat = beats.get(j.get("id") + "/" + j.get("type"));
            out.printf("%-7s %-15s %-24s %-8s %-28s %-8s %s%n", j.get("id"), j.get("type"), trim(j.get("name"), 24),
                    j.get("status"), trim(j.get("execution_node"), 28), age(j.get("created")),
                    beat == null ? "-" : age(beat) + " ago");
        }
        if (jobs.isEmpty()) {
            out.println("(nothing pending, waiting or running)");
        }
        return 0;
    }

    public int cancel(long id) {
        for (String kind : KIND_NAMES.keySet()) {
            ApiClient.Response r = api.post(kind + "/" + id + "/cancel/", Map.of());
            if (r.status() == 202) {
                out.println("Cancel of " + KIND_NAMES.get(kind) + " " + id
                        + " accepted (a running job stops at its runner's next heartbeat).");
                return 0;
            }
            if (r.status() == 405) {
                out.println("Job " + id + " has already finished; nothing to cancel.");
                return 1;
            }
        }
        out.println("No job " + id + ".");
        return 1;
    }

    private static String pass(Map<String, Object> p) {
        if (p == null) {
            return "no pass yet";
        }
        return "last pass " + age(p.get("finished_at")) + " ago, took " + p.get("duration_ms") + " ms, " + p.get("summary");
    }

    static String age(Object timestamp) {
        if (timestamp == null) {
            return "-";
        }
        Duration d = Duration.between(Instant.parse(timestamp.toString()), Instant.now());
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h";
    }

    private static String trim(Object o, int width) {
        String s = o == null ? "" : o.toString();
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
