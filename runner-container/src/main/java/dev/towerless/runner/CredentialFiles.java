package dev.towerless.runner;

import dev.towerless.core.credentials.CustomCredentialTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an injector's files for one credential go: the run's private data dir, mode 0600, named
 * by the credential. The injectors write through a callback that cannot throw, so a failed write
 * is kept and {@link #check()} rethrows it once the injection is rendered.
 */
final class CredentialFiles implements CustomCredentialTypes.FileWriter {
    private final Path dir;
    private final long credentialId;
    private final List<IOException> failures = new ArrayList<>();

    private CredentialFiles(Path dir, long credentialId) {
        this.dir = dir;
        this.credentialId = credentialId;
    }

    static CredentialFiles of(RunContext ctx, long credentialId) throws IOException {
        return new CredentialFiles(PrivateFiles.mkdirs(ctx.privateDir.resolve("credentials")), credentialId);
    }

    @Override
    public String write(String name, String content) {
        Path file = dir.resolve("credential-" + credentialId + "-" + name);
        try {
            PrivateFiles.write(file, content);
        } catch (IOException e) {
            failures.add(e);
        }
        return file.toString();
    }

    /** Throws the first write that failed, if any. */
    void check() throws IOException {
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
