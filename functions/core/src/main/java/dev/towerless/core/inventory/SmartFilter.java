package dev.towerless.core.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A smart inventory's {@code host_filter}, read as AWX 21.14's {@code SmartFilter} reads it:
 * {@code key=value} lookups (Django's, e.g. {@code name__icontains=web}, {@code groups__name="my group"},
 * {@code ansible_facts__a__b[]__c=1} as JSON containment), {@code and} binding tighter than
 * {@code or}, parentheses. The text is wrapped in one pair of parentheses and read up to its
 * closing one, as AWX's grammar is, so what follows an unmatched {@code )} is ignored there too.
 */
public final class SmartFilter {
    static final String FACTS = "ansible_facts";
    /** Django's JSONField lookups; AWX refuses all but {@code exact} after {@code ansible_facts…}. */
    static final List<String> JSON_LOOKUPS = List.of("exact", "iexact", "gt", "gte", "lt", "lte", "in", "contains",
            "icontains", "startswith", "istartswith", "endswith", "iendswith", "range", "isnull", "regex", "iregex",
            "contained_by", "has_key", "has_keys", "has_any_keys");

    private final String text;
    private final Node root;

    private SmartFilter(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** A filter that cannot be read, with AWX's wording ("Invalid query …"). */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /**
     * What AWX's InventorySerializer says of a host filter it refuses (its {@code validate_host_filter}):
     * the {@code ansible_facts} lookup check (AWX's {@code re.match}: only a filter that starts
     * with {@code ansible_facts}), then the parse; empty when the filter is acceptable.
     */
    public static Optional<String> problem(String hostFilter) {
        if (hostFilter == null || hostFilter.isEmpty()) {
            return Optional.empty();
        }
        for (String lookup : JSON_LOOKUPS) {
            if (!lookup.equals("exact") && Pattern.compile("ansible_facts[^=]+__" + lookup + "=").matcher(hostFilter).lookingAt()) {
                return Optional.of("ansible_facts does not support searching with __" + lookup);
            }
        }
        try {
            parse(hostFilter);
            return Optional.empty();
        } catch (Invalid e) {
            return Optional.of(e.getMessage());
        }
    }

    public static SmartFilter parse(String text) {
        Parser p = new Parser(text);
        Node root;
        try {
            root = p.parenthesised("(" + text + ")");
        } catch (Invalid e) {
            throw e.getMessage() == null ? new Invalid("Invalid query " + text) : e;
        }
        return new SmartFilter(text, root);
    }

    public String text() {
        return text;
    }

    public boolean matches(FilterableHost host) {
        return root.matches(host);
    }

    @Override
    public String toString() {
        return root.toString();
    }

    sealed interface Node permits All, AnyOf, Lookup {
        boolean matches(FilterableHost host);
    }

    record All(List<Node> parts) implements Node {
        public boolean matches(FilterableHost host) {
            return parts.stream().allMatch(p -> p.matches(host));
        }

        @Override
        public String toString() {
            return "and" + parts;
        }
    }

    record AnyOf(List<Node> parts) implements Node {
        public boolean matches(FilterableHost host) {
            return parts.stream().anyMatch(p -> p.matches(host));
        }

        @Override
        public String toString() {
            return "or" + parts;
        }
    }

    record Lookup(HostLookup lookup) implements Node {
        public boolean matches(FilterableHost host) {
            return lookup.matches(host);
        }

        @Override
        public String toString() {
            return lookup.toString();
        }
    }

    /** A recursive-descent reading of AWX's pyparsing grammar (operand = key "=" [value]; and > or). */
    private static final class Parser {
        private final String original;
        private String s;
        private int pos;

        Parser(String original) {
            this.original = original;
        }

        private Invalid invalid() {
            return new Invalid("Invalid query " + original);
        }

        Node parenthesised(String wrapped) {
            s = wrapped;
            pos = 0;
            return or(); // AWX parses without parseAll: what is left after a whole expression goes unread
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean keyword(String word) {
            skipSpace();
            // pyparsing's Literal: the letters alone, whatever follows them ("a=1 orb=2" reads as "a=1 or b=2")
            if (s.startsWith(word, pos)) {
                pos += word.length();
                return true;
            }
            return false;
        }

        private Node or() {
            List<Node> parts = new ArrayList<>(List.of(and()));
            while (keyword("or")) {
                parts.add(and());
            }
            return parts.size() == 1 ? parts.get(0) : new AnyOf(parts);
        }

        private Node and() {
            List<Node> parts = new ArrayList<>(List.of(primary()));
            while (keyword("and")) {
                parts.add(primary());
            }
            return parts.size() == 1 ? parts.get(0) : new All(parts);
        }

        private Node primary() {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '(') {
                pos++;
                Node inner = or();
                skipSpace();
                if (pos >= s.length() || s.charAt(pos) != ')') {
                    throw invalid();
                }
                pos++;
                return inner;
            }
            return operand();
        }

        /** key "=" value, each quoted ("…") or bare; AWX's BoolOperand reads the tokens. */
        private Node operand() {
            skipSpace();
            Token key = token().orElseThrow(this::invalid);
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != '=') {
                throw invalid();
            }
            pos++;
            skipSpace();
            Optional<Token> value = token();
            if (value.isEmpty()) {
                throw invalid(); // AWX's token list is too short: its IndexError is a parse failure
            }
            Object v;
            if (value.get().quoted()) {
                v = value.get().text().isEmpty() ? "" : "\"" + value.get().text() + "\"";
            } else {
                v = stringToType(value.get().text());
            }
            return new Lookup(HostLookup.of(key.text(), v));
        }

        private Optional<Token> token() {
            if (pos >= s.length()) {
                return Optional.empty();
            }
            if (s.charAt(pos) == '"') {
                int end = s.indexOf('"', pos + 1);
                if (end < 0) {
                    throw invalid();
                }
                String inside = s.substring(pos + 1, end);
                pos = end + 1;
                return Optional.of(new Token(inside, true));
            }
            int start = pos;
            while (pos < s.length() && atomChar(s.charAt(pos))) {
                pos++;
            }
            return pos == start ? Optional.empty() : Optional.of(new Token(s.substring(start, pos), false));
        }

        private static boolean atomChar(char c) {
            return !Character.isWhitespace(c) && c != '(' && c != ')' && c != '=' && c != '"';
        }
    }

    private record Token(String text, boolean quoted) {
    }

    /** AWX's {@code string_to_type}: null, true, false, integers and decimals; anything else stays text. */
    static Object stringToType(String t) {
        switch (t) {
            case "null":
                return null;
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                break;
        }
        if (t.matches("[-+]?[0-9]+")) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException big) {
                return new java.math.BigInteger(t);
            }
        }
        if (t.matches("[-+]?[0-9]+\\.[0-9]+")) {
            return Double.parseDouble(t);
        }
        return t;
    }

    static String lower(Object o) {
        return String.valueOf(o).toLowerCase(Locale.ROOT);
    }

    static Map<String, Object> noFacts() {
        return Map.of();
    }
}
