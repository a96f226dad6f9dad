package dev.towerless.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.towerless.core.credentials.CustomCredentialTypes;
import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.core.inventory.ImportedInventory;
import dev.towerless.core.inventory.InventoryPluginInjector;
import dev.towerless.core.inventory.InventorySourceKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An inventory update, as AWX's RunInventoryUpdate: for an SCM source, check out the source
 * project at its recorded revision and read the source path; for a cloud source, write the
 * inventory plugin file AWX's injector writes and give the plugin the source credential through
 * the environment. Then run {@code ansible-inventory --list --export} and import hosts, groups
 * and their variables into the inventory as AWX's {@code inventory_import} does
 * ({@link InventoryImporter}).
 */
final class InventoryUpdateRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String IMPORT_FAILED = "Error occured while saving inventory data, see traceback or server logs";

    private InventoryUpdateRun() {
    }

    static Outcome run(RunContext ctx) throws Exception {
        long sourceId = ctx.job.longField("inventory_source").orElseThrow();
        long inventoryId = ctx.job.longField(JobFields.INVENTORY).orElseThrow();
        String kind = ctx.job.string("source").orElse("scm");
        Map<String, String> env = RunEnvironment.forJob(ctx);
        Path inventoryPath;
        Path playbookDir;
        if (kind.equals("scm")) {
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
            playbookDir = ctx.privateDir.resolve("project");
            String sourcePath = ctx.job.string("source_path").orElse("");
            inventoryPath = playbookDir.resolve(sourcePath).normalize();
            if (!inventoryPath.startsWith(playbookDir) || !Files.exists(inventoryPath)) {
                return Outcome.of(JobStatus.FAILED, "Inventory file not found in project: " + sourcePath);
            }
            // AWX's get_extra_credentials: an scm source's own credential injects its environment as in a
            // playbook run (ansible-inventory takes no extra vars); the project's SCM credential only clones.
            long own = ctx.job.longField(JobFields.SCM_CREDENTIAL).orElse(-1L);
            for (JobCredentials.Managed c : ctx.credentials.managed()) {
                if (c.credentialId() == own && ManagedCredentialTypes.injects(c.namespace())) {
                    env.putAll(PlaybookRun.injectManaged(ctx, c, true).env());
                }
            }
            for (JobCredentials.Custom c : ctx.credentials.custom()) {
                if (c.credentialId() == own) {
                    CustomCredentialTypes.Injection injection = PlaybookRun.inject(ctx, c);
                    injection.refused().forEach(name -> ctx.verbose("Ignoring environment variable " + name + " of credential "
                            + c.credentialId() + ": it is reserved and may not be set by credentials."));
                    env.putAll(injection.env());
                }
            }
            // AWX's RunInventoryUpdate.build_env: an scm source's variables become environment variables.
            sourceVars(ctx).forEach((k, v) -> {
                if (!env.containsKey(k) && !InventorySourceKinds.ENV_VARIABLE_BLOCKED.contains(k)) {
                    env.put(k, v instanceof String str ? str : ctx.variables.toJson(v));
                }
            });
        } else {
            Optional<InventoryPluginInjector> injector = InventoryPluginInjector.forSource(kind);
            if (injector.isEmpty()) { // AWX raises NotImplementedError for file sources
                return Outcome.of(JobStatus.ERROR, "Cannot update " + kind + " sources through the task system.");
            }
            ctx.verbose("Syncing inventory source " + ctx.job.name() + " with the " + injector.get().properName() + " inventory plugin");
            playbookDir = PrivateFiles.mkdirs(ctx.privateDir.resolve("inventory"));
            inventoryPath = playbookDir.resolve(injector.get().filename());
            env.putAll(CloudSourceRun.plugin(ctx, kind, injector.get(), sourceVars(ctx), inventoryPath));
        }
        Path output = ctx.privateDir.resolve("inventory-export.json");
        List<String> cmd = new ArrayList<>(List.of("ansible-inventory", "-i", inventoryPath.toString(), "--list", "--export",
                "--output", output.toString(), "--playbook-dir", playbookDir.toString()));
        long verbosity = ctx.job.longField(JobFields.VERBOSITY).orElse(1L);
        if (verbosity > 0) {
            cmd.add("-" + "v".repeat((int) Math.min(5, 2 * verbosity + 1)));
        }
        long timeout = ctx.settings.timeout(ctx.job.longField(JobFields.TIMEOUT).orElse(0L),
                dev.towerless.core.settings.SystemSettings.DEFAULT_INVENTORY_UPDATE_TIMEOUT);
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
            ImportedInventory imported = ImportedInventory.read(data, ImportedInventory.Options.forSource(kind,
                    Boolean.TRUE.equals(ctx.job.get("overwrite")), Boolean.TRUE.equals(ctx.job.get("overwrite_vars")),
                    ctx.job.string("enabled_var").orElse(""), ctx.job.string("enabled_value").orElse(""),
                    ctx.job.string("host_filter").orElse("")));
            new InventoryImporter(ctx, inventoryId, sourceId).save(imported);
        } catch (RuntimeException e) {
            return record.applyTo(Outcome.of(JobStatus.ERROR, IMPORT_FAILED), result.exitCode())
                    .with(JobFields.RESULT_TRACEBACK, ctx.redactor.redact(String.valueOf(e)));
        }
        return record.applyTo(Outcome.of(JobStatus.SUCCESSFUL, ""), 0);
    }

    /** The update's {@code source_vars} (YAML or JSON), as a map. */
    static Map<String, Object> sourceVars(RunContext ctx) {
        return ctx.variables.parse(ctx.job.string("source_vars").orElse(""));
    }

}
