package dev.towerless.core.access;

import java.util.List;

/**
 * One role field of a model, as AWX declares it ({@code ImplicitRoleField}): its field name, the
 * name and description the API shows, and its implicit parents. A parent is written as AWX writes
 * it: {@code "admin_role"} (a sibling), {@code "organization.project_admin_role"} (a role of a
 * related object, followed through foreign keys) or {@code "singleton:system_auditor"}.
 */
public record RoleDefinition(String field, String name, String description, List<String> parents) {
}
