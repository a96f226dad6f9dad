package dev.towerless.aws.dynamodb;

import dev.towerless.core.jobs.JobKind;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where a deep page of a kind's jobs starts, without reading the keys of the pages before it.
 *
 * <p>A numbered page over a keys-only index skips the keys before it: page 1000 of 20 reads 20,000
 * keys. So each kind keeps one item in the sequences table, {@code positions#<type>}, with one
 * number per block of {@code block} consecutive job ids: how many of the kind's jobs have an id in
 * that block ({@code b<id / block>}). It is moved with the kind's counter, by an ADD at each insert
 * and delete, and recounted by the nightly repair. A page at offset O in id order adds up the blocks
 * from the end the order starts at, finds the block holding the O-th job, and queries the index from
 * that block's edge, skipping fewer than one block's jobs.
 *
 * <p>The item is trusted only while its blocks add up to the kinds' counters read in the same batch:
 * a store an older version wrote (no item), a writer that died between the counter and this item, or a
 * read between those two writes. Otherwise the page skips keys as before, and stays right.
 *
 * <p>Size: about 12 bytes a block that holds a job. A year of a million jobs is 1,000 blocks of 1,000
 * ids, 12 KB, 3 read units a deep page; the repair removes blocks left empty by the cleanup of old
 * jobs, so the item grows with the history kept, not with the ids ever given.
 */
final class JobPositions {
    /** Job ids per block in production: fewer than this many keys are skipped on any page. */
    static final int BLOCK = 1000;
    private static final String PREFIX = "positions#";
    private static final String BLOCK_PREFIX = "b";

    private JobPositions() {
    }

    /** The sequences item of one kind's blocks. */
    static String name(JobKind kind) {
        return PREFIX + kind.type();
    }

    /** The attribute of the block holding this job id. */
    static String attribute(long id, int block) {
        return BLOCK_PREFIX + Math.floorDiv(id, block);
    }

    static boolean isBlock(String attribute) {
        return attribute.startsWith(BLOCK_PREFIX) && attribute.length() > 1 && attribute.substring(1).chars().allMatch(Character::isDigit);
    }

    /** Block number → jobs in it, summed over kinds' blocks. */
    static NavigableMap<Long, Long> merged(Collection<? extends Map<Long, Long>> kinds) {
        NavigableMap<Long, Long> out = new TreeMap<>();
        kinds.forEach(blocks -> blocks.forEach((block, jobs) -> out.merge(block, jobs, Long::sum)));
        return out;
    }

    /** Block number → jobs in it, summed over these items (one kind's or several kinds'). */
    static NavigableMap<Long, Long> blocks(Collection<Map<String, AttributeValue>> items) {
        NavigableMap<Long, Long> out = new TreeMap<>();
        for (Map<String, AttributeValue> item : items) {
            item.forEach((attribute, value) -> {
                if (isBlock(attribute) && value.n() != null) {
                    out.merge(Long.parseLong(attribute.substring(1)), Long.parseLong(value.n()), Long::sum);
                }
            });
        }
        return out;
    }

    /**
     * Whether these blocks (of one kind: over several, one kind one short and another one over would
     * cancel out) can be trusted: none below zero, and together the jobs its counter counts.
     */
    static boolean addsUp(Map<Long, Long> blocks, long counted) {
        long sum = 0;
        for (long c : blocks.values()) {
            if (c < 0) {
                return false; // a block below zero: a delete counted without its insert
            }
            sum += c;
        }
        return sum == counted;
    }

    /**
     * Where the page of {@code take} jobs at {@code offset} starts, in blocks each kind of which
     * {@link #addsUp}: the id edge to query from, the jobs to skip after it and the order to query
     * in. A page that lies within one block, nearer that block's far edge, is read from there in the
     * other order (at most half a block skipped).
     */
    static Start start(NavigableMap<Long, Long> blocks, long offset, int take, boolean descending, int block) {
        long before = 0;
        for (Map.Entry<Long, Long> b : (descending ? blocks.descendingMap() : blocks).entrySet()) {
            long jobs = b.getValue();
            if (before + jobs > offset) {
                long skip = offset - before;
                long near = descending ? (b.getKey() + 1) * block : b.getKey() * block;
                long far = descending ? b.getKey() * block : (b.getKey() + 1) * block;
                long fromFar = jobs - skip - take;
                return fromFar >= 0 && fromFar < skip ? new Start(far, fromFar, true) : new Start(near, skip, false);
            }
            before += jobs;
        }
        // past the last job: a query from beyond the far end returns nothing
        long edge = descending ? (blocks.isEmpty() ? 0 : blocks.firstKey() * block)
                : (blocks.isEmpty() ? Long.MAX_VALUE : (blocks.lastKey() + 1) * block);
        return new Start(edge, 0, false);
    }

    /**
     * A page's start. Not {@code reversed}: in the page's order from {@code edge} (descending, the ids
     * below it; ascending, the ids from it on), of which the first {@code skip} are before the page.
     * {@code reversed}: the same, in the other order from the block's far edge, the page's jobs then
     * in reverse.
     */
    record Start(long edge, long skip, boolean reversed) {
        /** The order to query in. */
        boolean descending(boolean pageDescending) {
            return pageDescending != reversed;
        }
    }
}
