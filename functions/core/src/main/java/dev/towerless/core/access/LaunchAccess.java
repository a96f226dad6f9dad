package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;

/**
 * AWX's JobLaunchConfigAccess: what a launch, a schedule, a workflow node or a relaunch prompts for
 * must be the launcher's to use. A prompted inventory needs its {@code use} role; a prompted
 * credential the template does not carry already needs its {@code use} role too. (Being allowed to
 * run a template never lends its launcher anyone else's inventory or credential.)
 */
public final class LaunchAccess {
    private LaunchAccess() {
    }

    /**
     * Why the user may not relaunch {@code job} although they may run its template (AWX's
     * JobAccess.can_start): its survey passwords came from someone else, or it was launched with a
     * prompted inventory or credentials the user may not use. Empty when they may.
     */
    public static java.util.Optional<String> relaunchRefusal(Access a, dev.towerless.core.jobs.UnifiedJob job, Resource template) {
        if (a.isSuperuser()) {
            return java.util.Optional.empty();
        }
        boolean secrets = job.get("survey_passwords") instanceof List<?> l && !l.isEmpty();
        boolean byOther = UnifiedJobAccess.createdBy(job).filter(u -> u == a.userId()).isEmpty();
        if (secrets && byOther) {
            return java.util.Optional.of("Job was launched with secret prompts provided by another user.");
        }
        Long inventory = job.longField(dev.towerless.core.jobs.JobFields.INVENTORY)
                .filter(i -> !i.equals(template.reference("inventory").orElse(null))).orElse(null);
        if (!canUsePrompts(a, template, inventory, job.longList(dev.towerless.core.jobs.JobFields.CREDENTIALS))) {
            return java.util.Optional.of("Job was launched with prompted fields you do not have access to.");
        }
        return java.util.Optional.empty();
    }

    public static boolean canUsePrompts(Access a, Resource template, Long inventory, List<Long> credentials) {
        if (a.isSuperuser()) {
            return true;
        }
        if (inventory != null && !a.holds(ResourceTypes.INVENTORY, inventory, USE)) {
            return false;
        }
        if (credentials != null) {
            List<Long> carried = template.references("credentials");
            for (long c : credentials) {
                if (!carried.contains(c) && !a.holds(ResourceTypes.CREDENTIAL, c, USE)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The prompts beyond inventory and credentials that name objects (AWX's JobLaunchConfigAccess):
     * an execution environment and labels the user may read, instance groups they may use.
     */
    public static boolean canUseFurtherPrompts(Access a, dev.towerless.core.launch.LaunchPrompts prompts) {
        if (a.isSuperuser()) {
            return true;
        }
        if (prompts.more().get("execution_environment") instanceof Number ee && !a.lookup()
                .find(ResourceTypes.EXECUTION_ENVIRONMENT, ee.longValue())
                .map(r -> AccessPolicies.EXECUTION_ENVIRONMENTS.canSee(a, r)).orElse(false)) {
            return false;
        }
        List<Long> labels = prompts.idsOf("labels");
        if (labels != null && !labels.stream().allMatch(l -> a.lookup().find(ResourceTypes.LABEL, l)
                .map(r -> AccessPolicies.LABELS.canSee(a, r)).orElse(false))) {
            return false;
        }
        List<Long> groups = prompts.idsOf("instance_groups");
        return groups == null || groups.stream().allMatch(g -> a.holds(ResourceTypes.INSTANCE_GROUP, g, USE));
    }
}
