package dev.towerless.aws.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The partitions a store found holding no job at its last read (their counters absent: a counter is
 * made by its first job and never removed), so that a page over several kinds queries only the
 * others beside its counters, and reads again should the counters now name one it skipped. Only
 * what to read, never what to show. Bounded: partition names can come from requests
 * ({@code inventory__in=…}), so the set starts over past {@link #MAX}.
 */
final class EmptyPartitions {
    static final int MAX = 10_000;
    private final Set<String> empty = ConcurrentHashMap.newKeySet();

    /** These partitions less those last found empty: what to query beside the counters. */
    List<String> likelyFilled(List<String> partitions) {
        return partitions.stream().filter(p -> !empty.contains(p)).toList();
    }

    /** Records which of these partitions the counters just read say hold jobs, and returns those. */
    List<String> learn(List<String> partitions, Predicate<String> holdsJobs) {
        List<String> filled = new ArrayList<>();
        for (String p : partitions) {
            if (holdsJobs.test(p)) {
                filled.add(p);
                empty.remove(p);
            } else {
                if (empty.size() >= MAX) {
                    empty.clear();
                }
                empty.add(p);
            }
        }
        return filled;
    }
}
