package dev.towerless.api.templates;

import dev.towerless.api.dialect.Views;
import dev.towerless.api.labels.LabelLinks;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.UnifiedJob;
import java.util.Map;
import java.util.Optional;

/**
 * What AWX shows of an updatable template (a project, an inventory source) from its last update:
 * its status ("never updated" before the first), when it ran, whether it failed, and the update
 * itself in summary_fields (also as current_update while it runs).
 */
public final class LastUpdateView {
    private LastUpdateView() {
    }

    public static void summary(Optional<UnifiedJob> last, Map<String, Object> summary) {
        last.ifPresent(u -> {
            summary.put("last_update", Views.jobSummary(u));
            summary.put("last_job", Views.jobSummary(u));
            if (u.status().isActive()) {
                summary.put("current_update", Views.jobSummary(u));
            }
        });
    }

    /** What job templates and workflow templates show alike: their last job, labels, what the user may do. */
    public static void launchableSummary(dev.towerless.core.resources.Resource template, Map<String, Object> summary, Views views) {
        views.lastJobOf(template.id()).ifPresent(j -> summary.put("last_job", Views.jobSummary(j)));
        summary.put("labels", dev.towerless.api.labels.LabelLinks.summary(template.references("labels"), views));
    }

    /** Every template's status from its newest job: {@code status}, {@code last_job_run}, {@code last_job_failed}. */
    public static void lastJob(Optional<UnifiedJob> last, Map<String, Object> out) {
        out.put("status", last.map(u -> u.status().apiName()).orElse("never updated"));
        out.put("last_job_run", last.map(u -> u.get(JobFields.FINISHED)).orElse(null));
        out.put("last_job_failed", last.map(UnifiedJob::failed).orElse(false));
    }

    public static void fields(Optional<UnifiedJob> last, Map<String, Object> out) {
        lastJob(last, out);
        out.put("last_update_failed", last.map(UnifiedJob::failed).orElse(false));
        out.put("last_updated", last.map(u -> u.get(JobFields.FINISHED)).orElse(null));
    }
}
