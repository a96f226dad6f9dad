package dev.towerless.app;

import dev.towerless.aws.config.AwsClients;
import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.s3.S3DownloadStore;
import dev.towerless.core.jobs.StdoutDownloads;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * Where large stdout downloads go: with {@value S3DownloadStore#BUCKET_ENV} set (the Api function on
 * AWS) a download over {@value S3DownloadStore#THRESHOLD_ENV} bytes (default
 * {@link StdoutDownloads#DEFAULT_THRESHOLD}, under Lambda's 6 MB response limit) is written there and
 * answered with a redirect; without it (the local stack) every download streams.
 */
@Factory
public class StdoutDownloadsFactory {

    @Singleton
    StdoutDownloads stdoutDownloads(Environment environment, TowerlessConfig config, Clock clock) {
        Optional<String> bucket = setting(environment, S3DownloadStore.BUCKET_ENV);
        if (bucket.isEmpty()) {
            return StdoutDownloads.streaming();
        }
        long threshold = setting(environment, S3DownloadStore.THRESHOLD_ENV).map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException(S3DownloadStore.THRESHOLD_ENV + " must be a number of bytes, not \"" + v + "\"");
            }
        }).orElse(StdoutDownloads.DEFAULT_THRESHOLD);
        Optional<URI> endpoint = setting(environment, "AWS_ENDPOINT_URL_S3").map(URI::create);
        return StdoutDownloads.redirectingOver(threshold, new S3DownloadStore(AwsClients.s3(config, endpoint), bucket.get()), clock);
    }

    /** As the other settings: a property (the local stack) or the environment (Lambda). */
    private static Optional<String> setting(Environment environment, String name) {
        return environment.getProperty(TowerlessFactory.propertyName(name), String.class)
                .or(() -> Optional.ofNullable(System.getenv(name))).filter(v -> !v.isBlank());
    }
}
