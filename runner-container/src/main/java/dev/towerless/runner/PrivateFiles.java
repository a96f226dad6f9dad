package dev.towerless.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Files only the runner's user can read (0600) in a directory only it can enter (0700). */
final class PrivateFiles {
    private PrivateFiles() {
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * A fresh directory in the temp dir, named {@code prefix} and 8 random characters. Short on
     * purpose: ansible-runner looks for a prompt in the last 100 characters of output only, and
     * ssh-add's passphrase prompt quotes the key's path inside this directory.
     */
    static Path createDirectory(String prefix) throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        while (true) {
            StringBuilder name = new StringBuilder(prefix);
            for (int i = 0; i < 8; i++) {
                name.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(RANDOM.nextInt(36)));
            }
            try {
                return Files.createDirectory(base.resolve(name.toString()),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // another run drew the same name: draw again
            }
        }
    }

    static Path mkdirs(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is removed with the container
        }
    }
}
