package dev.towerless.runner;

import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.VariablesCodec;
import dev.towerless.core.security.Redactor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Everything one run needs: the job, its secrets' redactor, its private dir and its event stream. */
final class RunContext {
    final UnifiedJob job;
    final ResourceStore resources;
    final JobCredentials credentials;
    final Redactor redactor;
    final Path privateDir;
    final EventShipper events;
    final VariablesCodec variables;
    final Clock clock;
    final ProcessControl control;
    final dev.towerless.core.settings.SystemSettings settings;
    /** How untrusted programs of this run are started (run user, bubblewrap). */
    final Sandbox sandbox;
    private final AtomicLong counter = new AtomicLong();
    private final AtomicInteger line = new AtomicInteger();

    RunContext(UnifiedJob job, ResourceStore resources, JobCredentials credentials, Path privateDir, EventShipper events,
               VariablesCodec variables, Clock clock, ProcessControl control, Sandbox sandbox) {
        this.job = job;
        this.resources = resources;
        this.credentials = credentials;
        this.redactor = credentials.redactor();
        this.privateDir = privateDir;
        this.events = events;
        this.variables = variables;
        this.clock = clock;
        this.control = control;
        this.sandbox = sandbox;
        this.settings = dev.towerless.core.settings.SystemSettings.load(resources);
    }

    /** The job's extra vars with sealed values (survey passwords) opened, for the 0600 extravars file only. */
    Map<String, Object> openedExtraVars() {
        Map<String, Object> vars = new java.util.LinkedHashMap<>(variables.parse(job.string(
                dev.towerless.core.jobs.JobFields.EXTRA_VARS).orElse("")));
        vars.replaceAll((k, v) -> dev.towerless.core.security.SecretBox.isSealed(v) ? credentials.open((String) v) : v);
        return vars;
    }

    /**
     * The job template's own variables at launch (AWX's {@code safe_dict}); empty for runs with no
     * template (ad hoc commands), so every variable they carry is unsafe.
     */
    Map<String, Object> templateExtraVars() {
        return variables.parse(job.string(dev.towerless.core.jobs.JobFields.JOB_TEMPLATE_EXTRA_VARS).orElse(""));
    }

    /** The passwords typed at launch for "ASK" inputs (AWX's names), opened. */
    Map<String, String> runtimePasswords() {
        return credentials.runtimePasswords();
    }

    /** Emits a line of output that did not come from an ansible event (git, the runner, ansible's early errors) as a verbose event. */
    synchronized void verbose(String text) {
        String clean = redactor.redact(text);
        int start = line.getAndIncrement();
        events.offer(new JobEvent(job.id(), counter.incrementAndGet(), "verbose", null, null, null, null, null, clean,
                start, start + 1, Timestamps.format(clock.instant()), false, false, Map.of()));
    }

    /**
     * Stores one of ansible's events after whatever the run emitted before it: counters and stdout
     * lines run on across our own verbose events, so stdout reads in the order it was produced.
     */
    synchronized void ansibleEmitted(JobEvent e) {
        int lines = Math.max(0, e.endLine() - e.startLine());
        int start = line.getAndAdd(lines);
        events.offer(new JobEvent(e.jobId(), counter.incrementAndGet(), e.event(), e.uuid(), e.host(), e.play(), e.task(),
                e.role(), e.stdout(), start, start + lines, e.created(), e.failed(), e.changed(), e.eventData()));
    }
}
