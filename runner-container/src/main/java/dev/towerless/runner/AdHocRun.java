package dev.towerless.runner;

import dev.towerless.core.jobs.JobExplanations;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.settings.JinjaInExtraVars;
import dev.towerless.core.templating.InlineJinja;
import java.util.List;
import java.util.Optional;

/**
 * An ad hoc command, as AWX's RunAdHocCommand: one module with its arguments against the
 * inventory's hosts matching the limit (or all), through ansible-runner with the same private
 * data dir, credentials and event stream as a playbook job.
 */
final class AdHocRun {
    private AdHocRun() {
    }

    static Outcome run(RunContext ctx) throws Exception {
        Optional<Resource> inventory = ctx.job.longField(JobFields.INVENTORY)
                .flatMap(id -> ctx.resources.get(ResourceTypes.INVENTORY, id));
        if (inventory.isEmpty()) {
            return Outcome.of(JobStatus.FAILED, JobExplanations.INVALID_INVENTORY);
        }
        String module = ctx.job.string("module_name").orElse("command");
        String args = ctx.job.string("module_args").orElse("");
        // AWX's build_module_args: the arguments are typed by whoever runs the command, so no Jinja in them.
        if (ctx.settings.jinjaInExtraVars() != JinjaInExtraVars.ALWAYS && InlineJinja.present(args)) {
            return Outcome.of(JobStatus.ERROR, InlineJinja.NOT_ALLOWED);
        }
        Optional<String> refused = PlaybookRun.machineCredentialProblem(ctx);
        if (refused.isPresent()) {
            return Outcome.of(JobStatus.ERROR, refused.get());
        }
        PlaybookRun.writeInventory(ctx, inventory.get());
        PlaybookRun.writeEnv(ctx, true);
        String hosts = ctx.job.string(JobFields.LIMIT).orElse("all");
        return PlaybookRun.runAnsible(ctx, args.isEmpty() ? List.of("-m", module, "--hosts", hosts)
                : List.of("-m", module, "-a", args, "--hosts", hosts));
    }
}
