package dev.towerless.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.ports.DownloadStore;
import dev.towerless.core.ports.contract.DownloadStoreContract;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory fake the core's tests use passes the same contract as the S3 adapter (on moto). */
class FakeDownloadStoreTest extends DownloadStoreContract {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final FakeDownloadStore store = new FakeDownloadStore(clock);

    @Override
    protected DownloadStore store() {
        return store;
    }

    @Override
    protected Fetched fetch(URI url) {
        return store.fetch(url).map(s -> new Fetched(200, s.content(), s.contentType(),
                "attachment; filename=\"" + s.filename() + "\"")).orElse(new Fetched(403, new byte[0], null, null));
    }

    @Test
    void itsUrlsExpire() throws Exception {
        store.put("stdout/job/1/txt_download", new java.io.ByteArrayInputStream(new byte[] {'x'}), "text/plain", "job_1.txt");
        URI url = store.url("stdout/job/1/txt_download", Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(6));
        assertThat(fetch(url).status()).isEqualTo(403);
    }
}
