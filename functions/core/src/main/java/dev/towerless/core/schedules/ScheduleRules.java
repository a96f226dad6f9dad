package dev.towerless.core.schedules;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What AWX checks and computes when a schedule is saved: the rule's run times (stored, so the
 * scheduler finds due schedules without parsing every rule) and whether the template accepts
 * each prompt the schedule sets.
 */
public final class ScheduleRules {
    /** The message AWX gives for a prompt the template does not ask for. */
    public static final String NOT_PROMPTED = "Field is not configured to prompt on launch.";

    /** Schedule prompt → the job template flag that allows it (AWX's ask_*_on_launch). */
    private static final Map<String, String> ASK_FLAGS = Map.ofEntries(
            Map.entry("inventory", "ask_inventory_on_launch"), Map.entry("limit", "ask_limit_on_launch"),
            Map.entry("job_type", "ask_job_type_on_launch"), Map.entry("verbosity", "ask_verbosity_on_launch"),
            Map.entry("forks", "ask_forks_on_launch"), Map.entry("scm_branch", "ask_scm_branch_on_launch"),
            Map.entry("job_tags", "ask_tags_on_launch"), Map.entry("skip_tags", "ask_skip_tags_on_launch"),
            Map.entry("diff_mode", "ask_diff_mode_on_launch"), Map.entry("timeout", "ask_timeout_on_launch"),
            Map.entry("job_slice_count", "ask_job_slice_count_on_launch"),
            Map.entry("execution_environment", "ask_execution_environment_on_launch"));

    private ScheduleRules() {
    }

    /**
     * The stored rule (a naive UNTIL rewritten in UTC) and its computed fields as of {@code now},
     * as ISO instants in AWX's form ({@code 2030-03-01T14:00:00Z}, whole seconds):
     * {@code dtstart}, {@code dtend}, {@code next_run} (null when disabled or exhausted),
     * {@code timezone} and {@code until}.
     *
     * @throws Recurrence.InvalidRecurrenceException with AWX's messages
     */
    public static Map<String, Object> computed(String rrule, boolean enabled, Instant now) {
        Recurrence r = Recurrence.parse(rrule);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rrule", r.text());
        out.put("dtstart", r.first().map(Instant::toString).orElse(null));
        out.put("dtend", r.last().map(Instant::toString).orElse(null));
        out.put("next_run", enabled ? r.nextAfter(now).map(Instant::toString).orElse(null) : null);
        out.put("timezone", r.timezone());
        out.put("until", r.until());
        return out;
    }

    /**
     * Errors for prompts the template refuses, by field. {@code schedule} holds the schedule's
     * merged fields; null prompts are "not set" and always fine.
     */
    public static Map<String, List<String>> promptErrors(Resource template, Map<String, Object> schedule,
                                                         List<String> surveyVariables) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        // Job templates and workflow templates prompt through their ask_* flags; other templates take no prompts.
        boolean jobTemplate = ResourceTypes.JOB_TEMPLATE.equals(template.type())
                || ResourceTypes.WORKFLOW_JOB_TEMPLATE.equals(template.type());
        for (Map.Entry<String, String> prompt : ASK_FLAGS.entrySet()) {
            if (schedule.get(prompt.getKey()) != null && !(jobTemplate && template.flag(prompt.getValue()))) {
                errors.put(prompt.getKey(), List.of(NOT_PROMPTED));
            }
        }
        if (schedule.get("credentials") instanceof List<?> credentials && !credentials.isEmpty()
                && !(jobTemplate && template.flag("ask_credential_on_launch"))) {
            errors.put("credentials", List.of(NOT_PROMPTED));
        }
        if (schedule.get("extra_data") instanceof Map<?, ?> data && !data.isEmpty()) {
            switch (template.type()) {
                case ResourceTypes.SYSTEM_JOB_TEMPLATE -> { } // e.g. {"days": 30}
                case ResourceTypes.JOB_TEMPLATE, ResourceTypes.WORKFLOW_JOB_TEMPLATE -> {
                    if (!template.flag("ask_variables_on_launch")) {
                        List<String> unasked = data.keySet().stream().map(String::valueOf)
                                .filter(k -> !surveyVariables.contains(k)).toList();
                        if (!unasked.isEmpty()) {
                            errors.put("extra_data", List.of("Variables " + String.join(", ", unasked)
                                    + " provided, but this template cannot accept variables."));
                        }
                    }
                }
                default -> errors.put("extra_data", List.of(NOT_PROMPTED));
            }
        }
        return errors;
    }
}
