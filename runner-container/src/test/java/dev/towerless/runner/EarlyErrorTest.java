package dev.towerless.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyErrorTest {
    @Test
    void ansiblesErrorBeforeItsFirstEventIsTheExplanationWithoutColours() {
        assertThat(PlaybookRun.earlyError(List.of("\u001B[1;35m[WARNING]: Could not match supplied host pattern, ignoring: x\u001B[0m",
                "\u001B[0;31mERROR! Specified inventory, host pattern and/or --limit leaves us with no hosts to target.\u001B[0m")))
                .isEqualTo("ERROR! Specified inventory, host pattern and/or --limit leaves us with no hosts to target.");
        assertThat(PlaybookRun.earlyError(List.of("noise", "ERROR! We were unable to read either as JSON nor YAML", "",
                "  did not find expected ',' or ']'"))).startsWith("ERROR! We were unable").endsWith("or ']'");
        assertThat(PlaybookRun.earlyError(List.of("a", "b"))).isEqualTo("a\nb");
    }

    @Test
    void passwordPromptsAnsweredByPexpectAreNotOutput() throws Exception {
        java.lang.reflect.Field f = PlaybookRun.class.getDeclaredField("PROMPT");
        f.setAccessible(true);
        java.util.regex.Pattern prompt = (java.util.regex.Pattern) f.get(null);
        assertThat(prompt.matcher("SSH password: ").matches()).isTrue();
        assertThat(prompt.matcher("BECOME password[defaults to SSH password]:").matches()).isTrue();
        assertThat(prompt.matcher("Enter passphrase for /tmp/x/ssh_key_data: ").matches()).isTrue();
        assertThat(prompt.matcher("ERROR! Specified inventory, host pattern and/or --limit leaves us with no hosts to target.")
                .matches()).isFalse();
    }
}
