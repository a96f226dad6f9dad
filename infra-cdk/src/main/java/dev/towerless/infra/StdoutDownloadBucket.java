package dev.towerless.infra;

import dev.towerless.aws.s3.S3DownloadStore;
import dev.towerless.core.jobs.StdoutDownloads;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Where the API writes stdout downloads too large for one Lambda response (6 MB) and answers a
 * 302 to a presigned URL of them (docs/events-and-stdout.md). Encrypted (S3-managed keys), TLS
 * only, never public; every object expires after a day, so the bucket holds copies that are cheap
 * to make again, never data. The Api function may write, read and abort uploads under
 * {@code stdout/} only; it presigns with its own role, so a URL opens nothing that role could not.
 */
final class StdoutDownloadBucket extends Construct {
    /** The response size over which a download goes through the bucket: under Lambda's 6 MB limit. */
    static final long THRESHOLD = StdoutDownloads.DEFAULT_THRESHOLD;

    final Bucket bucket;

    StdoutDownloadBucket(Construct scope, String id, Alias api) {
        super(scope, id);
        bucket = Bucket.Builder.create(this, "Bucket")
                .encryption(BucketEncryption.S3_MANAGED).enforceSsl(true).blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder().id("expire-downloads").prefix(StdoutDownloads.PREFIX)
                        .expiration(Duration.days(1)).abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                // RETAIN: CloudFormation cannot delete a bucket that still holds objects, and emptying it on delete
                // would take a custom-resource function of its own; left behind, it empties itself within a day.
                .removalPolicy(RemovalPolicy.RETAIN).build();
        Nag.explain(bucket, "AwsSolutions-S1", "Only the Api function writes here, copies of stdout that expire in a day; "
                + "CloudTrail records its calls, and a bucket of access logs would outlive what it logs.");

        Function function = (Function) api.getVersion().getLambda();
        // Set before synthesis, so the published version (and its SnapStart snapshot) has them.
        function.addEnvironment(S3DownloadStore.BUCKET_ENV, bucket.getBucketName());
        function.addEnvironment(S3DownloadStore.THRESHOLD_ENV, Long.toString(THRESHOLD));
        // PutObject covers the multipart calls but their abort; GetObject the HEAD that finds a finished job's download.
        function.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"))
                .resources(List.of(bucket.arnForObjects(StdoutDownloads.PREFIX + "*"))).build());
        // Without ListBucket S3 answers a HEAD of a missing key 403, not 404; the bucket lists only download keys.
        function.addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("s3:ListBucket"))
                .resources(List.of(bucket.getBucketArn())).build());
        // The finding names the bucket by its logical id (from the construct path StdoutDownloads/Bucket).
        Nag.explain(function, "AwsSolutions-IAM5[Resource::<StdoutDownloadsBucket92BAFCA8.Arn>/stdout/*]", "Each download's key "
                + "carries its job's type and id, known only at request time; the prefix is the bucket's only use.");
    }

}
