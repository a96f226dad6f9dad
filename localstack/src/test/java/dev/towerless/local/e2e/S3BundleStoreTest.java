package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.towerless.local.MotoServer;
import dev.towerless.aws.s3.S3BundleStore;
import dev.towerless.core.housekeeping.AnalyticsBundle;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** gather_analytics' S3 writer against moto_server's S3: the bundle lands under analytics/, byte for byte, and is never replaced. */
class S3BundleStoreTest {
    private static Optional<MotoServer> moto = Optional.empty();
    private static S3Client s3;

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

    @Test
    void aBundleIsPutUnderAnalyticsAndReadsBackTheSame() {
        assumeTrue(moto.isPresent(), "moto_server is not installed (pip install 'moto[server]'); the S3 writer is not tried");
        s3.createBucket(r -> r.bucket("towerless-analytics"));
        Instant at = Instant.parse("2026-12-01T02:00:00Z");
        byte[] bundle = AnalyticsBundle.tarGz(Map.of("counts", Map.of("host", 3)), v -> "{\"host\":3}", at);
        String name = AnalyticsBundle.fileName(at, 42);
        String where = new S3BundleStore(s3, "towerless-analytics").put(name, bundle);
        assertThat(where).isEqualTo("s3://towerless-analytics/analytics/towerless-analytics-2026-12-01-020000+0000-42.tar.gz");
        byte[] back = s3.getObjectAsBytes(r -> r.bucket("towerless-analytics").key("analytics/" + name)).asByteArray();
        assertThat(back).isEqualTo(bundle);
        assertThat(s3.headObject(r -> r.bucket("towerless-analytics").key("analytics/" + name)).contentType())
                .isEqualTo("application/gzip");
        assertThatThrownBy(() -> new S3BundleStore(s3, "towerless-analytics").put(name, new byte[] {1}))
                .as("a second bundle of the same name does not replace the first").isInstanceOf(S3Exception.class);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("towerless-analytics").key("analytics/" + name)).asByteArray()).isEqualTo(bundle);
    }
}
