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
}
