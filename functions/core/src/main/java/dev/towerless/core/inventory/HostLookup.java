package dev.towerless.core.inventory;

import dev.towerless.core.resources.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One {@code key=value} of a host filter: a Django field lookup on {@code Host} (through
 * {@code inventory}, {@code inventory__organization}, {@code groups}, {@code inventory_sources}),
 * a {@code search}, or a JSON containment on {@code ansible_facts}. What AWX would refuse is
 * refused while reading the filter, with the message Django or AWX gives for it.
 */
abstract class HostLookup {
    /** AWX's FieldLookupBackend.SUPPORTED_LOOKUPS ({@code search} aside, which AWX expands first). */
    private static final Set<String> LOOKUPS = Set.of("exact", "iexact", "contains", "icontains", "startswith", "istartswith",
            "endswith", "iendswith", "regex", "iregex", "gt", "gte", "lt", "lte", "in", "isnull");
    /** AWX's models a {@code <model>__search} may name; only {@code inventory} is a relation of Host. */
    private static final Set<String> AWX_MODELS = Set.of("host", "group", "organization", "team", "project", "credential",
            "jobtemplate", "job", "inventorysource", "inventoryupdate", "user", "label", "schedule", "instancegroup",
            "notificationtemplate", "workflowjobtemplate", "executionenvironment");

    abstract boolean matches(FilterableHost h);

    static HostLookup of(String key, Object value) {
        if (key.startsWith(SmartFilter.FACTS)) {
            return FactsContain.of(key, value);
        }
        Object v = value instanceof String s && s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : value;
        if (key.contains("search")) {
            List<String[]> fields = null;
            if (key.equals("search")) {
                fields = List.of(new String[]{"name"}, new String[]{"description"});
            } else if (key.endsWith("__search")) {
                String relation = key.split("__")[0];
                if (relation.equals("inventory")) {
                    fields = List.of(new String[]{"inventory", "name"}, new String[]{"inventory", "description"});
                } else if (AWX_MODELS.contains(relation)) {
                    throw new SmartFilter.Invalid("Cannot resolve keyword '" + relation + "' into field.");
                } else {
                    throw new SmartFilter.Invalid(null); // AWX: "No related field named …", a parse failure
                }
            }
            if (fields != null) {
                List<HostLookup> any = new ArrayList<>();
                for (String[] path : fields) {
                    any.add(FieldLookup.of(String.join("__", path) + "__icontains", v));
                }
                return new AnyLookup(any);
            }
        }
        return FieldLookup.of(key, v);
    }

    private static final class AnyLookup extends HostLookup {
        private final List<HostLookup> parts;

        AnyLookup(List<HostLookup> parts) {
            this.parts = parts;
        }

        @Override
        boolean matches(FilterableHost h) {
            return parts.stream().anyMatch(p -> p.matches(h));
        }

        @Override
        public String toString() {
            return "any" + parts;
        }
    }

    /** The fields of each model a host filter may reach, and where each leads. */
    private enum Model {
        HOST("Host"), INVENTORY("Inventory"), ORGANIZATION("Organization"), GROUP("Group"), INVENTORY_SOURCE("InventorySource");

        final String djangoName;

        Model(String djangoName) {
            this.djangoName = djangoName;
        }

        /** The field's kind: a value ("text", "int", "bool") or a relation to a model. */
        Object field(String name) {
            return switch (this) {
                case HOST -> switch (name) {
                    case "id", "pk", "last_job", "last_job_host_summary" -> "int";
                    case "name", "description", "instance_id", "variables", "created", "modified", "ansible_facts_modified" -> "text";
                    case "enabled" -> "bool";
                    case "inventory" -> INVENTORY;
                    case "groups" -> GROUP;
                    case "inventory_sources" -> INVENTORY_SOURCE;
                    default -> null;
                };
                case INVENTORY -> switch (name) {
                    case "id", "pk" -> "int";
                    case "name", "description", "kind", "host_filter", "variables", "created", "modified" -> "text";
                    case "pending_deletion", "prevent_instance_group_fallback" -> "bool";
                    case "organization" -> ORGANIZATION;
                    default -> null;
                };
                case ORGANIZATION -> switch (name) {
                    case "id", "pk", "max_hosts" -> "int";
                    case "name", "description", "created", "modified" -> "text";
                    default -> null;
                };
                case GROUP -> switch (name) {
                    case "id", "pk" -> "int";
                    case "name", "description", "variables", "created", "modified" -> "text";
                    default -> null;
                };
                case INVENTORY_SOURCE -> switch (name) {
                    case "id", "pk" -> "int";
                    case "name", "description", "source", "created", "modified" -> "text";
                    case "overwrite", "overwrite_vars" -> "bool";
                    default -> null;
                };
            };
        }
    }

    /** A Django lookup along a path of relations, ending in a value field and an operator. */
    private static final class FieldLookup extends HostLookup {
        private final List<Model> relations;   // the models stepped through, HOST first
        private final String field;            // the value field compared (id when the path ends at a relation)
        private final String kind;
        private final String op;
        private final Object value;
        private final String key;

        private FieldLookup(String key, List<Model> relations, String field, String kind, String op, Object value) {
            this.key = key;
            this.relations = relations;
            this.field = field;
            this.kind = kind;
            this.op = op;
            this.value = value;
        }

        static FieldLookup of(String key, Object value) {
            List<String> parts = new ArrayList<>(List.of(key.split("__", -1)));
            String op = "exact";
            if (parts.size() > 1 && LOOKUPS.contains(parts.get(parts.size() - 1))) {
                op = parts.remove(parts.size() - 1);
            }
            if (parts.size() == 1 && parts.get(0).isEmpty()) {
                throw new SmartFilter.Invalid("Query string field name not provided.");
            }
            List<Model> relations = new ArrayList<>(List.of(Model.HOST));
            Model model = Model.HOST;
            String field = null;
            String kind = null;
            for (String name : parts) {
                if (model == null) {
                    throw new SmartFilter.Invalid("No related model for field " + name + ".");
                }
                Object f = model.field(name);
                if (f == null) {
                    throw new SmartFilter.Invalid(model.djangoName + " has no field named '" + name + "'");
                }
                if (f instanceof Model next) {
                    if (relations.contains(next)) {
                        throw new SmartFilter.Invalid("Loops not allowed in filters, detected on field " + name + ".");
                    }
                    relations.add(next);
                    model = next;
                    field = "id";
                    kind = "int";
                } else {
                    field = name.equals("pk") ? "id" : name;
                    kind = (String) f;
                    model = null;
                }
            }
            return new FieldLookup(key, relations, field, kind, op, prepare(field, kind, op, value));
        }

        /** Django's get_prep_value for the lookup: what AWX's query would raise, raised here. */
        private static Object prepare(String field, String kind, String op, Object value) {
            if (value == null || op.equals("isnull")) {
                return value;
            }
            if (op.equals("in")) {
                if (!(value instanceof String s)) {
                    throw new SmartFilter.Invalid("'" + pythonType(value) + "' object is not iterable");
                }
                // Django iterates the value: a string is its characters (AWX does not split on commas)
                List<Object> items = new ArrayList<>();
                s.codePoints().forEach(cp -> items.add(prepare(field, kind, "exact", new String(Character.toChars(cp)))));
                return items;
            }
            boolean textual = Set.of("iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "regex",
                    "iregex").contains(op);
            if (kind.equals("int") && !textual) {
                if (value instanceof Long || value instanceof java.math.BigInteger) {
                    return ((Number) value).longValue();
                }
                if (value instanceof Boolean b) {
                    return b ? 1L : 0L;
                }
                if (value instanceof Double d && d == Math.rint(d)) {
                    return d.longValue();
                }
                try {
                    return Long.parseLong(String.valueOf(value).trim());
                } catch (NumberFormatException e) {
                    throw new SmartFilter.Invalid("Field '" + field + "' expected a number but got '" + pythonStr(value) + "'.");
                }
            }
            if (kind.equals("bool") && !textual) {
                if (value instanceof Boolean) {
                    return value;
                }
                String t = String.valueOf(value);
                if (Set.of("t", "True", "1").contains(t)) {
                    return true;
                }
                if (Set.of("f", "False", "0").contains(t)) {
                    return false;
                }
                throw new SmartFilter.Invalid("\u201c" + pythonStr(value) + "\u201d value must be either True or False.");
            }
            String text = pythonStr(value);
            if (op.equals("regex") || op.equals("iregex")) {
                try {
                    return Pattern.compile(text, op.equals("iregex") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new SmartFilter.Invalid("invalid regular expression: " + e.getDescription());
                }
            }
            return text;
        }

        @Override
        boolean matches(FilterableHost h) {
            List<Resource> rows = List.of(h.host());
            for (Model m : relations.subList(1, relations.size())) {
                List<Resource> next = new ArrayList<>();
                for (Resource r : rows) {
                    next.addAll(switch (m) {
                        case INVENTORY -> List.of(h.inventory());
                        case ORGANIZATION -> h.organization().map(List::of).orElse(List.of());
                        case GROUP -> h.groups();
                        case INVENTORY_SOURCE -> h.inventorySources();
                        case HOST -> List.of(r);
                    });
                }
                rows = next;
            }
            if (op.equals("isnull")) {
                boolean wantNull = truthy(value);
                if (rows.isEmpty()) {
                    return wantNull; // a relation with nothing behind it (a host in no group)
                }
                return rows.stream().anyMatch(r -> (read(r) == null) == wantNull);
            }
            if (value == null) {
                return rows.stream().anyMatch(r -> read(r) == null); // Django: exact None is isnull
            }
            return rows.stream().anyMatch(r -> compare(read(r)));
        }

        private Object read(Resource r) {
            if (field.equals("id")) {
                return r.id();
            }
            Object v = r.get(field);
            if (v == null) {
                v = switch (field) {
                    case "description", "instance_id", "variables", "kind" -> "";
                    case "enabled" -> true;
                    case "pending_deletion", "prevent_instance_group_fallback", "overwrite", "overwrite_vars" -> false;
                    case "max_hosts" -> 0L;
                    default -> null;
                };
            }
            return v;
        }

        private boolean compare(Object actual) {
            if (actual == null) {
                return false;
            }
            Function<Object, String> text = HostLookup::pythonStr;
            return switch (op) {
                case "exact" -> equal(actual, value);
                case "iexact" -> lower(text.apply(actual)).equals(lower((String) value));
                case "contains" -> text.apply(actual).contains((String) value);
                case "icontains" -> lower(text.apply(actual)).contains(lower((String) value));
                case "startswith" -> text.apply(actual).startsWith((String) value);
                case "istartswith" -> lower(text.apply(actual)).startsWith(lower((String) value));
                case "endswith" -> text.apply(actual).endsWith((String) value);
                case "iendswith" -> lower(text.apply(actual)).endsWith(lower((String) value));
                case "regex", "iregex" -> ((Pattern) value).matcher(text.apply(actual)).find();
                case "in" -> ((List<?>) value).stream().anyMatch(v -> equal(actual, v));
                case "gt" -> order(actual, value) > 0;
                case "gte" -> order(actual, value) >= 0;
                case "lt" -> order(actual, value) < 0;
                case "lte" -> order(actual, value) <= 0;
                default -> false;
            };
        }

        private static boolean equal(Object actual, Object expected) {
            if (actual instanceof Number a && expected instanceof Number e) {
                return a.longValue() == e.longValue();
            }
            if (actual instanceof Boolean || expected instanceof Boolean) {
                return Objects.equals(actual, expected);
            }
            return pythonStr(actual).equals(pythonStr(expected));
        }

        private static int order(Object actual, Object expected) {
            if (actual instanceof Number a && expected instanceof Number e) {
                return Long.compare(a.longValue(), e.longValue());
            }
            return pythonStr(actual).compareTo(pythonStr(expected));
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    /**
     * AWX's {@code ansible_facts} lookups: the key's path becomes a JSON document that the host's
     * facts must contain ({@code ansible_facts__a__b[]__c=1} is {@code {"a": {"b": [{"c": 1}]}}}).
     */
    private static final class FactsContain extends HostLookup {
        private final Map<String, Object> document;

        private FactsContain(Map<String, Object> document) {
            this.document = document;
        }

        static FactsContain of(String key, Object value) {
            String k = key;
            if (k.endsWith("__exact")) {
                k = k.substring(0, k.length() - "__exact".length()); // AWX: __exact is what the lookup means anyway
            }
            k = k.startsWith(SmartFilter.FACTS + "__") ? k.substring(SmartFilter.FACTS.length() + 2) : k.substring(SmartFilter.FACTS.length());
            Object v = value instanceof String s && s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") && !s.equals("\"null\"")
                    ? s.substring(1, s.length() - 1) : value;
            Object leaf = v;
            String[] pieces = k.split("__", -1);
            for (int i = pieces.length - 1; i >= 0; i--) {
                String piece = pieces[i];
                Map<String, Object> level = new LinkedHashMap<>();
                if (piece.endsWith("[]")) {
                    List<Object> list = new ArrayList<>();
                    list.add(leaf);
                    level.put(piece.substring(0, piece.length() - 2), list);
                } else {
                    level.put(piece, leaf);
                }
                leaf = level;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) leaf;
            return new FactsContain(doc);
        }

        @Override
        boolean matches(FilterableHost h) {
            return contains(h.facts(), document);
        }

        /** PostgreSQL's {@code jsonb @>}: objects by key, arrays by element, scalars by value. */
        static boolean contains(Object left, Object right) {
            if (right instanceof Map<?, ?> r) {
                if (!(left instanceof Map<?, ?> l)) {
                    return false;
                }
                return r.entrySet().stream().allMatch(e -> l.containsKey(e.getKey()) && contains(l.get(e.getKey()), e.getValue()));
            }
            if (right instanceof List<?> r) {
                if (!(left instanceof List<?> l)) {
                    return false;
                }
                return r.stream().allMatch(x -> l.stream().anyMatch(y -> contains(y, x)));
            }
            if (right == null || left == null) {
                return right == left;
            }
            if (left instanceof Number a && right instanceof Number b) {
                return new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(b.toString())) == 0;
            }
            if (left instanceof Boolean || right instanceof Boolean) {
                return left.equals(right);
            }
            return left instanceof String && left.equals(right);
        }

        @Override
        public String toString() {
            return "ansible_facts@>" + document;
        }
    }

    static boolean truthy(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        return v != null && !String.valueOf(v).isEmpty();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** How Python's str() writes a value the filter compared as text ({@code True}, {@code 8}, {@code 1.5}). */
    static String pythonStr(Object v) {
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v == null) {
            return "None";
        }
        return String.valueOf(v);
    }

    static String pythonType(Object v) {
        return v instanceof Boolean ? "bool" : v instanceof Long ? "int" : v instanceof Double ? "float" : "NoneType";
    }
}
