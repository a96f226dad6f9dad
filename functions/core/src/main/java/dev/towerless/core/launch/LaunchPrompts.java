package dev.towerless.core.launch;

import java.util.Map;

/** What the launching user may override at launch time (AWX's ask_*_on_launch prompts). */
public record LaunchPrompts(Map<String, Object> extraVars, String limit, String jobType, Long verbosity, Long forks,
                            Long inventory, java.util.List<Long> credentials) {
    public static LaunchPrompts none() {
        return new LaunchPrompts(null, null, null, null, null, null, null);
    }
}
