package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.MEMBER;
import static dev.towerless.core.access.RoleCatalogue.READ;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Labels (AWX's LabelAccess): seen by whoever can read their organization, or a template that
 * carries them; made by the organization's members; changed and deleted by its admins.
 */
public final class LabelAccess extends ModelAccess {
    LabelAccess() {
        super(ResourceTypes.LABEL, List.of("edit", "delete"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), READ) || onVisibleTemplates(a).contains(r.id());
    }

    /** The labels on every job and workflow template the user may see, worked out once per request. */
    private static Set<Long> onVisibleTemplates(Access a) {
        return a.memo("labels-on-visible-templates", () -> {
            Set<Long> labels = new HashSet<>();
            for (String type : List.of(ResourceTypes.JOB_TEMPLATE, ResourceTypes.WORKFLOW_JOB_TEMPLATE)) {
                for (Resource t : a.lookup().store().all(type)) {
                    if (!t.references("labels").isEmpty() && AccessPolicies.of(type).canSee(a, t)) {
                        labels.addAll(t.references("labels"));
                    }
                }
            }
            return labels;
        });
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        return a.isSuperuser() || checkRelated(a, "organization", ResourceTypes.ORGANIZATION, data, MEMBER, null, true);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        if (!data.isEmpty() && !canAdd(a, data)) {
            return false;
        }
        return a.holds(ResourceTypes.ORGANIZATION, organizationOf(r), ADMIN);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return canChange(a, r, Map.of());
    }
}
