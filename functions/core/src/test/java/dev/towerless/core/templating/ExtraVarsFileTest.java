package dev.towerless.core.templating;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.settings.JinjaInExtraVars;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The extra vars file read back by a real YAML parser that keeps {@code !unsafe} visible: what
 * ansible would refuse to template arrives as {@link Unsafe}, everything else as its own type.
 */
class ExtraVarsFileTest {
    private static final String JINJA = "{{ lookup('pipe','id') }}";

    /** A string ansible will not template. */
    record Unsafe(String text) {
    }

    private static Map<Object, Object> read(String yaml) {
        SafeConstructor constructor = new SafeConstructor(new LoaderOptions()) {
            {
                this.yamlConstructors.put(new Tag("!unsafe"), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        return new Unsafe(((ScalarNode) node).getValue());
                    }
                });
            }
        };
        return new Yaml(constructor).load(yaml);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aLaunchTimeValueIsTaggedKeyAndValueWhileTheTemplatesOwnIsPlain() {
        String yaml = ExtraVarsFile.safeDump(map("payload", JINJA, "greeting", "{{ who }}"),
                map("greeting", "{{ who }}"));
        assertThat(read(yaml)).containsExactly(
                Map.entry(new Unsafe("payload"), new Unsafe(JINJA)),
                Map.entry("greeting", "{{ who }}"));
        assertThat(yaml).contains("!unsafe \"payload\": !unsafe \"{{ lookup('pipe','id') }}\"");
    }

    @Test
    void aValueThatDiffersFromTheTemplatesIsUnsafeAllTheWayDownKeysIncluded() {
        Map<String, Object> nested = map("inner", map("deep", JINJA, "list", List.of("a", map("k", "v"), List.of("x"))),
                "n", 3);
        String yaml = ExtraVarsFile.safeDump(map("outer", nested), map("outer", map("inner", "something else")));
        Map<Object, Object> outer = asMap(read(yaml).get(new Unsafe("outer")));
        Map<Object, Object> inner = asMap(outer.get(new Unsafe("inner")));
        assertThat(inner.get(new Unsafe("deep"))).isEqualTo(new Unsafe(JINJA));
        assertThat(inner.get(new Unsafe("list"))).isEqualTo(List.of(new Unsafe("a"),
                Map.of(new Unsafe("k"), new Unsafe("v")), List.of(new Unsafe("x"))));
        assertThat(outer.get(new Unsafe("n"))).isEqualTo(3);
    }

    @Test
    void nonStringScalarsKeepTheirTypesAndAreNeverTagged() {
        Map<String, Object> vars = map("int", 7, "long", 12345678901234L, "float", 1.5, "tiny", 1.5e-7, "huge", 1e20,
                "yes", true, "no", false, "nothing", null, "big", new java.math.BigInteger("123456789012345678901234567890"),
                "decimal", new java.math.BigDecimal("2.50"), "nan", Double.NaN, "inf", Double.NEGATIVE_INFINITY);
        Map<Object, Object> back = read(ExtraVarsFile.safeDump(vars, Map.of()));
        assertThat(back.get(new Unsafe("int"))).isEqualTo(7);
        assertThat(back.get(new Unsafe("long"))).isEqualTo(12345678901234L);
        assertThat(back.get(new Unsafe("float"))).isEqualTo(1.5);
        assertThat(back.get(new Unsafe("tiny"))).isEqualTo(1.5e-7);
        assertThat(back.get(new Unsafe("huge"))).isEqualTo(1e20);
        assertThat(back.get(new Unsafe("yes"))).isEqualTo(true);
        assertThat(back.get(new Unsafe("no"))).isEqualTo(false);
        assertThat(back).containsKey(new Unsafe("nothing"));
        assertThat(back.get(new Unsafe("nothing"))).isNull();
        assertThat(back.get(new Unsafe("big"))).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
        assertThat(back.get(new Unsafe("decimal"))).isEqualTo(2.5);
        assertThat((Double) back.get(new Unsafe("nan"))).isNaN();
        assertThat(back.get(new Unsafe("inf"))).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void stringsThatLookLikeOtherTypesStayStrings() {
        Map<String, Object> vars = map("a", "true", "b", "1", "c", "null", "d", "~", "e", "1.0", "f", "yes", "g", "0x1F",
                "h", "", "i", "- item", "j", "key: value", "k", "#comment", "l", "&anchor", "m", "*alias", "n", "!tag");
        Map<Object, Object> plain = read(ExtraVarsFile.forRun(vars, Map.of(), JinjaInExtraVars.ALWAYS, Map.of()));
        vars.forEach((k, v) -> assertThat(plain.get(k)).as(k).isEqualTo(v));
        Map<Object, Object> tagged = read(ExtraVarsFile.safeDump(vars, Map.of()));
        vars.forEach((k, v) -> assertThat(tagged.get(new Unsafe(k))).as(k).isEqualTo(new Unsafe((String) v)));
    }

    @Test
    void everyCharacterSurvivesTheRoundTrip() {
        String nasty = "quote\" backslash\\ newline\n tab\t cr\r nul\0 bell\u0007 del\u007F c1\u0085\u0090 "
                + "ls\u2028 ps\u2029 bom\uFEFF nonchar\uFFFE emoji\uD83D\uDE00 accents éß 中文 {{ x }} {% if %} !unsafe";
        Map<Object, Object> back = read(ExtraVarsFile.safeDump(map(nasty, nasty), Map.of()));
        assertThat(back).containsExactly(Map.entry(new Unsafe(nasty), new Unsafe(nasty)));
        Map<Object, Object> lone = read(ExtraVarsFile.safeDump(map("s", "a\uD800b"), Map.of()));
        assertThat(lone.get(new Unsafe("s"))).isEqualTo(new Unsafe("a\uFFFDb"));
    }

    @Test
    void aKeyLongerThanAYamlSimpleKeyIsWrittenExplicitly() {
        String longKey = "k".repeat(5000);
        Map<String, Object> vars = map(longKey, map(longKey, "v"), "after", 1);
        Map<Object, Object> back = read(ExtraVarsFile.safeDump(vars, Map.of()));
        assertThat(asMap(back.get(new Unsafe(longKey)))).containsExactly(Map.entry(new Unsafe(longKey), new Unsafe("v")));
        assertThat(back.get(new Unsafe("after"))).isEqualTo(1);
    }

    @Test
    void equalMeansEqualAsPythonComparesParsedValues() {
        Map<String, Object> template = map("n", 1, "nested", map("list", List.of(1, "a", map("x", 2.0))), "s", "same",
                "flag", 1);
        Map<String, Object> job = map("n", 1.0, "nested", map("list", List.of(1L, "a", map("x", 2))), "s", "same",
                "flag", true);
        Map<Object, Object> back = read(ExtraVarsFile.safeDump(job, template));
        assertThat(back.get("n")).isEqualTo(1.0);
        assertThat(asMap(back.get("nested")).get("list")).isEqualTo(List.of(1, "a", Map.of("x", 2)));
        assertThat(back.get("s")).isEqualTo("same");
        // True == 1 in Python; treating them as different only marks one more value unsafe.
        assertThat(back).containsKey(new Unsafe("flag"));
        Map<Object, Object> changedDeep = read(ExtraVarsFile.safeDump(
                map("nested", map("list", List.of(1, "a", map("x", JINJA)))), template));
        assertThat(changedDeep).containsKey(new Unsafe("nested"));
    }

    @Test
    void theSettingDecidesWhatIsTrusted() {
        Map<String, Object> template = map("own", "{{ 1 + 1 }}");
        Map<String, Object> job = map("own", "{{ 1 + 1 }}", "given", JINJA);
        Map<String, Object> injected = map("api_token", "{{ secret }}");

        assertThat(read(ExtraVarsFile.forRun(job, template, JinjaInExtraVars.TEMPLATE, injected))).containsExactly(
                Map.entry("own", "{{ 1 + 1 }}"), Map.entry(new Unsafe("given"), new Unsafe(JINJA)),
                Map.entry(new Unsafe("api_token"), new Unsafe("{{ secret }}")));
        assertThat(read(ExtraVarsFile.forRun(job, template, JinjaInExtraVars.NEVER, injected))).containsExactly(
                Map.entry(new Unsafe("own"), new Unsafe("{{ 1 + 1 }}")), Map.entry(new Unsafe("given"), new Unsafe(JINJA)),
                Map.entry(new Unsafe("api_token"), new Unsafe("{{ secret }}")));
        // AWX's "always" dumps the job's variables plainly; its credential injectors' file stays tagged.
        assertThat(read(ExtraVarsFile.forRun(job, template, JinjaInExtraVars.ALWAYS, injected))).containsExactly(
                Map.entry("own", "{{ 1 + 1 }}"), Map.entry("given", JINJA),
                Map.entry(new Unsafe("api_token"), new Unsafe("{{ secret }}")));
        // An injector overriding a template variable makes it the injector's, and so unsafe.
        assertThat(read(ExtraVarsFile.forRun(job, template, JinjaInExtraVars.TEMPLATE, map("own", "{{ 1 + 1 }}"))))
                .containsEntry(new Unsafe("own"), new Unsafe("{{ 1 + 1 }}"));
    }

    @Test
    void emptyVariablesAreAnEmptyMapping() {
        assertThat(read(ExtraVarsFile.safeDump(Map.of(), Map.of()))).isEmpty();
        assertThat(read(ExtraVarsFile.safeDump(map("m", Map.of(), "l", List.of()), Map.of())))
                .containsExactly(Map.entry(new Unsafe("m"), Map.of()), Map.entry(new Unsafe("l"), List.of()));
    }

    @Test
    void inlineJinjaIsFoundAsAwxFindsIt() {
        assertThat(InlineJinja.present("echo {{ lookup('pipe','id') }}")).isTrue();
        assertThat(InlineJinja.present("{% for x in y %}")).isTrue();
        assertThat(InlineJinja.present("echo {{}} and {%%} and { { x } }")).isFalse();
        assertThat(InlineJinja.present("uptime")).isFalse();
        assertThat(InlineJinja.present(null)).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) {
        return (Map<Object, Object>) o;
    }
}
