package dev.towerless.core.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What an inventory update read, as AWX's {@code inventory_import} holds it in memory before it
 * saves anything ({@code MemInventory} filled by {@code dict_to_mem_data} from
 * {@code ansible-inventory --list --export}): the hosts that pass the source's
 * {@code host_filter} (a regular expression matched at the start of the name, as Python's
 * {@code re.match}), each host's {@code enabled} state read from {@code enabled_var} /
 * {@code enabled_value} and its {@code instance_id}, and the groups, without the empty ones
 * where AWX's settings exclude them for the source's kind.
 */
public final class ImportedInventory {
    /** AWX's {@code perform_update} options for one update. */
    public record Options(boolean overwrite, boolean overwriteVars, String enabledVar, String enabledValue, String hostFilter,
                          String instanceIdVar, boolean excludeEmptyGroups) {
        /**
         * What {@code RunInventoryUpdate.post_run_hook} passes: the source's own
         * {@code enabled_var} and {@code enabled_value} when it sets one (the value even when
         * blank), else the kind's defaults; the kind's instance id variable and empty-group rule.
         */
        public static Options forSource(String source, boolean overwrite, boolean overwriteVars, String enabledVar,
                                        String enabledValue, String hostFilter) {
            InventorySourceKinds.ImportDefaults d = InventorySourceKinds.importDefaults(source);
            boolean own = enabledVar != null && !enabledVar.isEmpty();
            return new Options(overwrite, overwriteVars, own ? enabledVar : d.enabledVar(),
                    own ? (enabledValue == null ? "" : enabledValue) : d.enabledValue(), hostFilter, d.instanceIdVar(),
                    d.excludeEmptyGroups());
        }
    }

    /** A bad {@code host_filter}: AWX's import fails with this message. */
    public static final class InvalidFilter extends RuntimeException {
        InvalidFilter() {
            super("invalid regular expression for --host-filter");
        }
    }

    /** One imported host: {@code enabled} null when the variables say nothing, {@code instanceId} "" when none. */
    public record Host(String name, Map<String, Object> variables, Boolean enabled, String instanceId) {
    }

    /** One imported group (never {@code all} or {@code ungrouped}): its variables, hosts and child groups by name. */
    public record Group(String name, Map<String, Object> variables, List<String> hosts, List<String> children) {
    }

    private final Map<String, Object> allVariables = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
    private final Map<String, MemGroup> groups = new LinkedHashMap<>();
    private final Options options;
    private final Pattern hostFilter;

    private static final class MemGroup {
        final Map<String, Object> vars = new LinkedHashMap<>();
        final List<String> hosts = new ArrayList<>();
        final List<String> children = new ArrayList<>();
        final List<String> parents = new ArrayList<>();
    }

    private ImportedInventory(Options options) {
        this.options = options;
        String filter = options.hostFilter() == null || options.hostFilter().isEmpty() ? "^.+$" : options.hostFilter();
        try {
            this.hostFilter = Pattern.compile(filter);
        } catch (PatternSyntaxException e) {
            throw new InvalidFilter();
        }
    }

    /** Reads ansible-inventory's JSON (already parsed), as {@code dict_to_mem_data} does. */
    @SuppressWarnings("unchecked")
    public static ImportedInventory read(Map<String, Object> data, Options options) {
        ImportedInventory inv = new ImportedInventory(options);
        Map<String, Object> meta = data.get("_meta") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        for (Map.Entry<String, Object> e : data.entrySet()) {
            String name = e.getKey();
            if (name.equals("_meta")) {
                continue;
            }
            MemGroup group = inv.group(name, false);
            if (e.getValue() instanceof Map<?, ?> g) {
                Object hosts = g.get("hosts");
                if (hosts instanceof Map<?, ?> hm) {
                    hm.forEach((h, vars) -> {
                        if (inv.host(String.valueOf(h)) && vars instanceof Map<?, ?> vm) {
                            inv.hostVars.get(String.valueOf(h)).putAll((Map<String, Object>) vm);
                        }
                        inv.addHost(group, String.valueOf(h));
                    });
                } else if (hosts instanceof List<?> hl) {
                    hl.forEach(h -> inv.addHost(group, String.valueOf(h)));
                }
                if (g.get("vars") instanceof Map<?, ?> vars) {
                    (group == null ? inv.allVariables : group.vars).putAll((Map<String, Object>) vars);
                }
                if (g.get("children") instanceof List<?> children) {
                    for (Object c : children) {
                        String child = String.valueOf(c);
                        MemGroup childGroup = inv.group(child, true);
                        if (childGroup != null && group != null && !group.children.contains(child)) {
                            group.children.add(child);
                            childGroup.parents.add(name);
                        }
                    }
                }
            } else if (e.getValue() instanceof List<?> hl) {
                hl.forEach(h -> inv.addHost(group, String.valueOf(h)));
            }
        }
        if (meta.get("hostvars") instanceof Map<?, ?> hostvars) {
            inv.hostVars.forEach((h, vars) -> {
                if (hostvars.get(h) instanceof Map<?, ?> vm) {
                    vars.putAll((Map<String, Object>) vm);
                }
            });
        }
        if (options.excludeEmptyGroups()) {
            for (String name : List.copyOf(inv.groups.keySet())) {
                MemGroup g = inv.groups.get(name);
                if (g.children.isEmpty() && g.hosts.isEmpty() && g.vars.isEmpty()) {
                    g.parents.forEach(p -> {
                        MemGroup parent = inv.groups.get(p);
                        if (parent != null) {
                            parent.children.remove(name);
                        }
                    });
                    inv.groups.remove(name);
                }
            }
        }
        return inv;
    }

    /** The group of that name ({@code null} for {@code all} and {@code ungrouped}, which are the inventory itself). */
    private MemGroup group(String name, boolean child) {
        if (name.equals("all") || name.equals("ungrouped")) {
            return null;
        }
        return groups.computeIfAbsent(name, n -> new MemGroup());
    }

    /** Whether the host passes the filter; creates it on first sight. */
    private boolean host(String name) {
        if (!hostFilter.matcher(name).lookingAt()) {
            return false;
        }
        hostVars.computeIfAbsent(name, n -> new LinkedHashMap<>());
        return true;
    }

    private void addHost(MemGroup group, String name) {
        if (host(name) && group != null && !group.hosts.contains(name)) {
            group.hosts.add(name);
        }
    }

    public Map<String, Object> allVariables() {
        return Map.copyOf(allVariables);
    }

    public Options options() {
        return options;
    }

    /** The hosts, in the order they were read. */
    public List<Host> hosts() {
        List<Host> out = new ArrayList<>();
        hostVars.forEach((name, vars) -> out.add(new Host(name, vars, enabled(vars), instanceId(vars))));
        return out;
    }

    /** The groups (empty ones left out where the kind says so), with only hosts and children that were kept. */
    public List<Group> groups() {
        List<Group> out = new ArrayList<>();
        groups.forEach((name, g) -> out.add(new Group(name, g.vars, List.copyOf(g.hosts),
                g.children.stream().filter(groups::containsKey).toList())));
        return out;
    }

    /** AWX's {@code _get_enabled}: the dotted variable's value compared with {@code enabled_value}, null when absent. */
    public Boolean enabled(Map<String, Object> vars) {
        String var = options.enabledVar();
        if (var == null || var.isEmpty()) {
            return null;
        }
        Object value = vars;
        for (String key : var.split("\\.", -1)) {
            if (!(value instanceof Map<?, ?> m) || !m.containsKey(key)) {
                return null;
            }
            value = m.get(key);
        }
        if (options.enabledValue() != null) {
            return options.enabledValue().equalsIgnoreCase(python(value));
        }
        return truthy(value);
    }

    /** AWX's {@code _get_instance_id}: the first of the comma-separated dotted variables that has a value, "" if none. */
    public String instanceId(Map<String, Object> vars) {
        String var = options.instanceIdVar();
        if (var == null || var.isEmpty()) {
            return "";
        }
        for (String one : var.split(",", -1)) {
            Object value = vars;
            for (String key : one.split("\\.", -1)) {
                value = value instanceof Map<?, ?> m ? m.get(key) : null;
            }
            if (truthy(value)) {
                return python(value);
            }
        }
        return "";
    }

    /** Python's {@code str()} of a JSON value, for comparisons AWX makes on strings. */
    private static String python(Object value) {
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return value == null ? "None" : String.valueOf(value);
    }

    private static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (value instanceof List<?> l) {
            return !l.isEmpty();
        }
        return !String.valueOf(value).isEmpty();
    }
}
