package dev.towerless.core.housekeeping;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * AWX's analytics bundle (analytics/core.py package): a {@code .tar.gz} of one JSON file per
 * collector, {@code ./config.json} …, and {@code ./manifest.json} naming each file's collector
 * version. Written as POSIX ustar, which {@code tar} and Python's tarfile read.
 */
public final class AnalyticsBundle {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss").withZone(ZoneOffset.UTC);

    private AnalyticsBundle() {
    }

    /** AWX names its bundles {@code <uuid>-<timestamp>-<index>.tar.gz}; here the job's id stands for the index. */
    public static String fileName(Instant at, long jobId) {
        return "towerless-analytics-" + STAMP.format(at) + "+0000-" + jobId + ".tar.gz";
    }

    public static byte[] tarGz(Map<String, Object> documents, Function<Object, String> json, Instant at) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> manifest = new LinkedHashMap<>();
        documents.forEach((name, doc) -> {
            files.put("./" + name + ".json", json.apply(doc));
            manifest.put(name + ".json", Analytics.COLLECTORS.stream().filter(c -> c.name().equals(name))
                    .map(Analytics.Collector::version).findFirst().orElse("1.0"));
        });
        files.put("./manifest.json", json.apply(manifest));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                gz.write(header(f.getKey(), content.length, at.getEpochSecond()));
                gz.write(content);
                gz.write(new byte[(512 - content.length % 512) % 512]);
            }
            gz.write(new byte[1024]); // two empty blocks end the archive
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] header(String name, long size, long mtime) {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", size), 12);
        put(h, 136, String.format("%011o", mtime), 12);
        java.util.Arrays.fill(h, 148, 156, (byte) ' '); // the checksum counts its own field as spaces
        h[156] = '0';
        put(h, 257, "ustar", 6);
        put(h, 263, "00", 2);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int at, String value, int length) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        if (v.length > length) {
            throw new IllegalArgumentException("tar field too long: " + value);
        }
        System.arraycopy(v, 0, h, at, v.length);
    }
}
