package dev.towerless.api.jobs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An events list asking only for what the counter serves: AWX's order (counter, or id, which
 * follows it) either way, and {@code counter}, {@code counter__gt/gte/lt/lte}. Anything else
 * (another filter, a malformed number) is left to ListQuery.
 */
record CounterQuery(long gt, long lt, boolean descending) {
    private static final Set<String> PAGING = Set.of("page", "page_size", "format");

    static Optional<CounterQuery> of(Map<String, List<String>> params) {
        long gt = 0;
        long lt = Long.MAX_VALUE;
        boolean descending = false;
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            String key = p.getKey();
            if (PAGING.contains(key)) {
                continue;
            }
            for (String v : p.getValue()) {
                if (key.equals("order_by") || key.equals("order")) {
                    switch (v) {
                        case "counter", "id" -> descending = false;
                        case "-counter", "-id" -> descending = true;
                        default -> {
                            return Optional.empty();
                        }
                    }
                    continue;
                }
                long n;
                try {
                    n = Long.parseLong(v.trim());
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
                switch (key) {
                    case "counter", "counter__exact" -> {
                        gt = Math.max(gt, n - 1);
                        lt = Math.min(lt, n + 1);
                    }
                    case "counter__gt" -> gt = Math.max(gt, n);
                    case "counter__gte" -> gt = Math.max(gt, n - 1);
                    case "counter__lt" -> lt = Math.min(lt, n);
                    case "counter__lte" -> lt = Math.min(lt, n + 1);
                    default -> {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.of(new CounterQuery(gt, lt, descending));
    }
}
