package dev.towerless.core.ports;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

/**
 * Where a stdout download too large for one API response is written, to be fetched by a
 * short-lived URL instead (an S3 bucket on AWS: Lambda answers at most 6 MB). Contract:
 * {@code DownloadStoreContract} in the core's test jar.
 */
public interface DownloadStore {

    /**
     * Stores everything {@code content} yields under {@code key}, replacing what was there, read a part
     * at a time so that no copy of the whole download is held. A URL for the key later answers it with
     * {@code contentType} and {@code Content-Disposition: attachment; filename="<filename>"}. If reading
     * the content fails nothing is stored under the key (no half download is ever served).
     */
    void put(String key, InputStream content, String contentType, String filename) throws IOException;

    /** True if a complete download is stored under {@code key}. */
    boolean exists(String key);

    /** A URL anyone holding it can GET the download under {@code key} with, for {@code lifetime}. */
    URI url(String key, Duration lifetime);
}
