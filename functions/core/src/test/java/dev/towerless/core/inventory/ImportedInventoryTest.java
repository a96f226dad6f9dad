package dev.towerless.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an import keeps of ansible-inventory's output, with AWX's options (inventory_import.py, mem_inventory.py). */
class ImportedInventoryTest {
    private static Map<String, Object> ec2Output() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("_meta", Map.of("hostvars", Map.of(
                "web1", Map.of("instance_id", "i-1", "state", Map.of("name", "running"), "ec2_state", "running"),
                "web2", Map.of("instance_id", "i-2", "state", Map.of("name", "stopped"), "ec2_state", "stopped"),
                "db1", Map.of("instance_id", "i-3", "state", Map.of("name", "running")))));
        data.put("all", Map.of("children", List.of("aws_ec2", "tag_role_web", "empty", "ungrouped")));
        data.put("aws_ec2", Map.of("hosts", List.of("web1", "web2", "db1")));
        data.put("tag_role_web", Map.of("hosts", List.of("web1", "web2")));
        data.put("empty", Map.of());
        data.put("ungrouped", Map.of());
        return data;
    }

    private static ImportedInventory read(String source, String enabledVar, String enabledValue, String hostFilter) {
        return ImportedInventory.read(ec2Output(), ImportedInventory.Options.forSource(source, false, false, enabledVar,
                enabledValue, hostFilter));
    }

    @Test
    void anEc2ImportTakesAwxsDefaultsEnabledFromEc2StateInstanceIdAndNoEmptyGroups() {
        ImportedInventory inv = read("ec2", "", "", "");
        assertThat(inv.hosts()).extracting(ImportedInventory.Host::name).containsExactly("web1", "web2", "db1");
        assertThat(inv.hosts()).extracting(ImportedInventory.Host::enabled).containsExactly(true, false, null);
        assertThat(inv.hosts()).extracting(ImportedInventory.Host::instanceId).containsExactly("i-1", "i-2", "i-3");
        assertThat(inv.groups()).extracting(ImportedInventory.Group::name).containsExactly("aws_ec2", "tag_role_web");
    }

    @Test
    void theSourcesOwnEnabledVarWinsAndTraversesNestedVariables() {
        ImportedInventory inv = read("ec2", "state.name", "RUNNING", "");
        assertThat(inv.hosts()).extracting(ImportedInventory.Host::enabled).containsExactly(true, false, true);
    }

    @Test
    void anEnabledVarWithABlankValueComparesWithTheBlankAsAwxDoes() {
        assertThat(read("ec2", "ec2_state", "", "").hosts()).extracting(ImportedInventory.Host::enabled)
                .containsExactly(false, false, null);
    }

    @Test
    void anScmImportKeepsEmptyGroupsAndReadsNoEnabledState() {
        ImportedInventory inv = read("scm", "", "", "");
        assertThat(inv.groups()).extracting(ImportedInventory.Group::name).contains("empty");
        assertThat(inv.hosts()).extracting(ImportedInventory.Host::enabled).containsOnlyNulls();
        assertThat(inv.hosts()).extracting(ImportedInventory.Host::instanceId).containsOnly("");
    }

    @Test
    void theHostFilterIsARegexMatchedAtTheStartOfTheName() {
        ImportedInventory inv = read("ec2", "", "", "web");
        assertThat(inv.hosts()).extracting(ImportedInventory.Host::name).containsExactly("web1", "web2");
        assertThat(inv.groups()).filteredOn(g -> g.name().equals("aws_ec2")).singleElement()
                .satisfies(g -> assertThat(g.hosts()).containsExactly("web1", "web2"));
        assertThat(read("ec2", "", "", "1$").hosts()).isEmpty(); // re.match anchors at the start only
        assertThat(read("ec2", "", "", ".*1$").hosts()).extracting(ImportedInventory.Host::name).containsExactly("web1", "db1");
    }

    @Test
    void aBadHostFilterFailsTheImportWithAwxsMessage() {
        assertThatThrownBy(() -> read("ec2", "", "", "web[")).isInstanceOf(ImportedInventory.InvalidFilter.class)
                .hasMessage("invalid regular expression for --host-filter");
    }

    @Test
    void allVariablesAndNestedChildrenAreKept() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("all", Map.of("vars", Map.of("region", "eu"), "children", List.of("parent")));
        data.put("parent", Map.of("children", List.of("child"), "vars", Map.of("p", 1)));
        data.put("child", Map.of("hosts", List.of("h1")));
        ImportedInventory inv = ImportedInventory.read(data, ImportedInventory.Options.forSource("scm", false, false, "", "", ""));
        assertThat(inv.allVariables()).isEqualTo(Map.of("region", "eu"));
        assertThat(inv.groups()).filteredOn(g -> g.name().equals("parent")).singleElement()
                .satisfies(g -> assertThat(g.children()).containsExactly("child"));
    }
}
