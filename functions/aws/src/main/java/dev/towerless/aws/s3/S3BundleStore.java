package dev.towerless.aws.s3;

import dev.towerless.core.ports.BundleStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Analytics bundles as objects under {@code analytics/} of the stack's analytics bucket (encrypted by the bucket's default). */
public final class S3BundleStore implements BundleStore {
    /** The bucket's name, set on the system-job task by the CDK app. */
    public static final String BUCKET_ENV = "TOWERLESS_ANALYTICS_BUCKET";
    public static final String PREFIX = "analytics/";

    private final S3Client s3;
    private final String bucket;

    public S3BundleStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public String put(String name, byte[] content) {
        // If-None-Match: a rerun never replaces a bundle already written under the same name.
        s3.putObject(r -> r.bucket(bucket).key(PREFIX + name).contentType("application/gzip").ifNoneMatch("*"),
                RequestBody.fromBytes(content));
        return "s3://" + bucket + "/" + PREFIX + name;
    }
}
