package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.EXECUTE;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Job templates: whoever may use a project (and the inventory) may make one and becomes its admin;
 * {@code execute} launches it. Changing anything beyond AWX's non-sensitive fields needs use of the
 * project and inventory again, so an admin of the template alone cannot point it elsewhere.
 */
public final class JobTemplateAccess extends ModelAccess {
    /** AWX's changes_are_non_sensitive fields: a template admin may change these without use of its project. */
    private static final Set<String> NON_SENSITIVE = Set.of("name", "description", "forks", "limit", "verbosity", "extra_vars",
            "job_tags", "force_handlers", "skip_tags", "ask_variables_on_launch", "ask_tags_on_launch", "ask_job_type_on_launch",
            "ask_skip_tags_on_launch", "ask_inventory_on_launch", "ask_credential_on_launch", "survey_enabled",
            "custom_virtualenv", "diff_mode", "timeout", "job_slice_count", "last_job_run", "created", "modified");

    JobTemplateAccess() {
        super(ResourceTypes.JOB_TEMPLATE, List.of("start", "schedule", "copy", "edit", "delete"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return a.holds(r, READ);
    }

    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        Long inventory = asId(data.get("inventory"));
        if (inventory != null && !a.holds(ResourceTypes.INVENTORY, inventory, USE)) {
            return false;
        }
        Long project = asId(data.get("project"));
        return project != null && a.holds(ResourceTypes.PROJECT, project, USE);
    }

    @Override
    public boolean canStart(Access a, Resource r) {
        return a.isSuperuser() || a.holds(r, EXECUTE);
    }

    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        if (!a.isSuperuser() && !a.holds(r, ADMIN)) {
            return false;
        }
        if (a.isSuperuser() || nonSensitive(r, data)) {
            return true;
        }
        return checkRelated(a, "inventory", ResourceTypes.INVENTORY, data, USE, r, r.reference("inventory").isPresent())
                && checkRelated(a, "project", ResourceTypes.PROJECT, data, USE, r, r.reference("project").isPresent());
    }

    private static boolean nonSensitive(Resource r, Map<String, Object> data) {
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (!NON_SENSITIVE.contains(e.getKey()) && r.fields().containsKey(e.getKey())
                    && !Objects.equals(r.get(e.getKey()), e.getValue())
                    && !(r.get(e.getKey()) instanceof Number n && e.getValue() instanceof Number m && n.longValue() == m.longValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return a.isSuperuser() || a.holds(r, ADMIN);
    }

    /** Copying needs what making it would: use of its inventory and project. */
    @Override
    public boolean canCopy(Access a, Resource r) {
        Map<String, Object> data = new java.util.HashMap<>();
        data.put("inventory", r.reference("inventory").orElse(null));
        data.put("project", r.reference("project").orElse(null));
        return canAdd(a, data);
    }

    @Override
    public boolean canAttach(Access a, Resource owner, Resource sub, String relationship) {
        if (a.isSuperuser()) {
            return true;
        }
        return switch (relationship) {
            case "credentials" -> canChange(a, owner, Map.of()) && a.holds(sub, USE);
            case "instance_groups" -> owner.reference("organization").isPresent() && a.holds(sub, USE) && a.holds(owner, ADMIN);
            default -> super.canAttach(a, owner, sub, relationship);
        };
    }

    @Override
    public boolean canUnattach(Access a, Resource owner, Resource sub, String relationship) {
        return switch (relationship) {
            case "credentials" -> canChange(a, owner, Map.of());
            case "instance_groups" -> canAttach(a, owner, sub, relationship);
            default -> super.canUnattach(a, owner, sub, relationship);
        };
    }

    /** AWX: a template that cannot run (no project, no inventory and no prompt for one) offers no start or copy. */
    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        boolean invalid = r.reference("project").isEmpty()
                || r.reference("inventory").isEmpty() && !r.flag("ask_inventory_on_launch");
        if (invalid && (name.equals("start") || name.equals("schedule") || name.equals("copy"))) {
            return false;
        }
        return super.capability(a, r, name, earlier);
    }
}
