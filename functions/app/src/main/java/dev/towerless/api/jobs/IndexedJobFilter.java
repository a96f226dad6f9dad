package dev.towerless.api.jobs;

import dev.towerless.api.dialect.ListQuery;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A list whose only filter is one the store keeps keys for ({@link dev.towerless.core.jobs.JobFilters}):
 * {@code inventory=N}, {@code project=N}, {@code launch_type=X} or {@code launch_type__in=a,b},
 * besides paging and an id order, on kinds whose AWX model has that field ({@code jobs/?inventory=}
 * yes, {@code project_updates/?inventory=} no: that one walks, and the walk gives AWX's 400).
 * The store then serves the page from its keys ({@link dev.towerless.core.ports.JobStore#withField}).
 *
 * @param values the values asked for, spelled as the store's keys spell them
 */
public record IndexedJobFilter(String field, Set<String> values) {
    /**
     * The filter of such a request on these kinds (every one of them must have the field; the
     * {@code ignored} parameters, such as {@code unified_jobs/}'s {@code type}, are the caller's);
     * null for any other request.
     */
    public static IndexedJobFilter of(Map<String, List<String>> query, List<String> ignored, Set<JobKind> kinds) {
        Map<String, List<String>> params = new LinkedHashMap<>(query);
        ignored.forEach(params::remove);
        IndexedJobFilter found = null;
        for (String name : List.of(JobFields.INVENTORY, JobFields.PROJECT, JobFields.LAUNCH_TYPE, "launch_type__in")) {
            List<String> given = params.remove(name);
            if (given == null) {
                continue;
            }
            if (found != null || given.size() != 1) {
                return null;
            }
            String field = name.equals("launch_type__in") ? JobFields.LAUNCH_TYPE : name;
            Set<String> values = new LinkedHashSet<>(name.endsWith("__in") ? List.of(given.get(0).split(",")) : List.of(given.get(0)));
            // an id that is not a number is the walk's to refuse, with AWX's words
            if (!field.equals(JobFields.LAUNCH_TYPE) && !values.stream().allMatch(v -> v.matches("[0-9]{1,15}"))) {
                return null;
            }
            if (field.equals(JobFields.LAUNCH_TYPE)) {
                // a value that is none of AWX's launch types matches no job (AWX does not check choices); only the real ones are read
                values.removeIf(v -> java.util.Arrays.stream(dev.towerless.core.jobs.LaunchType.values()).noneMatch(l -> l.apiName().equals(v)));
            } else {
                Set<String> ids = new LinkedHashSet<>();
                values.forEach(v -> ids.add(Long.toString(Long.parseLong(v)))); // 012 is 12, as in AWX
                values = ids;
            }
            found = new IndexedJobFilter(field, values);
        }
        if (found == null || kinds.isEmpty() || ListQuery.parse(params).hasFilters()) {
            return null;
        }
        String field = found.field();
        return kinds.stream().allMatch(k -> dev.towerless.core.jobs.JobFilters.kept(k, field)) ? found : null;
    }
}
