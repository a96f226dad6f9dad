package dev.towerless.core.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.access.Memberships;
import dev.towerless.core.access.Role;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.FieldSpec;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceSchema;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import dev.towerless.core.testing.FakeStores;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletionsTest {
    private final FakeStores.Resources store = new FakeStores.Resources();
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final FakeStores.Events events = new FakeStores.Events();
    private final FakeStores.Queue queue = new FakeStores.Queue();
    private final Memberships memberships = new Memberships(store, jobs);
    private final Deletions deletions = new Deletions(store, jobs, events, memberships, queue, new FakeStores.FlatVariables());

    private final long org = store.create(ResourceTypes.ORGANIZATION, Map.of("name", "o")).id();
    private final long inventory = store.create(ResourceTypes.INVENTORY, Map.of("name", "i", "organization", org)).id();
    private final long host = store.create(ResourceTypes.HOST, Map.of("name", "h", "inventory", inventory)).id();
    private final long group = store.create(ResourceTypes.GROUP, Map.of("name", "g", "inventory", inventory,
            "hosts", List.of(host))).id();
    private final long project = store.create(ResourceTypes.PROJECT, Map.of("name", "p", "organization", org)).id();
    private final long template = store.create(ResourceTypes.JOB_TEMPLATE, Map.of("name", "t", "inventory", inventory,
            "project", project)).id();

    @Test
    void everyReferenceFieldOfEverySchemaHasAwxsOnDelete() {
        for (ResourceSchema schema : Schemas.all()) {
            for (FieldSpec f : schema.fields()) {
                if (f.kind() == FieldSpec.Kind.REFERENCE && !f.writeOnly()) {
                    assertThat(Links.RESOURCES).as(schema.type() + "." + f.name())
                            .anyMatch(l -> l.holder().equals(schema.type()) && l.field().equals(f.name()) && l.pointsAt(f.references()));
                }
            }
        }
    }

    @Test
    void anInventoryIsMarkedPendingAndItsTemplatesLetGoAtOnceThenTheBackgroundRemovesEverythingInIt() {
        Resource inv = store.get(ResourceTypes.INVENTORY, inventory).orElseThrow();
        long source = store.create(ResourceTypes.INVENTORY_SOURCE, Map.of("name", "s", "inventory", inventory,
                "source_project", project)).id();
        long schedule = store.create(ResourceTypes.SCHEDULE, Map.of("name", "s", "unified_job_template", source)).id();

        assertThat(deletions.scheduleInventoryDeletion(inv, 1)).isTrue();
        assertThat(store.get(ResourceTypes.INVENTORY, inventory).orElseThrow().flag(Deletions.PENDING_DELETION)).isTrue();
        assertThat(store.get(ResourceTypes.JOB_TEMPLATE, template).orElseThrow().get("inventory")).isNull();
        assertThat(store.get(ResourceTypes.HOST, host)).as("the hosts wait for the background").isPresent();
        assertThat(queue.sent).hasSize(1).first().asString().contains("delete_inventory");
        assertThat(deletions.scheduleInventoryDeletion(store.get(ResourceTypes.INVENTORY, inventory).orElseThrow(), 1))
                .as("a second DELETE").isFalse();

        deletions.deleteInventory(inventory);
        deletions.deleteInventory(inventory); // a redelivered message changes nothing
        assertThat(store.get(ResourceTypes.INVENTORY, inventory)).isEmpty();
        assertThat(store.get(ResourceTypes.HOST, host)).isEmpty();
        assertThat(store.get(ResourceTypes.GROUP, group)).isEmpty();
        assertThat(store.get(ResourceTypes.INVENTORY_SOURCE, source)).isEmpty();
        assertThat(store.get(ResourceTypes.SCHEDULE, schedule)).as("the source's schedule went with it").isEmpty();
    }

    @Test
    void aDeleteInterruptedHalfWayIsFinishedByTheRedeliveredMessage() {
        // A crash after the hosts went and before the inventory did: the inventory is still there, pending.
        store.update(ResourceTypes.INVENTORY, inventory, Map.of(Deletions.PENDING_DELETION, true));
        store.delete(ResourceTypes.HOST, host);
        deletions.deleteInventory(inventory);
        assertThat(store.get(ResourceTypes.GROUP, group)).isEmpty();
        assertThat(store.get(ResourceTypes.INVENTORY, inventory)).isEmpty();
    }

    @Test
    void anInventoryNotPendingDeletionIsLeftAloneByAStrayMessage() {
        deletions.deleteInventory(inventory);
        assertThat(store.get(ResourceTypes.INVENTORY, inventory)).isPresent();
    }

    @Test
    void aProjectGoesWithItsSourcesWhileItsTemplatesStayPointingAtNothing() {
        long source = store.create(ResourceTypes.INVENTORY_SOURCE, Map.of("name", "s", "inventory", inventory,
                "source_project", project)).id();
        long user = store.create(ResourceTypes.USER, Map.of("username", "u")).id();
        memberships.grant(store.get(ResourceTypes.USER, user).orElseThrow(), Role.of(ResourceTypes.PROJECT, project, "admin_role"));

        List<dev.towerless.core.background.ResourceTask.Ref> gone = deletions.delete(ResourceTypes.PROJECT, project, user);

        assertThat(gone).extracting(r -> r.type() + " " + r.id())
                .containsExactly("project " + project, "inventory_source " + source);
        assertThat(store.get(ResourceTypes.JOB_TEMPLATE, template).orElseThrow().get("project")).isNull();
        assertThat(store.get(ResourceTypes.JOB_TEMPLATE, template).orElseThrow().get("inventory")).isEqualTo(inventory);
        assertThat(store.get(ResourceTypes.USER, user).orElseThrow().references(Memberships.ROLES)).isEmpty();
        assertThat(queue.sent).hasSize(1).first().asString().contains("unlink_jobs");
    }

    @Test
    void aDeletedGroupsHostsAndChildrenJoinItsParents() {
        long child = store.create(ResourceTypes.GROUP, Map.of("name", "c", "inventory", inventory)).id();
        long parent = store.create(ResourceTypes.GROUP, Map.of("name", "p", "inventory", inventory,
                "children", List.of(group))).id();
        store.update(ResourceTypes.GROUP, group, Map.of("children", List.of(child)));

        deletions.delete(ResourceTypes.GROUP, group, 1);

        Resource p = store.get(ResourceTypes.GROUP, parent).orElseThrow();
        assertThat(p.references("children")).containsExactly(child);
        assertThat(p.references("hosts")).containsExactly(host);
        assertThat(store.get(ResourceTypes.HOST, host)).as("hosts are not deleted with a group").isPresent();
    }

    @Test
    void jobsKeepTheirHistoryPointingAtNothingWhileUpdatesGoWithTheirProject() {
        UnifiedJob job = finished(1_000, JobKind.JOB, Map.of(JobFields.PROJECT, project, JobFields.INVENTORY, inventory,
                JobFields.UNIFIED_JOB_TEMPLATE, template));
        UnifiedJob update = finished(1_001, JobKind.PROJECT_UPDATE, Map.of(JobFields.UNIFIED_JOB_TEMPLATE, project,
                JobFields.PROJECT, project));
        Map<String, Object> runningFields = new HashMap<>(Map.of(JobFields.PROJECT, project));
        jobs.insert(UnifiedJob.newPending(1_002, JobKind.JOB, "active", LaunchType.MANUAL, Instant.EPOCH, runningFields));

        deletions.unlinkJobs(deletions.closure(ResourceTypes.PROJECT, project));
        deletions.unlinkJobs(deletions.closure(ResourceTypes.PROJECT, project)); // again, as a redelivery

        UnifiedJob kept = jobs.find(job.id()).orElseThrow();
        assertThat(kept.get(JobFields.PROJECT)).isNull();
        assertThat(kept.longField(JobFields.INVENTORY)).contains(inventory);
        assertThat(jobs.find(update.id())).isEmpty();
        assertThat(jobs.find(1_002).orElseThrow().longField(JobFields.PROJECT)).as("an active job is left as it is").contains(project);
    }

    @Test
    void aWorkflowNodeTakesItsApprovalTemplateWithIt() {
        long wf = store.create(ResourceTypes.WORKFLOW_JOB_TEMPLATE, Map.of("name", "w")).id();
        long approval = store.create(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, Map.of("name", "a")).id();
        long gate = store.create(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, Map.of("workflow_job_template", wf,
                "unified_job_template", approval)).id();
        long before = store.create(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, Map.of("workflow_job_template", wf,
                "unified_job_template", template, "success_nodes", List.of(gate))).id();

        deletions.delete(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, gate, 1);

        assertThat(store.get(ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE, approval)).isEmpty();
        assertThat(store.get(ResourceTypes.WORKFLOW_JOB_TEMPLATE_NODE, before).orElseThrow().references("success_nodes")).isEmpty();
    }

    @Test
    void anOrganizationSchedulesItsInventoriesForDeletionAndTakesItsTeamsAndCredentials() {
        long team = store.create(ResourceTypes.TEAM, Map.of("name", "t", "organization", org)).id();
        long credential = store.create(ResourceTypes.CREDENTIAL, Map.of("name", "c", "organization", org, "credential_type", 1L)).id();
        store.update(ResourceTypes.JOB_TEMPLATE, template, Map.of("credentials", List.of(credential)));

        deletions.delete(ResourceTypes.ORGANIZATION, org, 1);

        assertThat(store.get(ResourceTypes.TEAM, team)).isEmpty();
        assertThat(store.get(ResourceTypes.CREDENTIAL, credential)).isEmpty();
        assertThat(store.get(ResourceTypes.JOB_TEMPLATE, template).orElseThrow().references("credentials")).isEmpty();
        Resource inv = store.get(ResourceTypes.INVENTORY, inventory).orElseThrow();
        assertThat(inv.flag(Deletions.PENDING_DELETION)).isTrue();
        assertThat(inv.get("organization")).as("AWX's SET_NULL").isNull();
        assertThat(store.get(ResourceTypes.PROJECT, project).orElseThrow().get("organization")).isNull();
    }

    private UnifiedJob finished(long id, JobKind kind, Map<String, Object> fields) {
        UnifiedJob j = UnifiedJob.newPending(id, kind, "j" + id, LaunchType.MANUAL, Instant.EPOCH, fields)
                .with(Map.of(JobFields.STATUS, JobStatus.SUCCESSFUL.apiName()));
        jobs.insert(j);
        return j;
    }
}
