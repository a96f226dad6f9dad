package dev.towerless.core.testing;

import dev.towerless.core.ports.DownloadStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Downloads in memory; its URLs ({@code memory:}) are followed by {@link #fetch}, which honours their expiry. */
public final class FakeDownloadStore implements DownloadStore {
    public record Stored(byte[] content, String contentType, String filename) {
    }

    private final Map<String, Stored> objects = new ConcurrentHashMap<>();
    private final AtomicInteger puts = new AtomicInteger();
    private final Clock clock;

    public FakeDownloadStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void put(String key, InputStream content, String contentType, String filename) throws IOException {
        byte[] all = content.readAllBytes(); // throws before anything is stored, as an aborted upload
        objects.put(key, new Stored(all, contentType, filename));
        puts.incrementAndGet();
    }

    @Override
    public boolean exists(String key) {
        return objects.containsKey(key);
    }

    @Override
    public URI url(String key, Duration lifetime) {
        return URI.create("memory:" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "?expires="
                + clock.instant().plus(lifetime).toEpochMilli());
    }

    /** What following {@code url} answers now: empty if it has expired or names nothing. */
    public Optional<Stored> fetch(URI url) {
        String[] parts = url.getSchemeSpecificPart().split("\\?expires=");
        if (!"memory".equals(url.getScheme()) || parts.length != 2
                || clock.instant().isAfter(Instant.ofEpochMilli(Long.parseLong(parts[1])))) {
            return Optional.empty();
        }
        return Optional.ofNullable(objects.get(URLDecoder.decode(parts[0], StandardCharsets.UTF_8)));
    }

    /** How many downloads were written. */
    public int puts() {
        return puts.get();
    }

    public java.util.Set<String> keys() {
        return objects.keySet();
    }
}
