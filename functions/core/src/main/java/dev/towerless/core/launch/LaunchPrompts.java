package dev.towerless.core.launch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the launching user may override at launch time (AWX's ask_*_on_launch prompts). The first
 * seven have their own components; the rest travel in {@code more}, keyed by field name, each
 * admitted only by its ask flag ({@link #MORE}). A null or absent value means "not prompted".
 */
public record LaunchPrompts(Map<String, Object> extraVars, String limit, String jobType, Long verbosity, Long forks,
                            Long inventory, List<Long> credentials, Map<String, Object> more) {
    /** AWX's JobTemplate prompts beyond the first seven, with the flag that asks for each. */
    public static final Map<String, String> MORE = moreFlags();

    public LaunchPrompts {
        more = more == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(more));
    }

    public LaunchPrompts(Map<String, Object> extraVars, String limit, String jobType, Long verbosity, Long forks,
                         Long inventory, List<Long> credentials) {
        this(extraVars, limit, jobType, verbosity, forks, inventory, credentials, Map.of());
    }

    public static LaunchPrompts none() {
        return new LaunchPrompts(null, null, null, null, null, null, null);
    }

    /** The further prompts a schedule or workflow node carries (its non-null values of {@link #MORE}'s fields). */
    public static Map<String, Object> moreFrom(Map<String, Object> saved) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String field : MORE.keySet()) {
            Object v = saved.get(field);
            if (v != null && !(v instanceof List<?> l && l.isEmpty())) {
                out.put(field, v);
            }
        }
        return out;
    }

    public LaunchPrompts withMore(Map<String, Object> further) {
        return new LaunchPrompts(extraVars, limit, jobType, verbosity, forks, inventory, credentials, further);
    }

    @SuppressWarnings("unchecked")
    public List<Long> idsOf(String field) {
        return more.get(field) instanceof List<?> l ? l.stream().map(x -> ((Number) x).longValue()).toList() : null;
    }

    private static Map<String, String> moreFlags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("job_tags", "ask_tags_on_launch");
        m.put("skip_tags", "ask_skip_tags_on_launch");
        m.put("diff_mode", "ask_diff_mode_on_launch");
        m.put("scm_branch", "ask_scm_branch_on_launch");
        m.put("execution_environment", "ask_execution_environment_on_launch");
        m.put("labels", "ask_labels_on_launch");
        m.put("instance_groups", "ask_instance_groups_on_launch");
        m.put("job_slice_count", "ask_job_slice_count_on_launch");
        m.put("timeout", "ask_timeout_on_launch");
        return java.util.Collections.unmodifiableMap(m);
    }
}
