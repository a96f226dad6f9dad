package dev.towerless.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The shaded runner jar the container image runs ({@code runner-container/target/towerless-runner.jar}),
 * if the build produced one that is newer than the runner's classes. Running it rather than the
 * module classpath is closer to Fargate and lets class data sharing work.
 */
final class RunnerJar {
    private RunnerJar() {
    }

    static Optional<Path> locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path target = p.resolve("runner-container/target");
            Path jar = target.resolve("towerless-runner.jar");
            if (Files.isRegularFile(jar)) {
                return isFresh(jar, target.resolve("classes")) ? Optional.of(jar) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean isFresh(Path jar, Path classes) {
        long built = jar.toFile().lastModified();
        try (Stream<Path> files = Files.walk(classes)) {
            return files.noneMatch(f -> f.toFile().lastModified() > built);
        } catch (IOException e) {
            return false;
        }
    }
}
