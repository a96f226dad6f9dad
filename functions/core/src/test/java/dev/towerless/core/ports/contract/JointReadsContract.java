package dev.towerless.core.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.JointReads;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link JointReads} backend must do: read what its two stores read, at once. */
public abstract class JointReadsContract {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** A fresh backend: its resource store, its job store and the joint reads over both. */
    public record Backend(ResourceStore resources, JobStore jobs, JointReads joint) {
    }

    protected abstract Backend backend();

    @Test
    void objectsAndJobsReadTogetherAreWhatEachStoreReadsAndTheMissingAreLeftOut() {
        Backend b = backend();
        Resource org = b.resources().create(ResourceTypes.ORGANIZATION, Map.of("name", "joint"));
        Resource team = b.resources().create(ResourceTypes.TEAM, Map.of("name", "joint", "organization", org.id()));
        b.jobs().insert(job(7));
        b.jobs().insert(job(8));
        JointReads.Found found = b.joint().read(Map.of(ResourceTypes.ORGANIZATION, List.of(org.id(), org.id(), 999L),
                ResourceTypes.TEAM, List.of(team.id())), List.of(7L, 8L, 9L, 7L));
        assertThat(fields(found.resources())).isEqualTo(fields(b.resources().getMany(Map.of(ResourceTypes.ORGANIZATION,
                List.of(org.id()), ResourceTypes.TEAM, List.of(team.id())))));
        assertThat(found.resources().get(ResourceTypes.ORGANIZATION)).containsOnlyKeys(org.id());
        assertThat(found.resources().get(ResourceTypes.TEAM).get(team.id()).string("name")).hasValue("joint");
        assertThat(found.jobs()).isEqualTo(b.jobs().findMany(List.of(7L, 8L))).containsOnlyKeys(7L, 8L);
        assertThat(b.joint().read(Map.of(), List.of())).isEqualTo(JointReads.Found.NOTHING);
        assertThat(b.joint().read(Map.of(ResourceTypes.TEAM, List.of(team.id())), List.of()).jobs()).isEmpty();
        assertThat(b.joint().read(Map.of(), List.of(8L)).resources()).isEmpty();
    }

    @Test
    void manyKeysAreReadWhateverTheBackendsBatchLimit() {
        Backend b = backend();
        List<Long> orgs = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            orgs.add(b.resources().create(ResourceTypes.ORGANIZATION, Map.of("name", "joint-" + i)).id());
        }
        List<Long> jobs = new ArrayList<>();
        for (long id = 1; id <= 90; id++) {
            b.jobs().insert(job(id));
            jobs.add(id);
        }
        JointReads.Found found = b.joint().read(Map.of(ResourceTypes.ORGANIZATION, orgs), jobs);
        assertThat(found.resources().get(ResourceTypes.ORGANIZATION)).hasSize(70);
        assertThat(found.jobs()).hasSize(90);
        assertThat(found.jobs().get(90L).name()).isEqualTo("joint-90");
    }

    /**
     * Read beside the rest, a template's newest-job record, where the job store keeps one, is its
     * newest job's id (0 for none); a template it keeps none for is left out.
     */
    @Test
    void aTemplatesNewestJobReadTogetherIsItsNewestJob() {
        Backend b = backend();
        for (long id = 1; id <= 3; id++) {
            b.jobs().insert(UnifiedJob.newPending(id, JobKind.JOB, "joint-" + id, LaunchType.MANUAL, T0.plusSeconds(id),
                    Map.of(dev.towerless.core.jobs.JobFields.UNIFIED_JOB_TEMPLATE, id < 3 ? 41L : 42L)));
        }
        JointReads.Found found = b.joint().read(Map.of(), List.of(2L), List.of(41L, 42L, 43L));
        Map<Long, Long> newest = Map.of(41L, 2L, 42L, 3L, 43L, 0L);
        assertThat(newest.keySet()).as("only templates asked about").containsAll(found.newest().keySet());
        found.newest().forEach((t, id) -> assertThat(id).as("template " + t).isEqualTo(newest.get(t)));
        assertThat(found.jobs()).containsOnlyKeys(2L);
        assertThat(b.joint().read(Map.of(), List.of(), List.of()).newest()).isEmpty();
    }

    /** Objects compare by what they hold (a Resource has no equals of its own). */
    private static Map<String, Map<Long, Map<String, Object>>> fields(Map<String, Map<Long, Resource>> found) {
        Map<String, Map<Long, Map<String, Object>>> out = new java.util.HashMap<>();
        found.forEach((type, byId) -> byId.forEach((id, r) -> out.computeIfAbsent(type, t -> new java.util.HashMap<>()).put(id, r.fields())));
        return out;
    }

    private static UnifiedJob job(long id) {
        return UnifiedJob.newPending(id, JobKind.JOB, "joint-" + id, LaunchType.MANUAL, T0.plusSeconds(id), Map.of());
    }
}
