package dev.towerless.api.jobs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AWX's {@code unified_jobs/} filters through a kind's own model, as Django's multi-table
 * inheritance names them: {@code job__job_template=7} (a job template's Jobs tab in AWX's UI),
 * {@code or__job__inventory=3&or__adhoccommand__inventory=3&or__inventoryupdate__inventory_source__inventory=3&or__workflowjob__inventory=3}
 * (an inventory's), {@code job__hosts=5} (a host's), {@code workflow_job__workflow_job_template=9}
 * (a workflow template's). A unified job is a row of every kind's table only if it is of that
 * kind, so such a filter matches jobs of that kind alone.
 *
 * <p>The rows a list filters are rendered jobs; {@link #view} adds to each the kind names, each
 * mapping to the row itself for its own kind and to nothing for the others, so the ordinary
 * lookups ({@link dev.towerless.api.dialect.ListQuery}) apply to them and a wrong field still
 * gets AWX's 400.
 */
final class UnifiedJobChildFilters {
    /** Django's reverse names of UnifiedJob's subclasses, and the job types they stand for. */
    private static final Map<String, String> KINDS = Map.of(
            "job", "job",
            "projectupdate", "project_update",
            "inventoryupdate", "inventory_update",
            "adhoccommand", "ad_hoc_command",
            "systemjob", "system_job",
            "workflowjob", "workflow_job",
            "workflowapproval", "workflow_approval",
            "workflow_job", "workflow_job"); // as AWX's UI spells it on a workflow template's Jobs tab
    /** The template a kind's template filter names. */
    private static final List<String> TEMPLATE_FILTERS = List.of("job__job_template", "job__unified_job_template",
            "workflow_job__workflow_job_template", "workflowjob__workflow_job_template", "projectupdate__project",
            "inventoryupdate__inventory_source", "systemjob__system_job_template", "unified_job_template");

    private UnifiedJobChildFilters() {
    }

    /** True if any parameter filters through a kind's model (then rows are filtered through {@link #view}). */
    static boolean named(Map<String, List<String>> params) {
        return params.keySet().stream().map(UnifiedJobChildFilters::plain).anyMatch(k -> {
            int split = k.indexOf("__");
            return split > 0 && KINDS.containsKey(k.substring(0, split));
        });
    }

    /**
     * The template whose jobs alone can match: {@code N} when one filter (not an {@code or__}
     * one) is a kind's template or project or inventory source equal to N, so the list reads that
     * template's jobs from its index instead of walking every job; null otherwise.
     */
    static Long template(Map<String, List<String>> params) {
        for (String name : TEMPLATE_FILTERS) {
            for (String key : List.of(name, name + "__exact", "chain__" + name)) {
                List<String> values = params.get(key);
                if (values != null && values.size() == 1 && values.get(0).matches("[0-9]{1,15}")) {
                    return Long.parseLong(values.get(0));
                }
            }
        }
        return null;
    }

    /** The host of {@code job__hosts=N} (the jobs that ran on it come from its host summaries); null without one. */
    static Long host(Map<String, List<String>> params) {
        List<String> values = params.get("job__hosts");
        return values != null && values.size() == 1 && values.get(0).matches("[0-9]{1,15}") ? Long.parseLong(values.get(0)) : null;
    }

    /**
     * A rendered job with each kind name added: the row for its own kind (with {@code hosts}, the
     * hosts it ran on as far as {@code jobsOnHost} tells, and an inventory update's
     * {@code inventory_source} as a relation to its inventory), an empty relation for the others.
     */
    static Map<String, Object> view(Map<String, Object> row, Long host, Set<Long> jobsOnHost) {
        Map<String, Object> out = new HashMap<>(row);
        Object type = row.get("type");
        Map<String, Object> own = new HashMap<>(row);
        if ("inventory_update".equals(type)) {
            Map<String, Object> source = new HashMap<>();
            source.put("id", row.get("inventory_source"));
            source.put("inventory", row.get("inventory"));
            own.put("inventory_source", source);
        }
        if (host != null && row.get("id") instanceof Number id) {
            own.put("hosts", jobsOnHost.contains(id.longValue()) ? List.of(host) : List.of());
        }
        KINDS.forEach((name, kind) -> out.put(name, kind.equals(type) ? own : Map.of()));
        return out;
    }

    private static String plain(String key) {
        String k = key;
        for (String prefix : List.of("or__", "chain__", "not__")) {
            if (k.startsWith(prefix)) {
                k = k.substring(prefix.length());
            }
        }
        return k.startsWith("not__") ? k.substring(5) : k;
    }
}
