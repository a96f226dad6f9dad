package dev.towerless.runner;

import dev.towerless.core.credentials.CustomCredentialTypes;
import dev.towerless.core.credentials.ManagedCredentialTypes;
import dev.towerless.core.credentials.PromptAnswers;
import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobExplanations;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.settings.SystemSettings;
import dev.towerless.core.templating.ExtraVarsFile;
import dev.towerless.core.templating.InlineJinja;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A playbook job, as AWX's RunJob does it: check out the project at the recorded revision, write
 * the private data dir (inventory, extra vars, command line, passwords, ssh key; all 0600), run
 * {@code ansible-runner} and stream its JSON events as they happen.
 */
final class PlaybookRun {
    /** A password prompt ansible printed and pexpect answered (SSH password:, Enter passphrase for …:): not output. */
    private static final java.util.regex.Pattern PROMPT = java.util.regex.Pattern.compile(
            "(?i)(\\u001B\\[[0-9;]*m)*.*(password|passphrase)[^:]*:\\s*(\\u001B\\[[0-9;]*m)*\\s*");
    private PlaybookRun() {
    }

    static Outcome run(RunContext ctx) throws Exception {
        Optional<Resource> project = ctx.job.longField(JobFields.PROJECT)
                .flatMap(id -> ctx.resources.get(ResourceTypes.PROJECT, id));
        if (project.isEmpty()) {
            return Outcome.of(JobStatus.FAILED, JobExplanations.INVALID_PROJECT);
        }
        Optional<Resource> inventory = ctx.job.longField(JobFields.INVENTORY)
                .flatMap(id -> ctx.resources.get(ResourceTypes.INVENTORY, id));
        if (inventory.isEmpty()) {
            return Outcome.of(JobStatus.FAILED, JobExplanations.INVALID_INVENTORY);
        }
        Optional<String> refused = machineCredentialProblem(ctx);
        if (refused.isPresent()) {
            return Outcome.of(JobStatus.ERROR, refused.get());
        }
        Optional<String> failure = checkout(ctx, project.get());
        if (ctx.control.requested()) {
            return Outcome.of(JobStatus.CANCELED, "");
        }
        if (failure.isPresent()) {
            return Outcome.of(JobStatus.ERROR, failure.get());
        }
        String playbook = ctx.job.string(JobFields.PLAYBOOK).orElse("");
        Path projectDir = ctx.privateDir.resolve("project");
        Path playbookPath = projectDir.resolve(playbook).normalize();
        if (playbook.isEmpty() || !playbookPath.startsWith(projectDir) || !Files.isRegularFile(playbookPath)) {
            return Outcome.of(JobStatus.FAILED, "Playbook not found in project: " + playbook);
        }
        writeInventory(ctx, inventory.get());
        writeEnv(ctx, false);
        return runAnsible(ctx, List.of("-p", playbook));
    }

    private static Optional<String> checkout(RunContext ctx, Resource project) throws Exception {
        String branch = ctx.job.string(JobFields.SCM_BRANCH).orElse("");
        // AWX: a branch given for this job (the project allowing overrides) is run instead of the project's revision
        if (!branch.isEmpty() && project.flag("allow_override") && !branch.equals(project.string("scm_branch").orElse(""))) {
            // a branch is found as the remote's; a tag or a commit as itself
            return checkout(ctx, project, List.of("origin/" + branch, branch));
        }
        return checkout(ctx, project, ctx.job.string(JobFields.SCM_REVISION).orElse(""));
    }

    /** Clones the project into {@code project/} of the private dir at {@code revision}; empty on success. */
    static Optional<String> checkout(RunContext ctx, Resource project, String revision) throws Exception {
        return checkout(ctx, project, revision.isEmpty() ? List.of() : List.of(revision));
    }

    /** Clones the project and checks out the first of {@code revisions} that exists (none: the default branch). */
    private static Optional<String> checkout(RunContext ctx, Resource project, List<String> revisions) throws Exception {
        for (String revision : revisions) {
            if (revision.startsWith("-")) {
                // a launch-time branch reaches git's argv: one that reads as an option is refused, never passed
                return Optional.of("Could not check out " + revision + ": a branch or revision may not start with '-'.");
            }
        }
        String url = project.string("scm_url").orElse("");
        Path dir = ctx.privateDir.resolve("project");
        try (Git git = new Git(ctx.credentials.kind("scm"), ctx.privateDir, RunEnvironment.forJob(ctx))) {
            ProcessRunner.Result clone = git.clone(url, "", dir, ProjectUpdateRun.DEFAULT_TIMEOUT, line -> { }, ctx.control);
            if (clone.exitCode() != 0) {
                return Optional.of(ctx.redactor.redact("Could not check out the project from " + url + ": "
                        + String.join(" ", clone.stderrTail())));
            }
            ProcessRunner.Result co = null;
            for (String revision : revisions) {
                co = git.checkout(dir, revision);
                if (co.exitCode() == 0) {
                    return Optional.empty();
                }
            }
            if (co != null) {
                return Optional.of("Could not check out revision " + revisions.get(revisions.size() - 1) + " of " + url + ": "
                        + ctx.redactor.redact(String.join(" ", co.stderrTail())));
            }
        }
        return Optional.empty();
    }

    static void writeInventory(RunContext ctx, Resource inventory) throws IOException {
        if (dev.towerless.core.inventory.SmartInventories.isSmart(inventory)) {
            writeSmartInventory(ctx, inventory);
            return;
        }
        Map<String, Object> hosts = new LinkedHashMap<>();
        for (Resource h : ctx.resources.where(ResourceTypes.HOST, "inventory", inventory.id())) {
            if (Boolean.FALSE.equals(h.get("enabled"))) {
                continue;
            }
            hosts.put(h.name(), ctx.variables.parse(h.string("variables").orElse("")));
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("hosts", hosts);
        all.put("vars", ctx.variables.parse(inventory.string("variables").orElse("")));
        Map<Long, String> hostNames = new java.util.HashMap<>();
        for (Resource h : ctx.resources.where(ResourceTypes.HOST, "inventory", inventory.id())) {
            hostNames.put(h.id(), h.name());
        }
        List<Resource> groups = ctx.resources.where(ResourceTypes.GROUP, "inventory", inventory.id());
        Map<Long, String> groupNames = new java.util.HashMap<>();
        groups.forEach(g -> groupNames.put(g.id(), g.name()));
        Map<String, Object> children = new LinkedHashMap<>();
        for (Resource g : groups) {
            Map<String, Object> group = new LinkedHashMap<>();
            Map<String, Object> members = new LinkedHashMap<>();
            g.references("hosts").stream().map(hostNames::get).filter(java.util.Objects::nonNull)
                    .filter(hosts::containsKey).forEach(n -> members.put(n, Map.of()));
            Map<String, Object> sub = new LinkedHashMap<>();
            g.references("children").stream().map(groupNames::get).filter(java.util.Objects::nonNull)
                    .forEach(n -> sub.put(n, Map.of()));
            group.put("hosts", members);
            group.put("children", sub);
            group.put("vars", ctx.variables.parse(g.string("variables").orElse("")));
            children.put(g.name(), group);
        }
        all.put("children", children);
        PrivateFiles.write(ctx.privateDir.resolve("inventory").resolve("hosts.json"),
                ctx.variables.toJson(Map.of("all", all)));
    }

    /**
     * A smart inventory as AWX's get_script_data writes one: its member hosts (enabled ones, with
     * their own variables) directly under {@code all}, the smart inventory's variables as
     * {@code all}'s, and no groups. The members are those its membership names, rebuilt when the
     * job was launched; one read of the hosts, never a scan of the install.
     */
    static void writeSmartInventory(RunContext ctx, Resource inventory) throws IOException {
        Map<String, Object> hosts = new LinkedHashMap<>();
        for (Resource h : new dev.towerless.core.inventory.SmartInventories(ctx.resources).hosts(inventory)) {
            if (!Boolean.FALSE.equals(h.get("enabled"))) {
                hosts.put(h.name(), ctx.variables.parse(h.string("variables").orElse("")));
            }
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("hosts", hosts);
        all.put("vars", ctx.variables.parse(inventory.string("variables").orElse("")));
        PrivateFiles.write(ctx.privateDir.resolve("inventory").resolve("hosts.json"),
                ctx.variables.toJson(Map.of("all", all)));
    }

    /**
     * AWX's {@code sanitize_jinja} on the Machine credential values that become ansible's
     * {@code -u}, {@code --become-method} and {@code --become-user}: ansible templates them, and
     * whoever may use a credential need not be an admin of the template.
     */
    static Optional<String> machineCredentialProblem(RunContext ctx) {
        Map<String, String> machine = ctx.credentials.kind("ssh");
        for (String field : List.of("username", "become_method", "become_username")) {
            if (InlineJinja.present(machine.get(field))) {
                return Optional.of(InlineJinja.NOT_ALLOWED);
            }
        }
        return Optional.empty();
    }

    /** The private data dir's env/: extra vars, command line, prompt answers, ssh key, settings. */
    static void writeEnv(RunContext ctx, boolean adHoc) throws IOException {
        Path env = PrivateFiles.mkdirs(ctx.privateDir.resolve("env"));
        // Custom credential types inject env vars, extra vars and files; theirs win, as in AWX.
        Map<String, String> injectedEnv = new LinkedHashMap<>();
        Map<String, Object> injectedVars = new LinkedHashMap<>();
        // Managed cloud, network and token types inject what AWX's injectors do (ManagedCredentialTypes).
        for (JobCredentials.Managed c : ctx.credentials.managed()) {
            if (ManagedCredentialTypes.injects(c.namespace())) {
                CustomCredentialTypes.Injection injection = injectManaged(ctx, c, false);
                injectedEnv.putAll(injection.env());
                injectedVars.putAll(injection.extraVars());
            }
        }
        for (JobCredentials.Custom c : ctx.credentials.custom()) {
            CustomCredentialTypes.Injection injection = inject(ctx, c);
            injection.refused().forEach(name -> ctx.verbose("Ignoring environment variable " + name + " of credential "
                    + c.credentialId() + ": it is reserved and may not be set by credentials."));
            injectedEnv.putAll(injection.env());
            injectedVars.putAll(injection.extraVars());
        }
        // Launch-time values are data: only the template's own variables may carry Jinja ansible evaluates.
        PrivateFiles.write(env.resolve("extravars"), ExtraVarsFile.forRun(ctx.openedExtraVars(),
                ctx.templateExtraVars(), ctx.settings.jinjaInExtraVars(), injectedVars));
        Map<String, String> machine = ctx.credentials.kind("ssh");
        List<String> args = new ArrayList<>();
        if (!adHoc) { // an ad hoc command's limit is its host pattern
            ctx.job.string(JobFields.LIMIT).ifPresent(l -> args.addAll(List.of("--limit", l)));
        }
        if (!machine.getOrDefault("username", "").isEmpty()) {
            args.addAll(List.of("-u", machine.get("username")));
        }
        if ("check".equals(ctx.job.get(JobFields.JOB_TYPE))) {
            args.add("--check");
        }
        long verbosity = ctx.job.longField(JobFields.VERBOSITY).orElse(0L);
        if (verbosity > 0) {
            args.add("-" + "v".repeat((int) Math.min(5, verbosity)));
        }
        long forks = ctx.job.longField(JobFields.FORKS).orElse(0L);
        if (!adHoc) { // AWX caps playbook forks with MAX_FORKS (ad hoc commands are not capped)
            forks = Math.min(forks, ctx.settings.number(SystemSettings.MAX_FORKS));
        }
        if (forks > 0) {
            args.addAll(List.of("--forks", Long.toString(forks)));
        }
        if (Boolean.TRUE.equals(ctx.job.get("become_enabled"))) {
            args.add("--become");
            if (!machine.getOrDefault("become_method", "").isEmpty()) {
                args.addAll(List.of("--become-method", machine.get("become_method")));
            }
            if (!machine.getOrDefault("become_username", "").isEmpty()) {
                args.addAll(List.of("--become-user", machine.get("become_username")));
            }
        }
        ctx.job.string("job_tags").ifPresent(t -> args.addAll(List.of("--tags", t)));
        ctx.job.string("skip_tags").ifPresent(t -> args.addAll(List.of("--skip-tags", t)));
        if (Boolean.TRUE.equals(ctx.job.get("diff_mode"))) {
            args.add("--diff");
        }
        // Passwords are answered at ansible's prompts (pexpect), as AWX does: never on a command line.
        // Every known prompt gets an answer, empty when there is none, so none can wait forever.
        Map<String, String> passwords = PromptAnswers.passwords(machine, adHoc ? List.of() : ctx.credentials.all("vault"),
                ctx.runtimePasswords());
        args.addAll(PromptAnswers.args(passwords));
        PrivateFiles.write(env.resolve("cmdline"), String.join(" ", args.stream().map(PlaybookRun::shellQuote).toList()));
        PrivateFiles.write(env.resolve("passwords"), ctx.variables.toJson(PromptAnswers.expect(passwords, !adHoc)));
        if (!machine.getOrDefault("ssh_key_data", "").isEmpty()) {
            String key = machine.get("ssh_key_data");
            // ansible-runner matches prompts in the last 100 characters of output; ssh-add's quotes the key's path.
            String prompt = "Enter passphrase for " + ctx.privateDir.resolve("artifacts").resolve(Long.toString(ctx.job.id()))
                    .resolve("ssh_key_data") + ": ";
            if (passwords.containsKey("ssh_key_unlock") && prompt.length() > 100) {
                throw new IllegalStateException("The private data directory " + ctx.privateDir + " is too long a path for "
                        + "ansible-runner to answer ssh-add's passphrase prompt; give the runner a shorter TMPDIR.");
            }
            PrivateFiles.write(env.resolve("ssh_key"), key.endsWith("\n") ? key : key + "\n");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        long timeout = adHoc ? 0 : ctx.settings.timeout(ctx.job.longField(JobFields.TIMEOUT).orElse(0L),
                SystemSettings.DEFAULT_JOB_TIMEOUT);
        if (timeout > 0) {
            settings.put("job_timeout", timeout);
        }
        settings.put("pexpect_timeout", 5);
        PrivateFiles.write(env.resolve("settings"), ctx.variables.toJson(settings));
        // AWX's job environment plus the credentials' injections (reserved names were refused when rendered).
        Map<String, String> envvars = new LinkedHashMap<>(RunEnvironment.forJob(ctx));
        envvars.putAll(injectedEnv);
        PrivateFiles.write(env.resolve("envvars"), ctx.variables.toJson(envvars));
    }

    /** Renders one managed credential's injection; its files go to the private data dir, mode 0600. */
    static CustomCredentialTypes.Injection injectManaged(RunContext ctx, JobCredentials.Managed c, boolean inventoryUpdate)
            throws IOException {
        CredentialFiles files = CredentialFiles.of(ctx, c.credentialId());
        CustomCredentialTypes.Injection injection = ManagedCredentialTypes.inject(c.namespace(), c.inputs(), files, inventoryUpdate);
        files.check();
        return injection;
    }

    /** Renders one custom credential's injectors; its files go to the private data dir, mode 0600. */
    @SuppressWarnings("unchecked")
    static CustomCredentialTypes.Injection inject(RunContext ctx, JobCredentials.Custom c) throws IOException {
        CredentialFiles files = CredentialFiles.of(ctx, c.credentialId());
        CustomCredentialTypes.Injection injection = CustomCredentialTypes.inject(
                (Map<String, Object>) c.type().fields().getOrDefault("injectors", Map.of()), c.inputs(),
                (Map<String, Object>) c.type().fields().getOrDefault("inputs", Map.of()), files);
        files.check();
        return injection;
    }

    /** Runs ansible-runner on the prepared private data dir; {@code what} is the playbook or the module to run. */
    static Outcome runAnsible(RunContext ctx, List<String> what) throws Exception {
        String ident = Long.toString(ctx.job.id());
        List<String> cmd = new ArrayList<>(List.of("ansible-runner", "run", ctx.privateDir.toString()));
        cmd.addAll(what);
        cmd.addAll(List.of("-j", "--ident", ident));
        AnsibleEvents parser = new AnsibleEvents(ctx.job.id(), ctx.redactor);
        Map<String, String> env = RunEnvironment.forJob(ctx);
        ctx.sandbox.handOver(ctx.privateDir);
        java.util.logging.Logger.getLogger(PlaybookRun.class.getName()).info(() -> "starting ansible-runner for "
                + ctx.job + " " + JobRunner.sinceStart() + " ms after the runner started");
        String ansibleStarted = dev.towerless.core.jobs.Timestamps.format(ctx.clock.instant());
        // set_stats results arrive with the final stats event; AWX keeps them as the job's artifacts.
        java.util.concurrent.atomic.AtomicReference<Map<String, Object>> artifactData = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger ansibleEvents = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong statsCounter = new java.util.concurrent.atomic.AtomicLong(-1);
        java.util.Deque<String> plainTail = new java.util.ArrayDeque<>();
        boolean passphraseGiven = !dev.towerless.core.credentials.PromptAnswers.passwords(ctx.credentials.kind("ssh"), List.of(),
                ctx.runtimePasswords()).getOrDefault("ssh_key_unlock", "").isEmpty();
        PromptWatch prompts = new PromptWatch(ctx.control, ctx.clock, PromptWatch.configuredStall(), passphraseGiven);
        ProcessRunner.Result result;
        try (prompts) {
            result = ProcessRunner.runUntrusted(cmd, ctx.privateDir, env, Duration.ZERO, line -> {
            JobEvent e = parser.parse(line);
            prompts.observe(e == null ? ctx.redactor.redact(line) : e.stdout());
            if (e != null) {
                if ("playbook_on_stats".equals(e.event())) {
                    statsCounter.set(e.counter()); // where the control plane finds the host summaries
                }
                if ("playbook_on_stats".equals(e.event()) && e.eventData().get("artifact_data") instanceof Map<?, ?> data) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    data.forEach((k, v) -> copy.put(String.valueOf(k), v));
                    artifactData.set(copy);
                }
                ansibleEvents.incrementAndGet();
                ctx.ansibleEmitted(e);
            } else if (!line.isBlank() && !PROMPT.matcher(line).matches()) {
                // What ansible printed outside its callback (an error before the first event): kept as output.
                ctx.verbose(line);
                synchronized (plainTail) {
                    if (plainTail.size() < 200) {
                        plainTail.addLast(line);
                    }
                }
            }
            }, false, ctx.control, ctx.sandbox, ctx.privateDir);
        }
        result.stderrTail().forEach(ctx::verbose);
        Path artifacts = ctx.privateDir.resolve("artifacts").resolve(ident);
        String status = readTrimmed(ctx, artifacts.resolve("status")).orElse("error");
        // ansible-runner writes "None" when its child was killed (a prompt nothing answered).
        int rc = readTrimmed(ctx, artifacts.resolve("rc")).filter(t -> t.matches("-?\\d{1,9}")).map(Integer::parseInt)
                .orElse(result.exitCode());
        RunRecord record = runRecord(ctx, artifacts, cmd, env);
        if (ctx.control.requested()) {
            // AWX: a run that ends while the cancel flag is set is canceled, whatever ansible reported.
            return record.applyTo(Outcome.of(JobStatus.CANCELED, ""), rc).with(JobFields.ANSIBLE_STARTED, ansibleStarted);
        }
        String early;
        synchronized (plainTail) {
            early = ctx.redactor.redact(earlyError(new ArrayList<>(plainTail)));
        }
        Outcome outcome = switch (status) {
            case "successful" -> Outcome.of(JobStatus.SUCCESSFUL, "");
            // ansible stopped before its first event (no host matched, a syntax error): its words are the explanation.
            case "failed" -> Outcome.of(JobStatus.FAILED, ansibleEvents.get() == 0 ? early : "");
            case "timeout" -> Outcome.of(JobStatus.FAILED, JobExplanations.TIMEOUT);
            case "canceled" -> Outcome.of(JobStatus.CANCELED, "");
            default -> {
                String stderr = ctx.redactor.redact(String.join("\n", result.stderrTail()));
                yield Outcome.of(JobStatus.ERROR, JobExplanations.RUNNER_ERROR + ": "
                        + (stderr.isBlank() ? early : stderr).replace('\n', ' ').strip())
                        .with(JobFields.RESULT_TRACEBACK, (early + "\n" + stderr).strip());
            }
        };
        if (prompts.stalled()) {
            outcome = Outcome.of(JobStatus.FAILED, prompts.explanation().orElseThrow());
        } else if (outcome.status() == JobStatus.FAILED
                || (outcome.status() != JobStatus.SUCCESSFUL && outcome.explanation().isEmpty())) {
            // A prompt that failed the run says more than ansible's last lines, which stay in its output.
            Outcome failed = outcome;
            outcome = prompts.explanation().map(why -> new Outcome(JobStatus.FAILED, why, failed.fields())).orElse(outcome);
        }
        outcome = record.applyTo(outcome, rc).with(JobFields.ANSIBLE_STARTED, ansibleStarted);
        if (statsCounter.get() >= 0) {
            outcome = outcome.with(dev.towerless.core.inventory.JobHostSummaries.STATS_EVENT, statsCounter.get());
        }
        return artifactData.get() == null ? outcome : outcome.with(JobFields.ARTIFACTS, artifactData.get());
    }

    /**
     * What ansible said before it stopped: from its first {@code ERROR!} line (the cause; YAML
     * errors go on for a dozen lines), else its last lines; without colours, at most 1,000 characters.
     */
    static String earlyError(List<String> lines) {
        List<String> plain = lines.stream().map(l -> l.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "").stripTrailing())
                .filter(l -> !l.isBlank()).toList();
        int error = 0;
        while (error < plain.size() && !plain.get(error).startsWith("ERROR!")) {
            error++;
        }
        int first = error < plain.size() ? error : Math.max(0, plain.size() - 10);
        String text = String.join("\n", plain.subList(first, Math.min(plain.size(), first + 12))).strip();
        return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
    }

    /**
     * job_args, job_cwd and job_env as AWX records them: what ansible-runner says it ran (its
     * artifacts' {@code command}: the ansible-playbook command, its directory and full environment),
     * or, if it never got that far, what the runner started.
     */
    @SuppressWarnings("unchecked")
    private static RunRecord runRecord(RunContext ctx, Path artifacts, List<String> cmd, Map<String, String> env) {
        Optional<String> command = PrivateFiles.readInside(ctx.privateDir, artifacts.resolve("command"), 4 << 20);
        try {
            if (command.isPresent()) {
                Map<String, Object> c = ctx.variables.parse(command.get());
                Map<String, String> ranWith = new LinkedHashMap<>();
                ((Map<String, Object>) c.getOrDefault("env", Map.of())).forEach((k, v) -> ranWith.put(k, String.valueOf(v)));
                List<String> args = ((List<Object>) c.getOrDefault("command", cmd)).stream().map(String::valueOf).toList();
                return RunRecord.of(ctx, args, Path.of(String.valueOf(c.getOrDefault("cwd", ctx.privateDir))), ranWith);
            }
        } catch (RuntimeException e) {
            // fall back to what the runner itself started
        }
        return RunRecord.of(ctx, cmd, ctx.privateDir, env);
    }

    /** An artifact ansible-runner wrote, read safely (the run user could have replaced it with a link). */
    private static Optional<String> readTrimmed(RunContext ctx, Path file) {
        return PrivateFiles.readInside(ctx.privateDir, file, 1 << 20).map(String::trim).filter(t -> !t.isEmpty());
    }

    static String shellQuote(String s) {
        if (s.matches("[A-Za-z0-9_./:=,@%+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }
}
