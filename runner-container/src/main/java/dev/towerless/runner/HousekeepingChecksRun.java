package dev.towerless.runner;

import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.s3.S3BundleStore;
import dev.towerless.core.housekeeping.AdministrativeChecks;
import dev.towerless.core.housekeeping.Analytics;
import dev.towerless.core.housekeeping.AnalyticsBundle;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.BundleStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.settings.SystemSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The housekeeping's system jobs beyond AWX's cleanups: gather_analytics and the administrative checks. */
final class HousekeepingChecksRun {
    /** Where a local stack keeps its bundles (its state directory's analytics/). */
    static final String ANALYTICS_DIR_ENV = "TOWERLESS_ANALYTICS_DIR";
    /** The product version the bundle's config reports (the API's X-API-Product-Version). */
    static final String VERSION = "0.1.0";
    /** AWX's horizon: a first gather looks back at most four weeks. */
    static final Duration HORIZON = Duration.ofDays(28);
    /** The system job field naming where its bundle went. */
    static final String BUNDLE = "analytics_bundle";

    private HousekeepingChecksRun() {
    }

    /** AWX's gather_analytics: nothing unless INSIGHTS_TRACKING_STATE, else the bundle of jobs since the last gather. */
    static Outcome gatherAnalytics(RunContext ctx, JobStore jobs) {
        if (!ctx.settings.flag(SystemSettings.INSIGHTS_TRACKING_STATE)) {
            ctx.verbose(Analytics.NOT_ENABLED);
            return Outcome.of(JobStatus.SUCCESSFUL, "");
        }
        Optional<BundleStore> store = bundleStore();
        if (store.isEmpty()) {
            return Outcome.of(JobStatus.ERROR, "No analytics destination: neither " + S3BundleStore.BUCKET_ENV + " nor "
                    + ANALYTICS_DIR_ENV + " is set for this runner.");
        }
        Instant until = ctx.clock.instant();
        Instant since = lastGather(ctx, jobs).filter(t -> t.isAfter(until.minus(HORIZON))).orElse(until.minus(HORIZON));
        String type = "scheduled".equals(ctx.job.get(JobFields.LAUNCH_TYPE)) ? "scheduled" : "manual";
        Map<String, Object> documents = new Analytics(jobs, ctx.resources, VERSION).gather(since, until, type);
        byte[] bundle = AnalyticsBundle.tarGz(documents, ctx.variables::toJson, until);
        String where = store.get().put(AnalyticsBundle.fileName(until, ctx.job.id()), bundle);
        ctx.verbose("Gathered " + String.join(", ", documents.keySet()) + " for jobs finished from " + since + " until " + until);
        ctx.verbose("counts: " + ctx.variables.toJson(documents.get("counts")));
        ctx.verbose("Wrote " + where + " (" + bundle.length + " bytes)");
        return Outcome.of(JobStatus.SUCCESSFUL, "").with(BUNDLE, where);
    }

    /** Host counts against every organization's max_hosts; the alerts go out with the job's end (NotificationService). */
    static Outcome administrativeChecks(RunContext ctx) {
        List<AdministrativeChecks.Alert> alerts = new AdministrativeChecks(ctx.resources).hostLimits(ctx::verbose);
        return Outcome.of(JobStatus.SUCCESSFUL, "").with(AdministrativeChecks.ALERTS, AdministrativeChecks.stored(alerts));
    }

    /** When the previous gather of this template that wrote a bundle started (AWX: AUTOMATION_ANALYTICS_LAST_GATHER). */
    private static Optional<Instant> lastGather(RunContext ctx, JobStore jobs) {
        return ctx.job.longField("system_job_template").stream()
                .flatMap(t -> jobs.ofTemplate(t, 20).stream())
                .filter(j -> j.id() != ctx.job.id() && j.status() == JobStatus.SUCCESSFUL && j.get(BUNDLE) != null)
                .map(UnifiedJob::started).flatMap(Optional::stream).max(Instant::compareTo);
    }

    private static Optional<BundleStore> bundleStore() {
        String bucket = System.getenv(S3BundleStore.BUCKET_ENV);
        if (bucket != null && !bucket.isBlank()) {
            return Optional.of(new S3BundleStore(AwsClients.s3(TowerlessConfig.fromEnvironment(), Optional.empty()), bucket));
        }
        String dir = System.getenv(ANALYTICS_DIR_ENV);
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(new DirectoryBundleStore(Path.of(dir)));
    }

    /** Bundles as files of a directory, created if need be; an existing file is never replaced. */
    static final class DirectoryBundleStore implements BundleStore {
        private final Path dir;

        DirectoryBundleStore(Path dir) {
            this.dir = dir;
        }

        @Override
        public String put(String name, byte[] content) {
            try {
                Files.createDirectories(dir);
                Path file = dir.resolve(name);
                Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return file.toAbsolutePath().toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
