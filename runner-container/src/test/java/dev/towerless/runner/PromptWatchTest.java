package dev.towerless.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PromptWatchTest {

    @Test
    void aProcessWaitingAtItsTerminalIsStoppedAndNamed() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")) && Files.isReadable(Path.of("/proc/self/syscall")),
                "needs util-linux's script and a readable /proc/<pid>/syscall");
        ProcessControl control = new ProcessControl(Duration.ofSeconds(5));
        // script gives the shell a terminal, as pexpect gives ansible one; read then waits there for ever.
        Process p = new ProcessBuilder("script", "-qec", "read answer; echo got-$answer", "/dev/null")
                .redirectErrorStream(true).start();
        control.attach(p);
        long started = System.nanoTime();
        try (PromptWatch watch = new PromptWatch(control, Clock.systemUTC(), Duration.ofSeconds(2))) {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the waiting process was stopped").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            assertThat(watch.stalled()).isTrue();
            assertThat(watch.explanation()).hasValueSatisfying(e -> assertThat(e)
                    .startsWith("Job stopped: ").endsWith(" waited 2 s at a terminal prompt that nothing answers."));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void aBusyProcessIsNotAPrompt() throws Exception {
        ProcessControl control = new ProcessControl(Duration.ofSeconds(5));
        Process p = new ProcessBuilder("script", "-qec", "sleep 4", "/dev/null").redirectErrorStream(true).start();
        control.attach(p);
        try (PromptWatch watch = new PromptWatch(control, Clock.systemUTC(), Duration.ofSeconds(2))) {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(watch.stalled()).isFalse();
            assertThat(watch.explanation()).isEmpty();
        }
    }

    @Test
    void theOutputOfAFailedRunSaysWhichPromptFailedIt() {
        assertThat(explain("Enter passphrase for /tmp/tl-1-x/artifacts/1/ssh_key_data: ",
                "Bad passphrase, try again for /tmp/tl-1-x/artifacts/1/ssh_key_data: "))
                .contains("passphrase (ssh_key_unlock) is wrong");
        assertThat(explain("Enter passphrase for /tmp/tl-1-x/artifacts/1/ssh_key_data: "))
                .contains("protected by a passphrase and the job has none for it (ssh_key_unlock)");
        assertThat(explain("Enter passphrase for /k: ", "Identity added: /k (me)", "fatal: [h]: FAILED! => {\"msg\": \"x\"}"))
                .isEmpty();
        assertThat(explain("fatal: [target]: FAILED! => {\"msg\": \"Missing sudo password\"}"))
                .contains("asked for a sudo password and the credential has no become password (become_password)");
        assertThat(explain("fatal: [target]: UNREACHABLE! => {\"msg\": \"Failed to connect to the host via ssh: "
                + "u@127.0.0.1: Permission denied (publickey,password).\", \"unreachable\": true}"))
                .contains("The host refused the SSH login (Permission denied (publickey,password))");
        // The same words from a task's own output do not blame the credential.
        assertThat(explain("fatal: [h]: FAILED! => {\"stderr\": \"git@github.com: Permission denied (publickey).\"}")).isEmpty();
    }

    private static String explain(String... lines) {
        ProcessControl idle = new ProcessControl(Duration.ofSeconds(1));
        try (PromptWatch watch = new PromptWatch(idle, Clock.systemUTC(), Duration.ofSeconds(20))) {
            for (String line : lines) {
                watch.observe(line);
            }
            return watch.explanation().orElse("");
        }
    }
    /** A wrong passphrase whose "Bad passphrase, try again" prompt never reached a line end is still called wrong. */
    @Test
    void aPassphraseAskedAndNotAcceptedIsWrongWhenOneWasGivenAndMissingWhenNot() {
        ProcessControl idle = new ProcessControl(Duration.ofSeconds(1));
        for (boolean given : new boolean[]{true, false}) {
            try (PromptWatch watch = new PromptWatch(idle, Clock.systemUTC(), Duration.ofSeconds(20), given)) {
                watch.observe("Enter passphrase for /tmp/pd/artifacts/7/ssh_key_data: ");
                assertThat(watch.explanation().orElse("")).as("passphrase given: " + given).contains(given
                        ? "The SSH private key's passphrase (ssh_key_unlock) is wrong"
                        : "the job has none for it (ssh_key_unlock)");
            }
        }
    }
}
