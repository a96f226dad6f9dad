package dev.towerless.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.HostSummary;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.testing.FakeStores;
import dev.towerless.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Host summaries from final stats, and the coalesced recompute of an inventory's computed fields. */
class ComputedFieldsTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final FakeStores.Resources resources = new FakeStores.Resources();
    final FakeStores.Jobs jobs = new FakeStores.Jobs();
    final FakeStores.Events events = new FakeStores.Events();
    final FakeStores.HostSummaries summaries = new FakeStores.HostSummaries();
    final FakeStores.Queue queue = new FakeStores.Queue();
    final InventoryDirtyMarker marker = new InventoryDirtyMarker(resources, queue, clock);
    final InventoryComputedFields computed = new InventoryComputedFields(resources, jobs);
    final JobHostSummaries recorder = new JobHostSummaries(jobs, events, resources, summaries, marker, clock);
    final InventoryChangeTracking tracked = new InventoryChangeTracking(resources, marker);
    long inventory;
    long web1;
    long web2;
    long nextJob = 100;

    @BeforeEach
    void inventoryWithTwoHosts() {
        inventory = resources.create(ResourceTypes.INVENTORY, Map.of("name", "prod", "kind", "")).id();
        web1 = tracked.create(ResourceTypes.HOST, Map.of("name", "web1", "inventory", inventory)).id();
        web2 = tracked.create(ResourceTypes.HOST, Map.of("name", "web2", "inventory", inventory)).id();
    }

    Resource inventory() {
        return resources.get(ResourceTypes.INVENTORY, inventory).orElseThrow();
    }

    Resource host(long id) {
        return resources.get(ResourceTypes.HOST, id).orElseThrow();
    }

    /** A finished playbook job whose stats say which hosts failed (an unknown name is a host ansible added). */
    long finishedJob(Map<String, Integer> failuresByHost) {
        long id = nextJob++;
        Map<String, Object> kind = new HashMap<>();
        kind.put(JobFields.INVENTORY, inventory);
        UnifiedJob j = UnifiedJob.newPending(id, JobKind.JOB, "deploy", LaunchType.MANUAL, clock.instant(), kind);
        boolean failed = failuresByHost.values().stream().anyMatch(n -> n > 0);
        Map<String, Object> end = new HashMap<>();
        end.put(JobFields.STATUS, (failed ? JobStatus.FAILED : JobStatus.SUCCESSFUL).apiName());
        end.put(JobFields.FAILED, failed);
        end.put(JobHostSummaries.STATS_EVENT, 9L);
        jobs.insert(j.with(end));
        Map<String, Object> ok = new LinkedHashMap<>();
        failuresByHost.keySet().forEach(h -> ok.put(h, 2));
        events.append(List.of(new JobEvent(id, 9, "playbook_on_stats", "u", null, null, null, null, "", 0, 0,
                "2026-12-01T10:00:00.000000Z", failed, false, Map.of("ok", ok, "failures", failuresByHost,
                "processed", ok))));
        return id;
    }

    /** Handles every queued recompute message, as the consumer does. */
    int drain() {
        int n = 0;
        while (!queue.sent.isEmpty()) {
            long id = InventoryChanged.parse(queue.sent.remove(0)).orElseThrow().inventoryId();
            computed.recompute(id);
            n++;
        }
        return n;
    }

    @Test
    void hostsAddedOrRemovedAreCountedOnceTheRecomputeRan() {
        assertThat(queue.sent).hasSize(1); // two hosts added, one recompute queued
        assertThat(InventoryComputedFields.stored(inventory())).isEmpty();
        drain();
        assertThat(InventoryComputedFields.stored(inventory()).orElseThrow()).containsEntry("total_hosts", 2)
                .containsEntry("has_active_failures", false).containsEntry("total_groups", 0);
        long g = tracked.create(ResourceTypes.GROUP, Map.of("name", "web", "inventory", inventory)).id();
        tracked.create(ResourceTypes.INVENTORY_SOURCE, Map.of("name", "file", "inventory", inventory, "source", "file"));
        tracked.create(ResourceTypes.INVENTORY_SOURCE, Map.of("name", "aws", "inventory", inventory, "source", "ec2"));
        tracked.delete(ResourceTypes.HOST, web2);
        assertThat(queue.sent).hasSize(1);
        drain();
        assertThat(InventoryComputedFields.stored(inventory()).orElseThrow()).containsEntry("total_hosts", 1)
                .containsEntry("total_groups", 1).containsEntry("total_inventory_sources", 1)
                .containsEntry("has_inventory_sources", true);
        tracked.delete(ResourceTypes.GROUP, g);
        drain();
        assertThat(inventory().get("total_groups")).isEqualTo(0);
    }

    @Test
    void aFailingJobTurnsFailuresOnAndALaterSuccessTurnsThemOff() {
        drain();
        long failing = finishedJob(Map.of("web1", 1, "web2", 0));
        recorder.recordFinished(List.of(failing));
        drain();
        assertThat(host(web1).get("has_active_failures")).isEqualTo(true);
        assertThat(host(web1).get("last_job")).isEqualTo(failing);
        assertThat(host(web2).get("has_active_failures")).isEqualTo(false);
        assertThat(inventory().get("hosts_with_active_failures")).isEqualTo(1L);
        assertThat(inventory().get("has_active_failures")).isEqualTo(true);
        HostSummary s = summaries.find(((Number) host(web1).get("last_job_host_summary")).longValue()).orElseThrow();
        assertThat(s.hostId()).isEqualTo(web1);
        assertThat(s.failed()).isTrue();

        long fixed = finishedJob(Map.of("web1", 0));
        recorder.recordFinished(List.of(fixed));
        drain();
        assertThat(host(web1).get("has_active_failures")).isEqualTo(false);
        assertThat(inventory().get("hosts_with_active_failures")).isEqualTo(0L);
        assertThat(inventory().get("has_active_failures")).isEqualTo(false);
        assertThat(summaries.ofHost(web1, 5)).extracting(HostSummary::jobId).containsExactly(fixed, failing);
    }

    @Test
    void aRedeliveredJobEndStoresItsSummariesOnce() {
        long job = finishedJob(Map.of("web1", 1, "added_by_add_host", 0));
        recorder.recordFinished(List.of(job));
        int hostWrites = recorder.recordFinished(List.of(job)).hostWrites();
        assertThat(hostWrites).isZero();
        assertThat(summaries.ofJob(job)).hasSize(2).filteredOn(s -> s.hostId() == null)
                .extracting(HostSummary::hostName).containsExactly("added_by_add_host");
    }

    @Test
    void anOlderJobFinishingLateDoesNotHideTheNewerOne() {
        long older = finishedJob(Map.of("web1", 1));
        long newer = finishedJob(Map.of("web1", 0));
        recorder.recordFinished(List.of(newer));
        recorder.recordFinished(List.of(older));
        drain();
        assertThat(host(web1).get("last_job")).isEqualTo(newer);
        assertThat(inventory().get("has_active_failures")).isEqualTo(false);
    }

    @Test
    void aBurstOfJobEndsCostsOneRecompute() {
        drain();
        int writesBefore = resources.writes();
        for (int i = 0; i < 200; i++) {
            recorder.recordFinished(List.of(finishedJob(Map.of(i % 2 == 0 ? "web1" : "web2", i == 199 ? 1 : 0))));
        }
        // 200 job ends: 1 marker write, then reads only; host pointer writes are the jobs' own.
        assertThat(queue.sent).hasSize(1);
        assertThat(drain()).isEqualTo(1);
        assertThat(resources.writes() - writesBefore).isEqualTo(200 + 1 + 2);
        assertThat(inventory().get("hosts_with_active_failures")).isEqualTo(1L);
    }

    @Test
    void aChangeDuringARecomputeIsNotLost() {
        drain();
        // The recompute takes the marker, then a job ends before it reads: the change marks again.
        long job = finishedJob(Map.of("web1", 1));
        marker.changed(inventory);
        Resource marked = inventory();
        Map<String, Object> take = new HashMap<>();
        take.put(InventoryDirtyMarker.DIRTY, null);
        take.put(InventoryComputedFields.GENERATION, ((Number) marked.get(InventoryComputedFields.GENERATION)).longValue() + 1);
        resources.updateIf(ResourceTypes.INVENTORY, inventory, InventoryDirtyMarker.DIRTY, marked.get(InventoryDirtyMarker.DIRTY), take);
        queue.sent.clear(); // that message is "in flight" with the recompute that took the marker
        recorder.recordFinished(List.of(job));
        assertThat(queue.sent).as("the inventory was clean, so the change queues its own recompute").hasSize(1);
        drain();
        assertThat(inventory().get("has_active_failures")).isEqualTo(true);
    }

    @Test
    void aStaleFieldsWriteFromAnOlderRecomputeIsRefused() {
        drain();
        Resource before = inventory();
        long generation = ((Number) before.get(InventoryComputedFields.GENERATION)).longValue();
        // A newer recompute has started (generation + 1) while an older one still holds generation's state.
        resources.update(ResourceTypes.INVENTORY, inventory, Map.of(InventoryComputedFields.GENERATION, generation + 1));
        Map<String, Object> stale = new HashMap<>(Map.of("total_hosts", 99, InventoryComputedFields.DONE, generation));
        assertThat(resources.updateIf(ResourceTypes.INVENTORY, inventory, InventoryComputedFields.GENERATION, generation, stale))
                .isEmpty();
        assertThat(computed.recompute(inventory)).isEqualTo(InventoryComputedFields.Outcome.RECOMPUTED);
        assertThat(inventory().get("total_hosts")).isEqualTo(2);
    }

    @Test
    void aRecomputeThatDiedAfterTakingTheMarkerIsFinishedByTheRedelivery() {
        drain();
        tracked.create(ResourceTypes.HOST, Map.of("name", "web3", "inventory", inventory));
        String body = queue.sent.remove(0);
        Resource marked = inventory();
        Map<String, Object> take = new HashMap<>();
        take.put(InventoryDirtyMarker.DIRTY, null);
        take.put(InventoryComputedFields.GENERATION, ((Number) marked.get(InventoryComputedFields.GENERATION)).longValue() + 1);
        resources.updateIf(ResourceTypes.INVENTORY, inventory, InventoryDirtyMarker.DIRTY, marked.get(InventoryDirtyMarker.DIRTY), take);
        // ...and died. The message comes back:
        assertThat(computed.recompute(InventoryChanged.parse(body).orElseThrow().inventoryId()))
                .isEqualTo(InventoryComputedFields.Outcome.RECOMPUTED);
        assertThat(inventory().get("total_hosts")).isEqualTo(3);
        assertThat(computed.recompute(inventory)).isEqualTo(InventoryComputedFields.Outcome.UP_TO_DATE);
    }

    @Test
    void aMarkerWhoseMessageWasLostIsRequeued() {
        drain();
        queue.refusals = 1;
        // The host is stored and the API call succeeds; the mark is left stale, so the next read requeues it.
        tracked.create(ResourceTypes.HOST, Map.of("name", "web3", "inventory", inventory));
        assertThat(queue.sent).isEmpty();
        assertThat(inventory().get(InventoryDirtyMarker.DIRTY)).isEqualTo(InventoryDirtyMarker.UNQUEUED);
        assertThat(marker.requeueIfStale(inventory())).isTrue();
        assertThat(marker.requeueIfStale(inventory())).as("one reader requeues it, not every one").isFalse();
        drain();
        assertThat(inventory().get("total_hosts")).isEqualTo(3);
        // A marker left by a process that died between the write and the send turns stale after STALE_AFTER.
        resources.update(ResourceTypes.INVENTORY, inventory, Map.of(InventoryDirtyMarker.DIRTY, "2026-12-01T10:00:00.000000Z"));
        assertThat(marker.changed(inventory)).isFalse();
        clock.advance(InventoryDirtyMarker.STALE_AFTER.plus(Duration.ofSeconds(1)));
        assertThat(marker.changed(inventory)).as("the next change requeues it").isTrue();
        assertThat(queue.sent).hasSize(1);
    }

    @Test
    void aFailedSyncCountsAsASourceWithFailures() {
        long source = tracked.create(ResourceTypes.INVENTORY_SOURCE, Map.of("name", "git", "inventory", inventory, "source", "scm")).id();
        Map<String, Object> kind = new HashMap<>();
        kind.put(JobFields.INVENTORY, inventory);
        kind.put(JobFields.UNIFIED_JOB_TEMPLATE, source);
        kind.put("inventory_source", source);
        UnifiedJob sync = UnifiedJob.newPending(nextJob++, JobKind.INVENTORY_UPDATE, "git", LaunchType.MANUAL, clock.instant(), kind);
        jobs.insert(sync.with(Map.of(JobFields.STATUS, "failed", JobFields.FAILED, true)));
        assertThat(JobHostSummaries.syncedInventories(List.of(jobs.find(sync.id()).orElseThrow()))).containsExactly(inventory);
        marker.changed(inventory);
        drain();
        assertThat(inventory().get("inventory_sources_with_failures")).isEqualTo(1L);
    }
}
