package dev.towerless.api.dialect;

import dev.towerless.core.ports.PageRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * AWX's list parameters: {@code page}, {@code page_size} (max 200), {@code order_by}
 * ({@code -field} descending), field filters with AWX's lookups ({@code __exact},
 * {@code __iexact}, {@code __contains}, {@code __icontains}, {@code __startswith},
 * {@code __istartswith}, {@code __endswith}, {@code __iendswith}, {@code __regex},
 * {@code __iregex}, {@code __gt}, {@code __gte}, {@code __lt}, {@code __lte}, {@code __in},
 * {@code __isnull}), the {@code not__}, {@code or__} and {@code chain__} prefixes and
 * {@code search}.
 *
 * <p>Strict as AWX's FieldLookupBackend and OrderByBackend (awx/api/filters.py): a filter or an
 * order on a field the listed objects do not have, a lookup on a field that is not a relation
 * ({@code name__year}), an empty {@code __in} or a broken {@code __regex} is a 400 with AWX's
 * words, never an empty 200 that looks like "no match".
 */
public final class ListQuery {
    /** AWX's RESERVED_NAMES, less {@code type} (filtered here as AWX's TypeFilterBackend does: a comma list). */
    private static final Set<String> RESERVED = Set.of("page", "page_size", "order", "order_by", "format", "search",
            "host_filter", "count_disabled", "no_truncate", "limit");
    /** AWX's SUPPORTED_LOOKUPS ({@code search} there is a related-object search, here a case-insensitive contains). */
    private static final Set<String> LOOKUPS = Set.of("exact", "iexact", "contains", "icontains", "startswith",
            "istartswith", "endswith", "iendswith", "regex", "iregex", "gt", "gte", "lt", "lte", "in", "isnull", "search");

    private final int page;
    private final int pageSize;
    private final String orderBy;
    private final List<Predicate<Map<String, Object>>> filters = new ArrayList<>();
    private final List<Predicate<Map<String, Object>>> orFilters = new ArrayList<>();
    /** The top-level fields the filters and the ordering look at. */
    private final Set<String> fields = new java.util.HashSet<>();
    /** Each filter's and order's field path (without its lookup), checked against the listed objects. */
    private final List<List<String>> paths = new ArrayList<>();
    /** AWX's model name in its messages; by default from the listed objects' type. */
    private String model;

    /** The request's query as given, for page links that keep its filters and order (AWX's get_full_path). */
    private Map<String, List<String>> params = Map.of();

    private ListQuery(int page, int pageSize, String orderBy) {
        this.page = page;
        this.pageSize = pageSize;
        this.orderBy = orderBy;
    }

    public static ListQuery parse(Map<String, List<String>> params) {
        int page = intParam(params, "page", 1);
        int size = intParam(params, "page_size", 25);
        if (page < 1) {
            throw ApiException.notFound();
        }
        size = Math.max(1, Math.min(PageRequest.MAX_PAGE_SIZE, size));
        String order = first(params, "order_by");
        if (order == null) {
            order = first(params, "order");
        }
        ListQuery q = new ListQuery(page, size, order == null || order.isBlank() ? "id" : order);
        q.params = params;
        params.forEach((key, values) -> {
            if (RESERVED.contains(key)) {
                return;
            }
            String k = key.endsWith("__int") ? key.substring(0, key.length() - 5) : key;
            boolean or = false;
            if (k.startsWith("chain__")) {
                k = k.substring(7); // AWX applies each chain__ filter on its own: for plain fields, the same as AND
            } else if (k.startsWith("or__")) {
                k = k.substring(4);
                or = true;
            }
            boolean not = k.startsWith("not__");
            if (not) {
                k = k.substring(5);
            }
            if (k.equals("type")) {
                k = "type__in"; // AWX's TypeFilterBackend: ?type=job,project_update
            }
            for (String v : values) {
                Predicate<Map<String, Object>> p = q.predicate(k, v);
                if (not) {
                    p = p.negate();
                }
                (or ? q.orFilters : q.filters).add(p);
            }
        });
        String search = first(params, "search");
        for (String key : q.orderBy.split(",")) {
            String path = key.replaceFirst("^-", "");
            q.fields.add(topLevelField(path));
            if (order != null && !order.isBlank()) {
                q.paths.add(List.of(path.split("__"))); // the caller's order is checked; the view's own is not
            }
        }
        if (search != null && !search.isBlank()) {
            q.fields.add("name");
            q.fields.add("description");
            String needle = search.toLowerCase(Locale.ROOT);
            q.filters.add(m -> String.valueOf(m.get("name")).toLowerCase(Locale.ROOT).contains(needle)
                    || String.valueOf(m.get("description")).toLowerCase(Locale.ROOT).contains(needle));
        }
        return q;
    }

    /** Names the model in messages where the listed objects' type would not ({@code UnifiedJob}). */
    public ListQuery describing(String awxModel) {
        this.model = awxModel;
        return this;
    }

    public boolean hasFilters() {
        return !filters.isEmpty() || !orFilters.isEmpty() || !orderBy.equals("id") && !orderBy.equals("-id");
    }

    /** True if the query looks only at these fields (so it can run on stored values, before rendering). */
    public boolean usesOnly(Set<String> available) {
        // a path through a relation (inventory__name) reads the rendered summary_fields
        return available.containsAll(fields) && paths.stream().allMatch(p -> p.size() == 1);
    }

    private static String topLevelField(String key) {
        int split = key.indexOf("__");
        return split < 0 ? key : key.substring(0, split);
    }

    /**
     * Whether a bounded walk over the history should start from the newest job: for an order
     * that starts descending ({@code -id}, {@code -finished}), so that its first pages are right
     * even when the walk stops at its budget; from the oldest otherwise (AWX's default, {@code id}).
     */
    public boolean walksNewestFirst() {
        return orderBy.startsWith("-");
    }

    public PageRequest pageRequest() {
        return new PageRequest(page, pageSize, orderBy.equals("-id"));
    }

    public int page() {
        return page;
    }

    public int pageSize() {
        return pageSize;
    }

    /** Filters, orders and pages plain field maps (used when the store cannot do it by key). */
    public <T> Paged<T> apply(List<T> items, java.util.function.Function<T, Map<String, Object>> fields) {
        if (!items.isEmpty() && !paths.isEmpty()) {
            // The fields of every listed object: a stored object lacks a field nobody has set on it.
            Map<String, Object> sample = new java.util.HashMap<>(fields.apply(items.get(0)));
            for (T item : items) {
                fields.apply(item).forEach((k, v) -> {
                    Object seen = sample.get(k);
                    // (an empty relation, a unified job's view of another kind, yields to a full one;
                    // the views of one kind pool their fields, as a field nobody set is missing from one)
                    if (seen == null || seen instanceof Map<?, ?> m && m.isEmpty() && v instanceof Map<?, ?> full && !full.isEmpty()) {
                        sample.put(k, v);
                    } else if (seen instanceof Map<?, ?> a && a.containsKey("type") && v instanceof Map<?, ?> b && b.containsKey("type")
                            && !a.keySet().containsAll(b.keySet())) {
                        Map<Object, Object> pooled = new java.util.HashMap<>(a);
                        b.forEach(pooled::putIfAbsent);
                        sample.put(k, pooled);
                    }
                });
            }
            check(sample);
        }
        List<T> kept = new ArrayList<>();
        for (T item : items) {
            Map<String, Object> f = fields.apply(item);
            boolean ok = filters.stream().allMatch(p -> p.test(f))
                    && (orFilters.isEmpty() || orFilters.stream().anyMatch(p -> p.test(f)));
            if (ok) {
                kept.add(item);
            }
        }
        for (String key : reversed(orderBy.split(","))) {
            boolean desc = key.startsWith("-");
            String field = desc ? key.substring(1) : key;
            Comparator<T> c = Comparator.comparing(t -> fields.apply(t).get(field), ListQuery::compare);
            kept.sort(desc ? c.reversed() : c);
        }
        int from = Math.min(kept.size(), (page - 1) * pageSize);
        int to = Math.min(kept.size(), from + pageSize);
        return new Paged<>(kept.subList(from, to), kept.size());
    }

    public record Paged<T>(List<T> items, long count) {
    }

    /**
     * Refuses, as AWX does, a filter or an order on a field the listed objects do not have, or one
     * that goes on past a field that is not a relation. {@code sample} holds the fields of the
     * listed objects as compared.
     */
    public void check(Map<String, Object> sample) {
        for (List<String> path : paths) {
            String top = path.get(0).equals("pk") ? "id" : path.get(0);
            if (!sample.containsKey(top)) {
                throw ApiException.badRequest(modelName(sample) + " has no field named '" + top + "'");
            }
            if (path.size() > 1 && !isRelation(sample, top)) {
                throw ApiException.badRequest("No related model for field " + path.get(1) + ".");
            }
            if (path.size() > 1 && sample.get(top) instanceof Map<?, ?> row && row.containsKey("type")) {
                // a listed object seen as one of its models (unified_jobs/?job__job_template=): its fields are known
                String next = path.get(1).equals("pk") ? "id" : path.get(1);
                if (!row.containsKey(next)) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> fieldsOfRow = (Map<String, Object>) row;
                    throw ApiException.badRequest(typeName(fieldsOfRow) + " has no field named '" + next + "'");
                }
            }
        }
    }

    private static boolean isRelation(Map<String, Object> sample, String field) {
        Object value = sample.get(field);
        return value instanceof Map<?, ?>
                || sample.get("summary_fields") instanceof Map<?, ?> s && s.containsKey(field)
                || sample.get("related") instanceof Map<?, ?> r && r.containsKey(field)
                || field.equals("summary_fields") || field.equals("related");
    }

    private String modelName(Map<String, Object> sample) {
        return model != null ? model : typeName(sample);
    }

    /** The model of an object by its {@code type}, as AWX's messages name it ({@code project_update}: ProjectUpdate). */
    private static String typeName(Map<String, Object> sample) {
        StringBuilder out = new StringBuilder();
        for (String part : String.valueOf(sample.getOrDefault("type", "object")).split("_")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    private static List<String> reversed(String[] keys) {
        List<String> l = new ArrayList<>(List.of(keys));
        java.util.Collections.reverse(l);
        return l;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a == null || b == null) {
            // PostgreSQL's: a null sorts above every value (last in an ascending order, first in a descending one)
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        return a.toString().compareTo(b.toString());
    }

    private Predicate<Map<String, Object>> predicate(String key, String value) {
        String field = key;
        String op = "exact";
        int split = key.lastIndexOf("__");
        if (split >= 0 && LOOKUPS.contains(key.substring(split + 2))) {
            field = key.substring(0, split);
            op = key.substring(split + 2);
        }
        if (field.isEmpty()) {
            throw ApiException.badRequest("Query string field name not provided.");
        }
        List<String> path = new ArrayList<>(List.of(field.split("__")));
        if (path.get(0).equals("pk")) {
            path.set(0, "id");
        }
        fields.add(path.get(0));
        paths.add(path);
        String f = String.join(".", path);
        String lower = value.toLowerCase(Locale.ROOT);
        return switch (op) {
            case "icontains", "search" -> m -> text(get(m, f)).toLowerCase(Locale.ROOT).contains(lower);
            case "contains" -> m -> text(get(m, f)).contains(value);
            case "iexact" -> m -> text(get(m, f)).equalsIgnoreCase(value);
            case "startswith" -> m -> text(get(m, f)).startsWith(value);
            case "istartswith" -> m -> text(get(m, f)).toLowerCase(Locale.ROOT).startsWith(lower);
            case "endswith" -> m -> text(get(m, f)).endsWith(value);
            case "iendswith" -> m -> text(get(m, f)).toLowerCase(Locale.ROOT).endsWith(lower);
            case "regex", "iregex" -> {
                java.util.regex.Pattern pattern;
                try {
                    pattern = java.util.regex.Pattern.compile(value, op.equals("iregex")
                            ? java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE : 0);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw ApiException.badRequest(e.getDescription() + " at position " + Math.max(0, e.getIndex()));
                }
                // PostgreSQL's ~ as Django's __regex: a match anywhere; a null field matches nothing
                yield m -> get(m, f) != null && pattern.matcher(text(get(m, f))).find();
            }
            case "in" -> {
                if (value.isEmpty()) {
                    throw ApiException.badRequest("cannot provide empty value for __in");
                }
                List<String> options = List.of(value.split(","));
                yield m -> options.stream().anyMatch(o -> matchesExact(get(m, f), o));
            }
            case "isnull" -> m -> (get(m, f) == null) == (lower.equals("true") || lower.equals("1"));
            case "gt" -> m -> get(m, f) != null && compareText(get(m, f), value) > 0;
            case "gte" -> m -> get(m, f) != null && compareText(get(m, f), value) >= 0;
            case "lt" -> m -> get(m, f) != null && compareText(get(m, f), value) < 0;
            case "lte" -> m -> get(m, f) != null && compareText(get(m, f), value) <= 0;
            default -> m -> matchesExact(get(m, f), value);
        };
    }

    private static Object get(Map<String, Object> m, String dotted) {
        Object cur = m;
        String[] parts = dotted.split("\\.");
        if (parts.length > 1 && !(m.get(parts[0]) instanceof Map<?, ?>)
                && m.get("summary_fields") instanceof Map<?, ?> summary && summary.get(parts[0]) instanceof Map<?, ?> related) {
            // a relation shown by id: its fields as summary_fields shows them (inventory__name)
            cur = related;
            parts = java.util.Arrays.copyOfRange(parts, 1, parts.length);
        }
        for (String part : parts) {
            if (!(cur instanceof Map<?, ?> map)) {
                return null;
            }
            cur = map.get(part);
        }
        return cur;
    }

    private static boolean matchesExact(Object actual, String wanted) {
        if (actual instanceof Map<?, ?> related) {
            return related.containsKey("id") && matchesExact(related.get("id"), wanted); // a relation: Django compares its key
        }
        if (actual instanceof java.util.Collection<?> many) {
            return many.stream().anyMatch(v -> matchesExact(v, wanted)); // a many-to-many: any of them
        }
        if (actual == null) {
            return wanted.equalsIgnoreCase("none") || wanted.equalsIgnoreCase("null");
        }
        if (actual instanceof Boolean b) {
            return b == (wanted.equalsIgnoreCase("true") || wanted.equals("1"));
        }
        if (actual instanceof Number n) {
            try {
                return Double.parseDouble(wanted) == n.doubleValue();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return actual.toString().equals(wanted);
    }

    private static int compareText(Object actual, String wanted) {
        if (actual == null) {
            return -1;
        }
        if (actual instanceof Number n) {
            try {
                return Double.compare(n.doubleValue(), Double.parseDouble(wanted));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return actual.toString().compareTo(wanted);
    }

    private static String text(Object v) {
        return v == null ? "" : v.toString();
    }

    private static int intParam(Map<String, List<String>> params, String name, int def) {
        String v = first(params, name);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.notFound();
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * The AWX list envelope. With {@code count_disabled} AWX answers the results alone (its
     * Pagination.get_paginated_response).
     */
    public static Map<String, Object> envelope(String path, ListQuery q, long count, List<?> results) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (q.params.containsKey("count_disabled")) {
            out.put("results", results);
            return out;
        }
        out.put("count", count);
        out.put("next", q.page * (long) q.pageSize < count ? pageLink(path, q, q.page + 1) : null);
        out.put("previous", q.page > 1 ? pageLink(path, q, q.page - 1) : null);
        out.put("results", results);
        return out;
    }

    /**
     * AWX's page links: the request's own path and query with {@code page} replaced (DRF's
     * replace_query_param: every parameter kept, sorted by name, a {@code page_size} above the
     * maximum capped), so following {@code next} keeps the filters and the order, as awx.awx's
     * get_all_endpoint and awxkit's paging rely on.
     */
    private static String pageLink(String path, ListQuery q, int page) {
        java.util.TreeMap<String, List<String>> query = new java.util.TreeMap<>(q.params);
        query.put("page", List.of(Integer.toString(page)));
        List<String> size = query.get("page_size");
        if (size != null && !size.isEmpty() && size.get(0).matches("\\d{1,9}") && Integer.parseInt(size.get(0)) > PageRequest.MAX_PAGE_SIZE) {
            query.put("page_size", List.of(Integer.toString(PageRequest.MAX_PAGE_SIZE)));
        }
        StringBuilder link = new StringBuilder(path).append('?');
        query.forEach((name, values) -> values.forEach(v -> {
            if (link.charAt(link.length() - 1) != '?') {
                link.append('&');
            }
            link.append(quotePlus(name)).append('=').append(quotePlus(v));
        }));
        return link.toString();
    }

    /** Python's urllib.parse.quote_plus, which DRF's links use: Java's encoder differs on '*' and '~'. */
    private static String quotePlus(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }
}
