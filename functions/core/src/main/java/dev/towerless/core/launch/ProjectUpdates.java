package dev.towerless.core.launch;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.scheduling.TaskImpact;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A project update job for a project: what a manual update and the dependency manager both create. */
public final class ProjectUpdates {
    private ProjectUpdates() {
    }

    public static UnifiedJob newUpdate(long id, Resource project, LaunchType launchType, Instant now) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(JobFields.UNIFIED_JOB_TEMPLATE, project.id());
        f.put(JobFields.PROJECT, project.id());
        f.put(JobFields.ORGANIZATION, project.get("organization"));
        f.put(JobFields.SCM_URL, project.get("scm_url"));
        f.put(JobFields.SCM_BRANCH, project.get("scm_branch"));
        f.put(JobFields.SCM_CREDENTIAL, project.get("credential"));
        f.put(JobFields.JOB_TYPE, "check");
        f.put(JobFields.TIMEOUT, project.get("timeout"));
        f.put(JobFields.TASK_IMPACT, TaskImpact.of(JobKind.PROJECT_UPDATE, 0, 0));
        return UnifiedJob.newPending(id, JobKind.PROJECT_UPDATE, project.name(), launchType, now, f);
    }
}
