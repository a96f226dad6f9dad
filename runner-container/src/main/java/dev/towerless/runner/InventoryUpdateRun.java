package dev.towerless.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An inventory update, as AWX's RunInventoryUpdate for an SCM source: check out the source
 * project at its recorded revision, run {@code ansible-inventory --list --export} on the source
 * path, and import hosts, groups and their variables into the inventory. With {@code overwrite},
 * hosts and groups this source imported before and no longer lists are removed; with
 * {@code overwrite_vars}, variables are replaced rather than merged.
 */
final class InventoryUpdateRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String IMPORT_FAILED = "Error occured while saving inventory data, see traceback or server logs";

    private InventoryUpdateRun() {
    }

    static Outcome run(RunContext ctx) throws Exception {
        long sourceId = ctx.job.longField("inventory_source").orElseThrow();
        long inventoryId = ctx.job.longField(JobFields.INVENTORY).orElseThrow();
        Optional<Resource> project = ctx.job.longField(JobFields.PROJECT).flatMap(id -> ctx.resources.get(ResourceTypes.PROJECT, id));
        if (project.isEmpty()) {
            return Outcome.of(JobStatus.FAILED, "Inventory source has no valid source project.");
        }
        String revision = project.get().string(JobFields.SCM_REVISION).orElse("");
        if (revision.isEmpty()) {
            return Outcome.of(JobStatus.FAILED, "Missing a revision to run due to failed project update.");
        }
        ctx.verbose("Syncing inventory source " + ctx.job.name() + " from project " + project.get().name() + " at " + revision);
        Optional<String> failure = PlaybookRun.checkout(ctx, project.get(), revision);
        if (ctx.control.requested()) {
            return Outcome.of(JobStatus.CANCELED, "");
        }
        if (failure.isPresent()) {
            return Outcome.of(JobStatus.ERROR, failure.get());
        }
        Path projectDir = ctx.privateDir.resolve("project");
        String sourcePath = ctx.job.string("source_path").orElse("");
        Path source = projectDir.resolve(sourcePath).normalize();
        if (!source.startsWith(projectDir) || !Files.exists(source)) {
            return Outcome.of(JobStatus.FAILED, "Inventory file not found in project: " + sourcePath);
        }
        Path output = ctx.privateDir.resolve("inventory-export.json");
        List<String> cmd = new ArrayList<>(List.of("ansible-inventory", "-i", source.toString(), "--list", "--export",
                "--output", output.toString(), "--playbook-dir", projectDir.toString()));
        long verbosity = ctx.job.longField(JobFields.VERBOSITY).orElse(1L);
        if (verbosity > 0) {
            cmd.add("-" + "v".repeat((int) Math.min(5, 2 * verbosity + 1)));
        }
        long timeout = ctx.settings.timeout(ctx.job.longField(JobFields.TIMEOUT).orElse(0L),
                dev.towerless.core.settings.SystemSettings.DEFAULT_INVENTORY_UPDATE_TIMEOUT);
        Map<String, String> env = RunEnvironment.forJob(ctx);
        // Inventory plugins and scripts are the project's code: they run as untrusted as a playbook does.
        ctx.sandbox.handOver(ctx.privateDir);
        ProcessRunner.Result result = ProcessRunner.runUntrusted(cmd, ctx.privateDir, env,
                timeout > 0 ? Duration.ofSeconds(timeout) : ProjectUpdateRun.DEFAULT_TIMEOUT, ctx::verbose, true, ctx.control,
                ctx.sandbox, ctx.privateDir);
        RunRecord record = RunRecord.of(ctx, cmd, ctx.privateDir, env);
        if (ctx.control.requested()) {
            return record.applyTo(Outcome.of(JobStatus.CANCELED, ""), result.exitCode());
        }
        if (result.timedOut()) {
            return record.applyTo(Outcome.of(JobStatus.FAILED, "Job terminated due to timeout"), result.exitCode());
        }
        Optional<String> listed = PrivateFiles.readInside(ctx.privateDir, output, 256L << 20);
        if (result.exitCode() != 0 || listed.isEmpty()) {
            return record.applyTo(Outcome.of(JobStatus.FAILED, ctx.redactor.redact("ansible-inventory failed: "
                    + String.join(" ", result.stderrTail()))), result.exitCode());
        }
        Map<String, Object> data;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = JSON.readValue(listed.get(), Map.class);
            data = parsed;
        } catch (java.io.IOException | RuntimeException e) {
            // Not the parser's message: it quotes what it read.
            return record.applyTo(Outcome.of(JobStatus.ERROR, IMPORT_FAILED), result.exitCode())
                    .with(JobFields.RESULT_TRACEBACK, "ansible-inventory's output is not a JSON inventory");
        }
        Optional<String> overLimit = ImportHostLimit.refusal(ctx, inventoryId, sourceId, data);
        if (overLimit.isPresent()) {
            ctx.verbose(overLimit.get());
            return record.applyTo(Outcome.of(JobStatus.ERROR, overLimit.get()), result.exitCode()).with("org_host_limit_error", true);
        }
        try {
            new Importer(ctx, inventoryId, sourceId).importAll(data);
        } catch (RuntimeException e) {
            return record.applyTo(Outcome.of(JobStatus.ERROR, IMPORT_FAILED), result.exitCode())
                    .with(JobFields.RESULT_TRACEBACK, ctx.redactor.redact(String.valueOf(e)));
        }
        return record.applyTo(Outcome.of(JobStatus.SUCCESSFUL, ""), 0);
    }

    /** Writes what ansible-inventory listed into the inventory's hosts and groups. */
    private static final class Importer {
        private final RunContext ctx;
        private final long inventoryId;
        private final long sourceId;
        private final boolean overwrite;
        private final boolean overwriteVars;

        Importer(RunContext ctx, long inventoryId, long sourceId) {
            this.ctx = ctx;
            this.inventoryId = inventoryId;
            this.sourceId = sourceId;
            this.overwrite = Boolean.TRUE.equals(ctx.job.get("overwrite"));
            this.overwriteVars = Boolean.TRUE.equals(ctx.job.get("overwrite_vars"));
        }

        @SuppressWarnings("unchecked")
        void importAll(Map<String, Object> data) {
            Map<String, Object> meta = (Map<String, Object>) data.getOrDefault("_meta", Map.of());
            Map<String, Object> hostvars = (Map<String, Object>) meta.getOrDefault("hostvars", Map.of());
            Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
            data.forEach((name, value) -> {
                if (!name.equals("_meta") && value instanceof Map<?, ?> g) {
                    groups.put(name, (Map<String, Object>) g);
                }
            });
            Set<String> hostNames = new LinkedHashSet<>(hostvars.keySet());
            groups.values().forEach(g -> hostNames.addAll((List<String>) g.getOrDefault("hosts", List.of())));

            Map<String, Resource> hosts = byName(ResourceTypes.HOST);
            Map<String, Long> hostIds = new HashMap<>();
            for (String name : hostNames) {
                Map<String, Object> vars = (Map<String, Object>) hostvars.getOrDefault(name, Map.of());
                hostIds.put(name, upsert(ResourceTypes.HOST, hosts.get(name), name, vars, Map.of("enabled", true,
                        "instance_id", "")).id());
            }
            Map<String, Resource> existingGroups = byName(ResourceTypes.GROUP);
            Map<String, Long> groupIds = new HashMap<>();
            for (Map.Entry<String, Map<String, Object>> g : groups.entrySet()) {
                if (isImplicit(g.getKey())) {
                    continue;
                }
                Map<String, Object> vars = (Map<String, Object>) g.getValue().getOrDefault("vars", Map.of());
                groupIds.put(g.getKey(), upsert(ResourceTypes.GROUP, existingGroups.get(g.getKey()), g.getKey(), vars, Map.of()).id());
            }
            for (Map.Entry<String, Map<String, Object>> g : groups.entrySet()) {
                if (isImplicit(g.getKey())) {
                    continue;
                }
                List<Long> members = ((List<String>) g.getValue().getOrDefault("hosts", List.of())).stream()
                        .map(hostIds::get).filter(java.util.Objects::nonNull).toList();
                List<Long> children = ((List<String>) g.getValue().getOrDefault("children", List.of())).stream()
                        .map(groupIds::get).filter(java.util.Objects::nonNull).toList();
                ctx.resources.update(ResourceTypes.GROUP, groupIds.get(g.getKey()), Map.of("hosts", members, "children", children));
            }
            Map<String, Object> allVars = (Map<String, Object>) groups.getOrDefault("all", Map.of()).getOrDefault("vars", Map.of());
            if (!allVars.isEmpty()) {
                ctx.resources.get(ResourceTypes.INVENTORY, inventoryId).ifPresent(inv -> ctx.resources.update(
                        ResourceTypes.INVENTORY, inventoryId, Map.of("variables", mergedVars(inv, allVars))));
            }
            int removed = overwrite ? removeMissing(ResourceTypes.HOST, hostIds.keySet())
                    + removeMissing(ResourceTypes.GROUP, groupIds.keySet()) : 0;
            ctx.verbose("Imported " + hostIds.size() + " hosts and " + groupIds.size() + " groups"
                    + (overwrite ? ", removed " + removed + " no longer in the source" : ""));
        }

        private Resource upsert(String type, Resource existing, String name, Map<String, Object> vars, Map<String, Object> extra) {
            String now = Timestamps.format(ctx.clock.instant());
            if (existing == null) {
                Map<String, Object> f = new LinkedHashMap<>(extra);
                f.put("name", name);
                f.put("description", "imported");
                f.put("inventory", inventoryId);
                f.put("variables", ctx.variables.toJson(vars));
                f.put("inventory_source", sourceId);
                f.put("created", now);
                f.put("modified", now);
                return ctx.resources.create(type, f);
            }
            return ctx.resources.update(type, existing.id(), Map.of("variables", mergedVars(existing, vars),
                    "inventory_source", sourceId, "modified", now)).orElse(existing);
        }

        private String mergedVars(Resource existing, Map<String, Object> vars) {
            if (overwriteVars) {
                return ctx.variables.toJson(vars);
            }
            Map<String, Object> merged = new LinkedHashMap<>(ctx.variables.parse(existing.string("variables").orElse("")));
            merged.putAll(vars);
            return ctx.variables.toJson(merged);
        }

        /** Only what this source imported before: hosts added by hand or other sources stay. */
        private int removeMissing(String type, Set<String> present) {
            int n = 0;
            for (Resource r : ctx.resources.where(type, "inventory", inventoryId)) {
                if (r.reference("inventory_source").orElse(-1L) == sourceId && !present.contains(r.name())
                        && ctx.resources.delete(type, r.id())) {
                    n++;
                }
            }
            return n;
        }

        private Map<String, Resource> byName(String type) {
            Map<String, Resource> out = new HashMap<>();
            ctx.resources.where(type, "inventory", inventoryId).forEach(r -> out.put(r.name(), r));
            return out;
        }

        private static boolean isImplicit(String group) {
            return group.equals("all") || group.equals("ungrouped");
        }
    }
}
