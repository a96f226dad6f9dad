package dev.towerless.aws.dynamodb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The {@code job_filters} entries the repair read, kept small: a million jobs have two to three
 * million entries but only a few thousand distinct keys, so each entry is one {@code long} (the
 * key's number above the job id's 40 bits), sorted once and found by binary search, rather than
 * a string of a hundred bytes in a hash set (the system-job task has a 512 MB container).
 */
final class ListedEntries {
    private static final int ID_BITS = 40;
    private static final long MAX_ID = (1L << ID_BITS) - 1;
    /** The key numbers the 24 bits above the id hold (one per inventory, project and launch type of each kind). */
    private static final int MAX_KEYS = 1 << (Long.SIZE - ID_BITS);

    private final Map<String, Integer> keyNumbers = new HashMap<>();
    private final List<String> keys = new ArrayList<>();
    private long[] codes = new long[1024];
    private int size;
    private BitSet claimed;

    /**
     * One entry read (before {@link #seal}). An id no job can have (a sequence gives every job
     * one far below 2^40) is not kept: the repair then leaves that entry alone, as it does an
     * entry it did not read, rather than fail every night.
     */
    void add(String key, long id) {
        if (id < 0 || id > MAX_ID) {
            return;
        }
        int number = keyNumbers.computeIfAbsent(key, k -> {
            if (keys.size() == MAX_KEYS) {
                throw new IllegalStateException("more than " + MAX_KEYS + " distinct job_filters keys");
            }
            keys.add(k);
            return keys.size() - 1;
        });
        if (size == codes.length) {
            codes = Arrays.copyOf(codes, size * 2);
        }
        codes[size++] = code(number, id);
    }

    /** Done reading: sorts the entries for {@link #claim}. */
    void seal() {
        Arrays.sort(codes, 0, size);
        claimed = new BitSet(size);
    }

    /** True (and marked) if this entry was read; false if it is missing. */
    boolean claim(String key, long id) {
        Integer number = keyNumbers.get(key);
        if (number == null || id < 0 || id > MAX_ID) {
            return false;
        }
        int at = Arrays.binarySearch(codes, 0, size, code(number, id));
        if (at < 0) {
            return false;
        }
        claimed.set(at);
        return true;
    }

    /** Every entry read that no {@link #claim} marked: (key, job id). */
    void unclaimed(BiConsumer<String, Long> each) {
        for (int i = claimed.nextClearBit(0); i < size; i = claimed.nextClearBit(i + 1)) {
            each.accept(keys.get((int) (codes[i] >>> ID_BITS)), codes[i] & MAX_ID);
        }
    }

    /** Key number above the id; numbers of 2^23 and more make negative codes, which sort as consistently. */
    private static long code(int number, long id) {
        return ((long) number << ID_BITS) | id;
    }
}
