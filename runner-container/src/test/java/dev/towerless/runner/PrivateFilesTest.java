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
}
