package dev.towerless.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.towerless.core.settings.JinjaInExtraVars;
import dev.towerless.core.templating.ExtraVarsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The extra vars file as ansible itself reads it: its own YAML loader (PyYAML, through
 * ansible-core) and its templating. The core test reads the file with another parser; this one
 * proves that what ansible sees is what we meant, long keys and odd characters included.
 */
class ExtraVarsFileAnsibleTest {
    private static final String JINJA = "{{ lookup('pipe','id') }}";

    @Test
    void ansibleLoadsTheFileAndTemplatesOnlyWhatIsTrusted() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ansible")), "ansible-core is not installed (./towerless test installs it)");
        String longKey = "k".repeat(2000);
        String odd = "quote\" backslash\\ newline\n ls\u2028 bom\uFEFF c1\u0090 emoji\uD83D\uDE00 中文 <>&*!|";
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("payload", JINJA);
        vars.put("own", "{{ 40 + 2 }}");
        vars.put("nested", Map.of("list", List.of(JINJA, Map.of(JINJA, JINJA))));
        vars.put(longKey, odd);
        vars.put("number", 7);
        Path dir = PrivateFiles.createDirectory("towerless-extravars-");
        try {
            Path file = PrivateFiles.write(dir.resolve("extravars"),
                    ExtraVarsFile.forRun(vars, Map.of("own", "{{ 40 + 2 }}"), JinjaInExtraVars.TEMPLATE, Map.of()));
            // ansible's debug templates msg: a trusted value is evaluated, an unsafe one shown as written.
            String out = ansible(dir, file, "msg={{ [payload, own, nested, number, lookup('vars', '" + longKey + "') == odd] }}",
                    PrivateFiles.write(dir.resolve("odd.json"), "{\"odd\": " + json(odd) + "}"));
            assertThat(out).contains("\"{{ lookup('pipe','id') }}\": \"{{ lookup('pipe','id') }}\"", "\"42\"")
                    .containsPattern("7,\\s+true\\s+]").doesNotContain("uid=");

            Path always = PrivateFiles.write(dir.resolve("always"),
                    ExtraVarsFile.forRun(Map.of("own", "{{ 40 + 2 }}"), Map.of(), JinjaInExtraVars.ALWAYS, Map.of()));
            assertThat(ansible(dir, always, "msg={{ own }}")).contains("\"msg\": \"42\"");
            Path never = PrivateFiles.write(dir.resolve("never"),
                    ExtraVarsFile.forRun(Map.of("own", "{{ 40 + 2 }}"), Map.of("own", "{{ 40 + 2 }}"), JinjaInExtraVars.NEVER, Map.of()));
            assertThat(ansible(dir, never, "msg={{ own }}")).contains("\"msg\": \"{{ 40 + 2 }}\"");
        } finally {
            PrivateFiles.deleteTree(dir);
        }
    }

    private static String ansible(Path dir, Path extraVars, String debugArgs, Path... moreVars) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ansible", "localhost", "-c", "local", "-m", "debug", "-a", debugArgs,
                "-e", "@" + extraVars));
        for (Path v : moreVars) {
            cmd.addAll(List.of("-e", "@" + v));
        }
        StringBuilder out = new StringBuilder();
        ProcessRunner.Result r = ProcessRunner.run(cmd, dir, Map.of("ANSIBLE_LOCALHOST_WARNING", "False",
                "ANSIBLE_INVENTORY_UNPARSED_WARNING", "False", "ANSIBLE_NOCOLOR", "True"), Duration.ofSeconds(60),
                line -> out.append(line).append('\n'), true, null);
        assertThat(r.exitCode()).as(out.toString()).isZero();
        return out.toString();
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                b.append('\\').append((char) c);
            } else if (c < 0x20 || c > 0x7E) {
                if (c > 0xFFFF) {
                    for (char ch : Character.toChars(c)) {
                        b.append(String.format("\\u%04x", (int) ch));
                    }
                } else {
                    b.append(String.format("\\u%04x", c));
                }
            } else {
                b.append((char) c);
            }
        });
        return b.append('"').toString();
    }
}
