package dev.towerless.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.towerless.core.inventory.InventoryChanged;
import dev.towerless.core.inventory.InventoryComputedFields;
import dev.towerless.core.inventory.InventoryDirtyMarker;
import dev.towerless.core.inventory.JobHostSummaries;
import dev.towerless.core.ports.JobStore;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Consumes the inventories queue: "job finished" from the lifecycle topic stores a playbook
 * job's host summaries (or, for an inventory sync, marks its inventory), and "inventory
 * changed" recomputes that inventory's fields. A batch's jobs are recorded together (each
 * inventory's hosts read once), then each inventory named in the batch is recomputed once.
 * Other lifecycle messages are acknowledged; unreadable ones and failures are batch item
 * failures, retried and then dead-lettered.
 */
@Singleton
public class InventoryConsumer {
    private static final Logger LOG = Logger.getLogger(InventoryConsumer.class.getName());

    private final JobHostSummaries summaries;
    private final InventoryComputedFields computed;
    private final InventoryDirtyMarker marker;
    private final JobStore jobs;

    public InventoryConsumer(JobHostSummaries summaries, InventoryComputedFields computed, InventoryDirtyMarker marker,
                             JobStore jobs) {
        this.summaries = summaries;
        this.computed = computed;
        this.marker = marker;
        this.jobs = jobs;
    }

    public SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Map<Long, String> finished = new LinkedHashMap<>(); // job id → message id
        Map<Long, List<String>> inventories = new LinkedHashMap<>(); // inventory id → message ids
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            var changed = InventoryChanged.parse(m.getBody());
            if (changed.isPresent()) {
                inventories.computeIfAbsent(changed.get().inventoryId(), k -> new ArrayList<>()).add(m.getMessageId());
                continue;
            }
            var lifecycle = LifecycleMessage.parse(m.getBody());
            if (lifecycle.isEmpty()) {
                LOG.warning(() -> "not an inventory or lifecycle message, leaving it for the dead-letter queue: " + m.getMessageId());
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            } else if ("job_finished".equals(lifecycle.get().reason()) && lifecycle.get().jobId() != null) {
                finished.put(lifecycle.get().jobId(), m.getMessageId());
            }
        }
        if (!finished.isEmpty()) {
            try {
                record(finished.keySet());
            } catch (RuntimeException e) {
                // One at a time, so one job's trouble does not hold back the others.
                for (Map.Entry<Long, String> f : finished.entrySet()) {
                    try {
                        record(List.of(f.getKey()));
                    } catch (RuntimeException again) {
                        LOG.log(Level.WARNING, "host summaries of job " + f.getKey() + " failed; retried", again);
                        failures.add(new SQSBatchResponse.BatchItemFailure(f.getValue()));
                    }
                }
            }
        }
        for (Map.Entry<Long, List<String>> inv : inventories.entrySet()) {
            try {
                computed.recompute(inv.getKey());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "computed fields of inventory " + inv.getKey() + " failed; retried", e);
                inv.getValue().forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
            }
        }
        return new SQSBatchResponse(failures);
    }

    private void record(java.util.Collection<Long> jobIds) {
        summaries.recordFinished(jobIds);
        // A sync's end changes its source's last_job_failed and, through its imports, the hosts and groups.
        JobHostSummaries.syncedInventories(jobs.findMany(jobIds).values()).forEach(marker::changed);
    }
}
