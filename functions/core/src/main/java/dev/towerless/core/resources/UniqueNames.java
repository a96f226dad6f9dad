package dev.towerless.core.resources;

import dev.towerless.core.ports.ResourceStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * AWX's uniqueness rules (models' {@code unique}, {@code unique_together} and the "soft" rules of
 * {@code PrimordialModel.validate_unique}), with the message each one gives. Checked before a
 * create or change is written; the answer is AWX's 400.
 *
 * <p>The check reads the objects sharing the rule's most selective field (its organization,
 * inventory or template, else the name), so it costs one indexed read, not a scan of the type.
 * It is not atomic with the write: two requests racing with the same name can both pass, as with
 * AWX's soft rules.
 */
public final class UniqueNames {
    /**
     * One rule: these fields together are unique; {@code skipIfNull} follows Django, which skips a
     * unique_together check when a member is NULL (AWX's soft rules do not).
     */
    record Rule(List<String> fields, String key, String message, boolean skipIfNull) {
    }

    private static final Map<String, List<Rule>> RULES = Map.ofEntries(
            Map.entry(ResourceTypes.ORGANIZATION, List.of(field("name", "Organization with this Name already exists."))),
            Map.entry(ResourceTypes.EXECUTION_ENVIRONMENT, List.of(field("name", "Execution environment with this Name already exists."))),
            Map.entry(ResourceTypes.INSTANCE_GROUP, List.of(field("name", "Instance group with this Name already exists."))),
            Map.entry(ResourceTypes.TEAM, List.of(together("Team", "organization", "name"))),
            Map.entry(ResourceTypes.INVENTORY, List.of(together("Inventory", "name", "organization"))),
            Map.entry(ResourceTypes.CREDENTIAL, List.of(together("Credential", "organization", "name", "credential_type"))),
            Map.entry(ResourceTypes.CREDENTIAL_TYPE, List.of(together("Credential type", "name", "kind"))),
            Map.entry(ResourceTypes.NOTIFICATION_TEMPLATE, List.of(together("Notification template", "organization", "name"))),
            Map.entry(ResourceTypes.LABEL, List.of(together("Label", "name", "organization"))),
            Map.entry(ResourceTypes.APPLICATION, List.of(together("Application", "name", "organization"))),
            Map.entry(ResourceTypes.SCHEDULE, List.of(together("Schedule", "unified_job_template", "name"))),
            Map.entry(ResourceTypes.HOST, List.of(together("Host", "name", "inventory"))),
            Map.entry(ResourceTypes.GROUP, List.of(together("Group", "name", "inventory"))),
            Map.entry(ResourceTypes.PROJECT, List.of(soft("Project", "organization"))),
            Map.entry(ResourceTypes.WORKFLOW_JOB_TEMPLATE, List.of(soft("WorkflowJobTemplate", "organization"))),
            Map.entry(ResourceTypes.JOB_TEMPLATE, List.of(soft("JobTemplate", "organization"))),
            Map.entry(ResourceTypes.INVENTORY_SOURCE, List.of(soft("InventorySource", "inventory"))));

    private UniqueNames() {
    }

    /**
     * Refuses {@code candidate} (the object as it would be stored) if another object of the type
     * already has the same values for one of the type's rules. {@code self} is the object being
     * changed, or null for a new one.
     */
    public static void check(ResourceStore store, String type, Map<String, Object> candidate, Long self) {
        for (Rule rule : RULES.getOrDefault(type, List.of())) {
            if (rule.skipIfNull() && rule.fields().stream().anyMatch(f -> candidate.get(f) == null)) {
                continue;
            }
            String lookup = rule.fields().stream().filter(f -> !"name".equals(f) && candidate.get(f) != null)
                    .findFirst().orElse("name");
            for (Resource other : store.where(type, lookup, normal(candidate.get(lookup)))) {
                if (!Objects.equals(self, other.id()) && rule.fields().stream()
                        .allMatch(f -> Objects.equals(normal(candidate.get(f)), normal(other.fields().get(f))))) {
                    throw ValidationException.of(rule.key(), rule.message());
                }
            }
        }
        if (ResourceTypes.HOST.equals(type) || ResourceTypes.GROUP.equals(type)) {
            refuseHostGroupClash(store, type, candidate);
        }
    }

    /** AWX: a host may not be named as a group of its inventory, nor a group as a host. */
    private static void refuseHostGroupClash(ResourceStore store, String type, Map<String, Object> candidate) {
        String other = ResourceTypes.HOST.equals(type) ? ResourceTypes.GROUP : ResourceTypes.HOST;
        Object inventory = normal(candidate.get("inventory"));
        if (inventory == null) {
            return;
        }
        for (Resource r : store.where(other, "inventory", inventory)) {
            if (Objects.equals(r.fields().get("name"), candidate.get("name"))) {
                throw ValidationException.of("__all__", ResourceTypes.HOST.equals(type)
                        ? "A Group with that name already exists." : "A Host with that name already exists.");
            }
        }
    }

    /** Whether a change of these fields can break one of the type's rules (so an unrelated change reads nothing). */
    public static boolean concerns(String type, java.util.Set<String> changed) {
        return RULES.getOrDefault(type, List.of()).stream().anyMatch(r -> r.fields().stream().anyMatch(changed::contains));
    }

    private static Object normal(Object value) {
        return value instanceof Number n ? (Object) n.longValue() : value;
    }

    private static Rule field(String field, String message) {
        return new Rule(List.of(field), field, message, true);
    }

    /** Django's unique_together message: the fields' labels, capitalised, joined with commas and "and". */
    private static Rule together(String model, String... fields) {
        List<String> labels = java.util.Arrays.stream(fields).map(UniqueNames::label).toList();
        String joined = labels.size() == 2 ? labels.get(0) + " and " + labels.get(1)
                : String.join(", ", labels.subList(0, labels.size() - 1)) + " and " + labels.get(labels.size() - 1);
        return new Rule(List.of(fields), "__all__", model + " with this " + joined + " already exists.", true);
    }

    /** AWX's soft rule: (name, parent) with the class name, a NULL parent included. */
    private static Rule soft(String className, String parent) {
        return new Rule(List.of("name", parent), "__all__",
                className + " with this (name, " + parent + ") combination already exists.", false);
    }

    private static String label(String field) {
        String words = field.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
