package dev.towerless.aws.s3;

import dev.towerless.core.ports.DownloadStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Stdout downloads as objects of the stack's stdout bucket (encrypted by the bucket's default,
 * expired after a day by its lifecycle rule). A download is uploaded a part at a time, so the API
 * function holds one part ({@link #PART_BYTES}) of it, never the whole; a failed upload is aborted.
 * URLs are presigned with the function's own role, so they open only what that role may read.
 */
public final class S3DownloadStore implements DownloadStore {
    /** The bucket's name, set on the Api function by the CDK app; unset, downloads stream. */
    public static final String BUCKET_ENV = "TOWERLESS_STDOUT_BUCKET";
    /** A download whose API response would be larger goes through the bucket (StdoutDownloads.DEFAULT_THRESHOLD if unset). */
    public static final String THRESHOLD_ENV = "TOWERLESS_STDOUT_REDIRECT_BYTES";
    /** S3 takes parts of 5 MiB or more (but the last); 10,000 parts of 8 MiB hold 80 GiB. */
    static final int PART_BYTES = 8 * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3DownloadStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
        // The presigner signs as the client does: its region, credentials, endpoint (moto's locally) and path style.
        var client = s3.serviceClientConfiguration();
        S3Presigner.Builder b = S3Presigner.builder().s3Client(s3).region(client.region())
                .credentialsProvider(client.credentialsProvider());
        client.endpointOverride().ifPresent(endpoint -> b.endpointOverride(endpoint)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        this.presigner = b.build();
    }

    @Override
    public void put(String key, InputStream content, String contentType, String filename) throws IOException {
        String disposition = "attachment; filename=\"" + filename + "\"";
        byte[] part = new byte[PART_BYTES];
        int n = content.readNBytes(part, 0, PART_BYTES);
        if (n < PART_BYTES) {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType).contentDisposition(disposition),
                    RequestBody.fromBytes(java.util.Arrays.copyOf(part, n)));
            return;
        }
        String upload = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)
                .contentDisposition(disposition)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            while (n > 0) {
                int number = parts.size() + 1;
                int length = n;
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(upload).partNumber(number)
                        .contentLength((long) length), RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(part, 0, length))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                n = content.readNBytes(part, 0, PART_BYTES);
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(upload)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (IOException | RuntimeException e) {
            // Nothing half-written is left to serve, nor parts to pay for (the lifecycle rule would also remove them in a day).
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(upload));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    @Override
    public boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public URI url(String key, Duration lifetime) {
        return URI.create(presigner.presignGetObject(r -> r.signatureDuration(lifetime)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString());
    }
}
