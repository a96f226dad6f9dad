package dev.towerless.core.housekeeping;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.organizations.HostLimit;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.settings.SystemSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * AWX's gather_analytics (awx/main/analytics/collectors.py): what the installation holds and ran,
 * as one JSON document per collector. Counts of objects are counted by the store without reading
 * the objects ({@link ResourceStore#count}); jobs are read once, every kind, so the cost grows with
 * the jobs kept (cleanup_jobs keeps 120 days), as cleanup_jobs' own does.
 */
public final class Analytics {
    /** AWX's words (analytics/core.py gather) and where to turn it on. */
    public static final String NOT_ENABLED = "Automation Analytics not enabled. Set INSIGHTS_TRACKING_STATE to true in"
            + " settings/system/ to gather.";

    /** A collector: the file it writes, its version, what it holds (config/'s analytics_collectors). */
    public record Collector(String name, String version, String description) {
    }

    /** AWX's collectors that Towerless gathers, with AWX's versions, and one of its own (job_template_runs). */
    public static final List<Collector> COLLECTORS = List.of(
            new Collector("config", "1.4", "General platform configuration."),
            new Collector("counts", "1.2", "Counts of objects such as organizations, inventories, and projects"),
            new Collector("inventory_counts", "1.2", "Inventories, their inventory sources, and host counts"),
            new Collector("projects_by_scm_type", "1.0", "Counts of projects by source control type"),
            new Collector("instance_info", "1.3", "Cluster topology and capacity"),
            new Collector("job_counts", "1.0", "Counts of jobs by status and launch type"),
            new Collector("job_instance_counts", "1.0", "Counts of jobs by execution node"),
            new Collector("job_template_runs", "1.0", "Runs, statuses and durations of each template's jobs in the interval"),
            new Collector("event_counts", "1.0", "Counts of job events by kind of job in the interval"),
            new Collector("query_info", "1.0", "Metadata about the analytics collected"));

    private static final List<String> COUNTED = List.of(ResourceTypes.ORGANIZATION, ResourceTypes.TEAM, ResourceTypes.USER,
            ResourceTypes.INVENTORY, ResourceTypes.CREDENTIAL, ResourceTypes.PROJECT, ResourceTypes.JOB_TEMPLATE,
            ResourceTypes.WORKFLOW_JOB_TEMPLATE, ResourceTypes.HOST, ResourceTypes.SCHEDULE, ResourceTypes.NOTIFICATION_TEMPLATE);

    private final JobStore jobs;
    private final ResourceStore resources;
    private final String version;

    public Analytics(JobStore jobs, ResourceStore resources, String version) {
        this.jobs = jobs;
        this.resources = resources;
        this.version = version;
    }

    /** Each collector's document, in {@link #COLLECTORS}' order, for jobs finished in [since, until). */
    public Map<String, Object> gather(Instant since, Instant until, String collectionType) {
        List<UnifiedJob> all = new ArrayList<>();
        for (JobKind kind : JobKind.values()) {
            all.addAll(jobs.all(kind));
        }
        // AWX leaves out the implicit project syncs (launch_type sync); Towerless makes none.
        List<UnifiedJob> counted = all.stream().filter(j -> !"sync".equals(j.get(JobFields.LAUNCH_TYPE))).toList();
        List<UnifiedJob> inInterval = counted.stream().filter(j -> j.finished()
                .map(f -> !f.isBefore(since) && f.isBefore(until)).orElse(false)).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", config());
        out.put("counts", counts(counted));
        out.put("inventory_counts", inventoryCounts());
        out.put("projects_by_scm_type", projectsByScmType());
        out.put("instance_info", instanceInfo(counted));
        out.put("job_counts", jobCounts(counted));
        out.put("job_instance_counts", jobInstanceCounts(counted));
        out.put("job_template_runs", templateRuns(inInterval));
        out.put("event_counts", eventCounts(inInterval));
        out.put("query_info", Map.of("last_run", Timestamps.format(since), "current_time", Timestamps.format(until),
                "collection_type", collectionType));
        return out;
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("platform", Map.of("system", "Linux", "type", "serverless"));
        c.put("tower_url_base", SystemSettings.load(resources).text(SystemSettings.TOWER_URL_BASE));
        c.put("tower_version", version);
        c.put("license_type", "open");
        c.put("free_instances", 0);
        c.put("total_licensed_instances", 0);
        return c;
    }

    private Map<String, Object> counts(List<UnifiedJob> counted) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (String type : COUNTED) {
            c.put(type, resources.count(type));
        }
        Map<String, Long> kinds = new LinkedHashMap<>(Map.of("normal", 0L, "smart", 0L));
        Set<String> activeHosts = new HashSet<>();
        for (Resource inventory : resources.all(ResourceTypes.INVENTORY)) {
            String kind = String.valueOf(inventory.fields().getOrDefault("kind", ""));
            kinds.merge(kind.isEmpty() || kind.equals("null") ? "normal" : kind, 1L, Long::sum);
        }
        for (Resource org : resources.all(ResourceTypes.ORGANIZATION)) {
            activeHosts.addAll(HostLimit.activeHostNames(resources, org.id()));
        }
        c.put("inventories", kinds);
        c.put("unified_job", counted.size());
        c.put("active_host_count", activeHosts.size());
        c.put("running_jobs", counted.stream().filter(j -> j.status() == JobStatus.RUNNING || j.status() == JobStatus.WAITING).count());
        c.put("pending_jobs", counted.stream().filter(j -> j.status() == JobStatus.PENDING).count());
        return c;
    }

    private Map<String, Object> inventoryCounts() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Resource inventory : resources.all(ResourceTypes.INVENTORY)) {
            List<Resource> sources = resources.where(ResourceTypes.INVENTORY_SOURCE, "inventory", inventory.id());
            List<Resource> hosts = resources.where(ResourceTypes.HOST, "inventory", inventory.id());
            List<Map<String, Object>> sourceList = sources.stream().map(s -> Map.<String, Object>of("name", s.name(),
                    "source", String.valueOf(s.fields().getOrDefault("source", "")),
                    "num_hosts", hosts.stream().filter(h -> h.reference("inventory_source").orElse(-1L) == s.id()).count())).toList();
            Map<String, Object> inv = new LinkedHashMap<>();
            inv.put("name", inventory.name());
            inv.put("kind", String.valueOf(inventory.fields().getOrDefault("kind", "")));
            inv.put("hosts", hosts.size());
            inv.put("sources", sources.size());
            inv.put("source_list", sourceList);
            out.put(Long.toString(inventory.id()), inv);
        }
        return out;
    }

    private Map<String, Object> projectsByScmType() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String t : List.of("manual", "git", "svn", "insights", "archive")) {
            out.put(t, 0L);
        }
        for (Resource p : resources.all(ResourceTypes.PROJECT)) {
            String t = String.valueOf(p.fields().getOrDefault("scm_type", ""));
            out.merge(t.isEmpty() || t.equals("null") ? "manual" : t, 1L, (a, b) -> (Long) a + (Long) b);
        }
        return out;
    }

    /** Instance groups with their budgets and what active jobs consume of them; runners as the instances. */
    private Map<String, Object> instanceInfo(List<UnifiedJob> counted) {
        List<UnifiedJob> running = counted.stream().filter(j -> j.status() == JobStatus.RUNNING || j.status() == JobStatus.WAITING).toList();
        Map<String, Object> groups = new LinkedHashMap<>();
        for (Resource g : resources.all(ResourceTypes.INSTANCE_GROUP)) {
            List<UnifiedJob> in = running.stream().filter(j -> j.longField(JobFields.INSTANCE_GROUP).orElse(-1L) == g.id()).toList();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("name", g.name());
            info.put("max_concurrent_jobs", g.fields().getOrDefault("max_concurrent_jobs", 0L));
            info.put("max_forks", g.fields().getOrDefault("max_forks", 0L));
            info.put("jobs_running", in.size());
            info.put("consumed_capacity", in.stream().mapToLong(j -> j.longField(JobFields.TASK_IMPACT).orElse(0L)).sum());
            groups.put(Long.toString(g.id()), info);
        }
        Map<String, Object> instances = new TreeMap<>();
        for (UnifiedJob j : running) {
            j.string(JobFields.EXECUTION_NODE).filter(n -> !n.isEmpty()).ifPresent(node -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> i = (Map<String, Object>) instances.computeIfAbsent(node, n -> new LinkedHashMap<>(
                        Map.of("node_type", "execution", "enabled", true, "consumed_capacity", 0L, "jobs_running", 0L)));
                i.merge("consumed_capacity", j.longField(JobFields.TASK_IMPACT).orElse(0L), (a, b) -> (Long) a + (Long) b);
                i.merge("jobs_running", 1L, (a, b) -> (Long) a + (Long) b);
            });
        }
        return Map.of("instance_groups", groups, "instances", instances);
    }

    private static Map<String, Object> jobCounts(List<UnifiedJob> counted) {
        Map<String, Long> status = new TreeMap<>();
        Map<String, Long> launchType = new TreeMap<>();
        for (UnifiedJob j : counted) {
            status.merge(j.status().apiName(), 1L, Long::sum);
            launchType.merge(String.valueOf(j.get(JobFields.LAUNCH_TYPE)), 1L, Long::sum);
        }
        return Map.of("total_jobs", counted.size(), "status", status, "launch_type", launchType);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jobInstanceCounts(List<UnifiedJob> counted) {
        Map<String, Object> out = new TreeMap<>();
        for (UnifiedJob j : counted) {
            String node = j.string(JobFields.EXECUTION_NODE).orElse("");
            Map<String, Object> n = (Map<String, Object>) out.computeIfAbsent(node, k -> new LinkedHashMap<>(Map.of(
                    "launch_type", new TreeMap<String, Long>(), "status", new TreeMap<String, Long>())));
            ((Map<String, Long>) n.get("launch_type")).merge(String.valueOf(j.get(JobFields.LAUNCH_TYPE)), 1L, Long::sum);
            ((Map<String, Long>) n.get("status")).merge(j.status().apiName(), 1L, Long::sum);
        }
        return out;
    }

    /** Per template (AWX's unified_job_template id): runs, by status, and the elapsed seconds of those that ran. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> templateRuns(List<UnifiedJob> inInterval) {
        Map<String, Object> out = new TreeMap<>();
        for (UnifiedJob j : inInterval) {
            String key = j.longField(JobFields.UNIFIED_JOB_TEMPLATE).map(String::valueOf).orElse("none");
            Map<String, Object> t = (Map<String, Object>) out.computeIfAbsent(key, k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", j.name());
                m.put("type", j.kind().type());
                m.put("runs", 0L);
                m.put("status", new TreeMap<String, Long>());
                m.put("elapsed_total", 0.0);
                m.put("elapsed_max", 0.0);
                return m;
            });
            t.merge("runs", 1L, (a, b) -> (Long) a + (Long) b);
            ((Map<String, Long>) t.get("status")).merge(j.status().apiName(), 1L, Long::sum);
            t.merge("elapsed_total", j.elapsed(), (a, b) -> (Double) a + (Double) b);
            t.merge("elapsed_max", j.elapsed(), (a, b) -> Math.max((Double) a, (Double) b));
        }
        out.values().forEach(v -> {
            Map<String, Object> t = (Map<String, Object>) v;
            t.put("elapsed_average", (Double) t.get("elapsed_total") / (Long) t.get("runs"));
        });
        return out;
    }

    private static Map<String, Object> eventCounts(List<UnifiedJob> inInterval) {
        Map<String, Long> byKind = new TreeMap<>();
        long total = 0;
        for (UnifiedJob j : inInterval) {
            long n = j.longField(JobFields.EMITTED_EVENTS).orElse(0L);
            byKind.merge(j.kind().type(), n, Long::sum);
            total += n;
        }
        return Map.of("total", total, "by_job_type", byKind, "jobs", inInterval.size());
    }
}
