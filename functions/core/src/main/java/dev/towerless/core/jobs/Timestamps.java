package dev.towerless.core.jobs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * AWX renders times as ISO-8601 UTC with microseconds ({@code 2026-11-28T03:54:14.123456Z}).
 * Stored in the same fixed-width form, they also sort correctly as strings.
 */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    public static Instant parse(String text) {
        return Instant.parse(text);
    }

    /** Seconds between two instants with AWX's three decimals. */
    public static double elapsedSeconds(Instant start, Instant end) {
        long micros = ChronoUnit.MICROS.between(start, end);
        return Math.round(micros / 1000.0) / 1000.0;
    }
}
