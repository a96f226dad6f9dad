package dev.towerless.core.jobs;

import java.util.Locale;

/** AWX's LAUNCH_TYPE_CHOICES: why a job exists. */
public enum LaunchType {
    MANUAL, RELAUNCH, CALLBACK, SCHEDULED, DEPENDENCY, WORKFLOW, WEBHOOK, SYNC, SCM;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
