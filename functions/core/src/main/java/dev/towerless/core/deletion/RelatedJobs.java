package dev.towerless.core.deletion;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * AWX's RelatedJobsPreventDeleteMixin: the types whose DELETE is refused with 409 while related
 * jobs are active, and which jobs count ({@code _get_related_jobs} of each model).
 */
public final class RelatedJobs {
    private RelatedJobs() {
    }

    /** The jobs that block deleting {@code r}, if its type is one AWX guards. */
    public static Optional<Predicate<UnifiedJob>> of(Resource r) {
        long id = r.id();
        return Optional.ofNullable(switch (r.type()) {
            case ResourceTypes.INVENTORY -> j -> is(j, JobFields.INVENTORY, id);
            case ResourceTypes.HOST -> onInventoryOf(r);
            case ResourceTypes.GROUP -> onInventoryOf(r);
            case ResourceTypes.INVENTORY_SOURCE -> j -> j.kind() == JobKind.INVENTORY_UPDATE && is(j, JobFields.UNIFIED_JOB_TEMPLATE, id);
            case ResourceTypes.PROJECT -> j -> is(j, JobFields.PROJECT, id)
                    || j.kind() == JobKind.PROJECT_UPDATE && is(j, JobFields.UNIFIED_JOB_TEMPLATE, id);
            case ResourceTypes.JOB_TEMPLATE, ResourceTypes.WORKFLOW_JOB_TEMPLATE, ResourceTypes.WORKFLOW_APPROVAL_TEMPLATE ->
                    j -> is(j, JobFields.UNIFIED_JOB_TEMPLATE, id);
            case ResourceTypes.ORGANIZATION -> j -> is(j, JobFields.ORGANIZATION, id);
            case ResourceTypes.INSTANCE_GROUP -> j -> is(j, JobFields.INSTANCE_GROUP, id);
            default -> null;
        });
    }

    private static Predicate<UnifiedJob> onInventoryOf(Resource r) {
        long inventory = r.reference("inventory").orElse(-1L);
        return j -> is(j, JobFields.INVENTORY, inventory);
    }

    private static boolean is(UnifiedJob j, String field, long id) {
        return j.longField(field).orElse(-1L) == id;
    }
}
