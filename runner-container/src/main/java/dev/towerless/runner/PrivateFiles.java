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

    /**
     * Reads a file the run's untrusted code may have written (an artifact, ansible-inventory's
     * output) as the runner, who may be root: only if it is a regular file really inside
     * {@code root}, never through a symlink, and at most {@code maxBytes}. A playbook that swaps
     * it for a link to the runner's {@code /proc/self/environ} gets nothing read.
     */
    static java.util.Optional<String> readInside(Path root, Path file, long maxBytes) {
        try {
            if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    || !file.toRealPath().startsWith(root.toRealPath()) || Files.size(file) > maxBytes) {
                return java.util.Optional.empty();
            }
            try (java.nio.channels.SeekableByteChannel in = Files.newByteChannel(file, java.nio.file.StandardOpenOption.READ,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(maxBytes, Math.max(0, in.size())));
                while (buffer.hasRemaining() && in.read(buffer) > 0) {
                    // read it all
                }
                return java.util.Optional.of(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
            }
        } catch (IOException | SecurityException e) {
            return java.util.Optional.empty();
        }
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
