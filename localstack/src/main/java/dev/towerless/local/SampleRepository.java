package dev.towerless.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Turns the shipped sample playbooks into a real bare git repository (file:// URL). */
public final class SampleRepository {
    private SampleRepository() {
    }

    public static String create(Path sampleDir, Path target) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("towerless-sample-");
        try (Stream<Path> files = Files.walk(sampleDir)) {
            for (Path f : files.toList()) {
                Path copy = work.resolve(sampleDir.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(f, copy);
                }
            }
        }
        git(work, "init", "--quiet", "--initial-branch=main");
        git(work, "add", ".");
        git(work, "-c", "user.name=Towerless", "-c", "user.email=demo@towerless.invalid", "commit", "--quiet",
                "-m", "Sample playbooks");
        if (Files.exists(target)) {
            try (Stream<Path> walk = Files.walk(target)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(target.getParent());
        git(work.getParent(), "clone", "--quiet", "--bare", work.toString(), target.toString());
        return target.toUri().toString();
    }

    /** Finds {@code localstack/sample-project} from the project or module directory. */
    public static Path sampleDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path c : List.of(p.resolve("sample-project"), p.resolve("localstack/sample-project"))) {
                if (Files.exists(c.resolve("hello.yml"))) {
                    return c;
                }
            }
        }
        throw new IllegalStateException("localstack/sample-project not found");
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed: " + out);
        }
    }
}
