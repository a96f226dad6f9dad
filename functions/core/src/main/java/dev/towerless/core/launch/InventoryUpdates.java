package dev.towerless.core.launch;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.scheduling.TaskImpact;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** An inventory update job for an inventory source: manual updates and the dependency manager create these. */
public final class InventoryUpdates {
    private InventoryUpdates() {
    }

    public static UnifiedJob newUpdate(long id, Resource source, LaunchType launchType, Instant now) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(JobFields.UNIFIED_JOB_TEMPLATE, source.id());
        f.put("inventory_source", source.id());
        f.put(JobFields.INVENTORY, source.get("inventory"));
        f.put("source", source.get("source"));
        f.put("source_path", source.get("source_path"));
        f.put(JobFields.PROJECT, source.get("source_project"));
        f.put(JobFields.SCM_CREDENTIAL, source.get("credential"));
        f.put("overwrite", source.flag("overwrite"));
        f.put("overwrite_vars", source.flag("overwrite_vars"));
        // What the plugin file and the import read (AWX's InventorySourceOptions, copied to each update).
        for (String option : new String[] {"source_vars", "enabled_var", "enabled_value", "host_filter"}) {
            f.put(option, source.get(option));
        }
        f.put(JobFields.TIMEOUT, source.get("timeout"));
        f.put(JobFields.VERBOSITY, source.get("verbosity"));
        f.put(JobFields.TASK_IMPACT, TaskImpact.of(JobKind.INVENTORY_UPDATE, 0, 0));
        return UnifiedJob.newPending(id, JobKind.INVENTORY_UPDATE, source.name(), launchType, now, f);
    }
}
