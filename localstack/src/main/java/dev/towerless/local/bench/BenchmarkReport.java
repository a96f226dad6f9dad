package dev.towerless.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docs/benchmarks.md as "## " sections; a run replaces its own sections and keeps the rest. */
final class BenchmarkReport {
    private BenchmarkReport() {
    }

    static void upsert(Path file, String newSections) throws IOException {
        Map<String, String> sections = new LinkedHashMap<>();
        if (Files.exists(file)) {
            sections.putAll(split(Files.readString(file)));
        }
        sections.putAll(split(newSections));
        StringBuilder out = new StringBuilder("# Benchmarks\n\n")
                .append("Measured with `./towerless bench` (jobs) and `./towerless bench heartbeats` on this project's machine ")
                .append("kind (2 cores, 24 GiB) on the embedded local stack (dynalite + fauxqs, runners as child JVMs). ")
                .append("Each section was last run on the date it gives.\n\n");
        sections.values().forEach(out::append);
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
    }

    private static Map<String, String> split(String text) {
        Map<String, String> sections = new LinkedHashMap<>();
        String[] parts = text.split("(?m)^(?=## )");
        for (String part : parts) {
            if (part.startsWith("## ")) {
                String heading = part.substring(0, part.indexOf('\n')).replaceAll("\\s*\\(.*$", "").trim();
                sections.put(heading, part.endsWith("\n\n") ? part : part.stripTrailing() + "\n\n");
            }
        }
        return sections;
    }

    static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    /** The p-th percentile (nearest rank) of some timings. */
    static double pct(List<Double> xs, int p) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }

    /** Milliseconds as the reports print them. */
    static String ms(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", v);
    }

    /** The machine's one-minute load average, for the report: numbers taken on a shared machine say how shared. */
    static String loadAverage() {
        double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "unknown" : String.format(java.util.Locale.ROOT, "%.1f", l);
    }
}
