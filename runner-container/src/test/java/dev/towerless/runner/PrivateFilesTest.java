package dev.towerless.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class PrivateFilesTest {

    @Test
    void secretsAreWrittenReadableOnlyByTheRunnerInADirectoryOnlyItCanEnter() throws Exception {
        Path dir = PrivateFiles.createDirectory("towerless-test-");
        try {
            Path key = PrivateFiles.write(dir.resolve("env/ssh_key"), "-----BEGIN KEY-----\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            // Rewriting keeps the permissions (the file is recreated, never widened).
            PrivateFiles.write(key, "other");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        } finally {
            PrivateFiles.deleteTree(dir);
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void commandLineArgumentsAreQuotedForAnsibleRunnersShlex() {
        assertThat(PlaybookRun.shellQuote("web1,web2")).isEqualTo("web1,web2");
        assertThat(PlaybookRun.shellQuote("it's a tag")).isEqualTo("'it'\"'\"'s a tag'");
    }

    @Test
    void ansibleRunnerEventsAreParsedRedactedAndStampedInUtc() {
        AnsibleEvents events = new AnsibleEvents(5, new dev.towerless.core.security.Redactor(java.util.List.of("pa55word")));
        var e = events.parse("{\"uuid\":\"u\",\"counter\":7,\"stdout\":\"\\r\\nok: pa55word\",\"start_line\":3,\"end_line\":5,"
                + "\"event\":\"runner_on_failed\",\"created\":\"2026-11-28T04:07:30.304593\",\"parent_uuid\":\"p\","
                + "\"event_data\":{\"host\":\"web1\",\"task\":\"t\",\"play\":\"p\",\"res\":{\"msg\":\"pa55word\",\"changed\":true}}}");
        assertThat(e.counter()).isEqualTo(7);
        assertThat(e.stdout()).isEqualTo("\nok: $encrypted$");
        assertThat(e.eventData().toString()).doesNotContain("pa55word").contains("parent_uuid=p");
        assertThat(e.failed()).isTrue();
        assertThat(e.changed()).isTrue();
        assertThat(e.host()).isEqualTo("web1");
        assertThat(e.created()).isEqualTo("2026-11-28T04:07:30.304593Z");
        assertThat(events.parse("PLAY RECAP")).isNull();
    }

    @org.junit.jupiter.api.Test
    void aFileTheRunReplacedWithALinkIsNotReadThroughIt() throws Exception {
        java.nio.file.Path root = PrivateFiles.createDirectory("towerless-readinside-");
        try {
            java.nio.file.Path outside = java.nio.file.Files.createTempFile("towerless-outside-", ".txt");
            java.nio.file.Files.writeString(outside, "RUNNER-ONLY");
            java.nio.file.Files.createDirectories(root.resolve("artifacts"));
            java.nio.file.Files.createSymbolicLink(root.resolve("artifacts/rc"), outside);
            java.nio.file.Files.createSymbolicLink(root.resolve("linked-dir"), outside.getParent());
            PrivateFiles.write(root.resolve("artifacts/status"), "successful\n");
            org.assertj.core.api.Assertions.assertThat(PrivateFiles.readInside(root, root.resolve("artifacts/rc"), 100)).isEmpty();
            org.assertj.core.api.Assertions.assertThat(PrivateFiles.readInside(root,
                    root.resolve("linked-dir").resolve(outside.getFileName()), 100)).isEmpty();
            org.assertj.core.api.Assertions.assertThat(PrivateFiles.readInside(root, root.resolve("artifacts/status"), 100))
                    .contains("successful\n");
            org.assertj.core.api.Assertions.assertThat(PrivateFiles.readInside(root, root.resolve("artifacts/status"), 3)).isEmpty();
            java.nio.file.Files.delete(outside);
        } finally {
            PrivateFiles.deleteTree(root);
        }
    }
}
