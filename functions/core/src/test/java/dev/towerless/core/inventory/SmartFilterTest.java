package dev.towerless.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.resources.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** AWX's host filter language, with the examples of AWX's own docs and tests (host_list.md, test_filters.py). */
class SmartFilterTest {
    private static final Resource ORG = new Resource("organization", 1, Map.of("name", "Default"));
    private static final Resource PROD = new Resource("inventory", 10, Map.of("name", "prod", "organization", 1L));

    private static FilterableHost host(long id, String name, Map<String, Object> extra, String... groups) {
        Map<String, Object> f = new java.util.LinkedHashMap<>(Map.of("name", name, "inventory", 10L));
        f.putAll(extra);
        List<Resource> g = new java.util.ArrayList<>();
        for (int i = 0; i < groups.length; i++) {
            g.add(new Resource("group", 100 + i, Map.of("name", groups[i], "inventory", 10L)));
        }
        return new FilterableHost(new Resource("host", id, f), PROD, Optional.of(ORG), g, List.of());
    }

    private static boolean matches(String filter, FilterableHost h) {
        return SmartFilter.parse(filter).matches(h);
    }

    @Test
    void fieldLookupsAsDjangoReadsThem() {
        FilterableHost web1 = host(1, "web1", Map.of("description", "Front End"));
        assertThat(matches("name__icontains=WEB", web1)).isTrue();
        assertThat(matches("name__contains=WEB", web1)).isFalse();
        assertThat(matches("name=web1", web1)).isTrue();
        assertThat(matches("name__exact=web1", web1)).isTrue();
        assertThat(matches("name=Web1", web1)).isFalse();
        assertThat(matches("name__iexact=Web1", web1)).isTrue();
        assertThat(matches("name__startswith=web", web1)).isTrue();
        assertThat(matches("name__endswith=1", web1)).isTrue();
        assertThat(matches("name__regex=^w.b[0-9]$", web1)).isTrue();
        assertThat(matches("description__icontains=\"front end\"", web1)).isTrue();
        assertThat(matches("search=front", web1)).isTrue();   // name or description
        assertThat(matches("id=1", web1)).isTrue();
        assertThat(matches("id__gt=1", web1)).isFalse();
        assertThat(matches("enabled=true", web1)).isTrue();   // AWX's default
        assertThat(matches("enabled=false", host(2, "db1", Map.of("enabled", false)))).isTrue();
        assertThat(matches("inventory__name=prod", web1)).isTrue();
        assertThat(matches("inventory=10", web1)).isTrue();
        assertThat(matches("inventory__organization__name=Default", web1)).isTrue();
        assertThat(matches("inventory__search=pro", web1)).isTrue();
    }

    @Test
    void andBindsTighterThanOrAndParenthesesGroup() {
        FilterableHost web1 = host(1, "web1", Map.of(), "my group");
        assertThat(matches("name=my_host or name=web1", web1)).isTrue();
        assertThat(matches("name=web1 and groups__name=\"my group\"", web1)).isTrue();
        assertThat(matches("name=web1 and groups__name=other", web1)).isFalse();
        // a=b or a=d ... or a=z and b=h: the and-chain is one operand of the or
        assertThat(matches("name=x or name=web1 and groups__name=other", web1)).isFalse();
        assertThat(matches("name=web1 or name=x and groups__name=other", web1)).isTrue();
        assertThat(matches("(name=x or name=web1) and groups__name=\"my group\"", web1)).isTrue();
        assertThat(matches("(name=my_host and groups__name=\"my group\") or (name=web1 and groups__name=\"my group\")", web1)).isTrue();
        assertThat(matches("groups__name__isnull=true", host(3, "solo", Map.of()))).isTrue();
        assertThat(matches("groups__name__isnull=true", web1)).isFalse();
    }

    @Test
    void ansibleFactsAreJsonContainment() {
        FilterableHost h = host(1, "web1", Map.of("ansible_facts", Map.of("ansible_processor_vcpus", 8,
                "ansible_lo", Map.of("ipv6", List.of(Map.of("scope", "host", "address", "::1"))),
                "ansible_distribution", "CentOS", "flag", "true", "nothing", Map.of())));
        assertThat(matches("ansible_facts__ansible_processor_vcpus=8", h)).isTrue();
        assertThat(matches("ansible_facts__ansible_processor_vcpus=\"8\"", h)).isFalse(); // quoted: the string "8"
        assertThat(matches("ansible_facts__ansible_processor_vcpus=8 and name=\"web1\" and ansible_facts__ansible_lo__ipv6[]__scope=host", h)).isTrue();
        assertThat(matches("ansible_facts__ansible_lo__ipv6[]__scope=link", h)).isFalse();
        assertThat(matches("ansible_facts__ansible_distribution__exact=\"CentOS\"", h)).isTrue();
        assertThat(matches("ansible_facts__flag=\"true\"", h)).isTrue();
        assertThat(matches("ansible_facts__flag=true", h)).isFalse(); // unquoted: the boolean
        assertThat(matches("ansible_facts__ansible_distribution=centos", h)).isFalse();
        assertThat(matches("ansible_facts__x=1", host(2, "db1", Map.of()))).isFalse();
    }

    @Test
    void stringToTypeAsAwx() {
        assertThat(SmartFilter.stringToType("3")).isEqualTo(3L);
        assertThat(SmartFilter.stringToType("-3")).isEqualTo(-3L);
        assertThat(SmartFilter.stringToType("3.14")).isEqualTo(3.14);
        assertThat(SmartFilter.stringToType("true")).isEqualTo(true);
        assertThat(SmartFilter.stringToType("null")).isNull();
        assertThat(SmartFilter.stringToType("3.")).isEqualTo("3.");
    }

    @Test
    void unicodeAndQuotedKeys() {
        FilterableHost h = host(1, "abc\u1F5E3def", Map.of("ansible_facts", Map.of("ansible_distribution", "レッドハット")));
        assertThat(matches("(name=abc\u1F5E3def)", h)).isTrue();
        assertThat(matches("ansible_facts__ansible_distribution=レッドハット", h)).isTrue();
        assertThat(matches("\"name\"=\"abc\u1F5E3def\"", h)).isTrue();
        assertThat(matches("name=\"\"", h)).isFalse();
    }

    @Test
    void malformedFiltersAreAwxsInvalidQuery() {
        for (String bad : List.of("name=", "name=web and", "name=web AND name=db", "(name=web", "name=a=b", "name=\"web",
                "ansible_facts__facts__facts__blank=ansible_facts__a__b__c__ space  =ggg", "", "()", "groups__search=foo")) {
            assertThatThrownBy(() -> SmartFilter.parse(bad)).isInstanceOf(SmartFilter.Invalid.class)
                    .hasMessage("Invalid query " + bad);
        }
        assertThat(SmartFilter.problem("name=web and")).contains("Invalid query name=web and");
    }

    @Test
    void fieldsDjangoWouldNotResolveAreNamed() {
        assertThat(SmartFilter.problem("foo=bar")).contains("Host has no field named 'foo'");
        assertThat(SmartFilter.problem("inventory__foo=bar")).contains("Inventory has no field named 'foo'");
        assertThat(SmartFilter.problem("name__foo__bar=1")).contains("No related model for field foo.");
        assertThat(SmartFilter.problem("enabled=yes")).contains("\u201cyes\u201d value must be either True or False.");
        assertThat(SmartFilter.problem("id=abc")).contains("Field 'id' expected a number but got 'abc'.");
        assertThat(SmartFilter.problem("group__search=foo")).contains("Cannot resolve keyword 'group' into field.");
    }

    @Test
    void ansibleFactsLookupsOtherThanExactAreRefusedAsAwxRefusesThem() {
        assertThat(SmartFilter.problem("ansible_facts__ansible_distribution__icontains=cent"))
                .contains("ansible_facts does not support searching with __icontains");
        assertThat(SmartFilter.problem("ansible_facts__ansible_distribution__has_keys=cent"))
                .contains("ansible_facts does not support searching with __has_keys");
        assertThat(SmartFilter.problem("ansible_facts__ansible_distribution__exact=\"CentOS\"")).isEmpty();
        // AWX's re.match looks at the start only: a later operand's lookup is read as a key of the facts
        assertThat(SmartFilter.problem("name=a and ansible_facts__x__icontains=b")).isEmpty();
    }

    @Test
    void whatFollowsTheClosingParenthesisIsIgnoredAsInAwx() {
        FilterableHost web1 = host(1, "web1", Map.of());
        assertThat(matches("name=web1)", web1)).isTrue();
        assertThat(matches("name=x) or (name=web1", web1)).isTrue();
    }

    @Test
    void djangoInIteratesTheCharactersOfItsValue() {
        assertThat(matches("name__in=ab", host(1, "a", Map.of()))).isTrue();
        assertThat(matches("name__in=web1,web9", host(1, "web1", Map.of()))).isFalse();
    }
}
