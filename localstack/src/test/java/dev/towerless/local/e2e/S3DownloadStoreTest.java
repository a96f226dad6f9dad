package dev.towerless.local.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.towerless.local.MotoServer;
import dev.towerless.aws.s3.S3DownloadStore;
import dev.towerless.core.ports.DownloadStore;
import dev.towerless.core.ports.contract.DownloadStoreContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 adapter of the download store against moto_server's S3, through the same contract as the
 * core's fake: multipart uploads, aborted ones, and presigned URLs followed by a plain HTTP client.
 */
class S3DownloadStoreTest extends DownloadStoreContract {
    private static Optional<MotoServer> moto = Optional.empty();
    private static S3Client s3;
    private static int buckets;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        if (moto.isPresent()) {
            s3 = moto.get().s3();
        }
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        moto.ifPresent(MotoServer::close);
    }

    @Override
    protected DownloadStore store() {
        assumeTrue(moto.isPresent(), "moto_server is not installed (pip install 'moto[server]'); the S3 adapter is not tried");
        String bucket = "towerless-stdout-" + (++buckets); // a bucket per test: each starts empty
        s3.createBucket(r -> r.bucket(bucket));
        return new S3DownloadStore(s3, bucket);
    }

    @Override
    protected Fetched fetch(URI url) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Fetched(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null),
                r.headers().firstValue("Content-Disposition").orElse(null));
    }
}
