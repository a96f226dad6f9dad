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
 * ({@code -field} descending), exact field filters, {@code __icontains}, {@code __in},
 * {@code __isnull}, {@code not__}, {@code or__} and {@code search}.
 */
public final class ListQuery {
    private static final Set<String> RESERVED = Set.of("page", "page_size", "order_by", "format", "search");

    private final int page;
    private final int pageSize;
    private final String orderBy;
    private final List<Predicate<Map<String, Object>>> filters = new ArrayList<>();
    private final List<Predicate<Map<String, Object>>> orFilters = new ArrayList<>();
    /** The top-level fields the filters and the ordering look at. */
    private final Set<String> fields = new java.util.HashSet<>();

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
        ListQuery q = new ListQuery(page, size, order == null || order.isBlank() ? "id" : order);
        params.forEach((key, values) -> {
            if (RESERVED.contains(key)) {
                return;
            }
            for (String v : values) {
                q.fields.add(topLevelField(key.replaceFirst("^(or|not)__", "")));
                if (key.startsWith("or__")) {
                    q.orFilters.add(predicate(key.substring(4), v));
                } else if (key.startsWith("not__")) {
                    q.filters.add(predicate(key.substring(5), v).negate());
                } else {
                    q.filters.add(predicate(key, v));
                }
            }
        });
        String search = first(params, "search");
        for (String key : q.orderBy.split(",")) {
            q.fields.add(topLevelField(key.replaceFirst("^-", "")));
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

    public boolean hasFilters() {
        return !filters.isEmpty() || !orFilters.isEmpty() || !orderBy.equals("id") && !orderBy.equals("-id");
    }

    /** True if the query looks only at these fields (so it can run on stored values, before rendering). */
    public boolean usesOnly(Set<String> available) {
        return available.containsAll(fields);
    }

    private static String topLevelField(String key) {
        int split = key.indexOf("__");
        return split < 0 ? key : key.substring(0, split);
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

    private static List<String> reversed(String[] keys) {
        List<String> l = new ArrayList<>(List.of(keys));
        java.util.Collections.reverse(l);
        return l;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        return a.toString().compareTo(b.toString());
    }

    private static Predicate<Map<String, Object>> predicate(String key, String value) {
        int split = key.lastIndexOf("__");
        String field = key;
        String op = "exact";
        if (split > 0) {
            String candidate = key.substring(split + 2);
            if (Set.of("exact", "iexact", "icontains", "contains", "in", "isnull", "gt", "gte", "lt", "lte", "startswith",
                    "istartswith").contains(candidate)) {
                field = key.substring(0, split);
                op = candidate;
            }
        }
        String f = field.replace("__", ".");
        String lower = value.toLowerCase(Locale.ROOT);
        return switch (op) {
            case "icontains" -> m -> text(get(m, f)).toLowerCase(Locale.ROOT).contains(lower);
            case "contains" -> m -> text(get(m, f)).contains(value);
            case "iexact" -> m -> text(get(m, f)).equalsIgnoreCase(value);
            case "startswith" -> m -> text(get(m, f)).startsWith(value);
            case "istartswith" -> m -> text(get(m, f)).toLowerCase(Locale.ROOT).startsWith(lower);
            case "in" -> {
                Set<String> options = Set.of(value.split(","));
                yield m -> options.contains(text(get(m, f)));
            }
            case "isnull" -> m -> (get(m, f) == null) == Boolean.parseBoolean(lower);
            case "gt" -> m -> compareText(get(m, f), value) > 0;
            case "gte" -> m -> compareText(get(m, f), value) >= 0;
            case "lt" -> m -> compareText(get(m, f), value) < 0;
            case "lte" -> m -> compareText(get(m, f), value) <= 0;
            default -> m -> matchesExact(get(m, f), value);
        };
    }

    private static Object get(Map<String, Object> m, String dotted) {
        Object cur = m;
        for (String part : dotted.split("\\.")) {
            if (!(cur instanceof Map<?, ?> map)) {
                return null;
            }
            cur = map.get(part);
        }
        return cur;
    }

    private static boolean matchesExact(Object actual, String wanted) {
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

    /** The AWX list envelope. */
    public static Map<String, Object> envelope(String path, ListQuery q, long count, List<?> results) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", count);
        out.put("next", q.page * (long) q.pageSize < count ? pageLink(path, q, q.page + 1) : null);
        out.put("previous", q.page > 1 ? pageLink(path, q, q.page - 1) : null);
        out.put("results", results);
        return out;
    }

    private static String pageLink(String path, ListQuery q, int page) {
        return path + "?page=" + page + (q.pageSize != 25 ? "&page_size=" + q.pageSize : "");
    }
}
