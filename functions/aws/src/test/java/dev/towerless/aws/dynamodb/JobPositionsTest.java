package dev.towerless.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Where a deep page starts from its kinds' blocks of ids (block 0: ids 0–9, block 1: 10–19, …). */
class JobPositionsTest {
    private static final NavigableMap<Long, Long> BLOCKS = new TreeMap<>(Map.of(0L, 7L, 1L, 7L, 2L, 3L)); // 17 jobs

    @Test
    void blocksThatDoNotAddUpToTheCounterAreNotTrusted() {
        assertThat(JobPositions.addsUp(BLOCKS, 18)).isFalse();
        assertThat(JobPositions.addsUp(new TreeMap<>(Map.of(0L, 18L, 1L, -1L)), 17)).as("a block below zero").isFalse();
        assertThat(JobPositions.addsUp(BLOCKS, 17)).isTrue();
    }

    @Test
    void aPageStartsInTheBlockHoldingItsFirstJobFromTheEdgeItsOrderReachesFirst() {
        // newest first: block 2's 3 jobs, then block 1's; the 5th job newest-first is block 1's second
        assertThat(JobPositions.start(BLOCKS, 4, 5, true, 10)).isEqualTo(new JobPositions.Start(20, 1, false));
        // oldest first: block 0's 7 jobs, then block 1's
        assertThat(JobPositions.start(BLOCKS, 8, 5, false, 10)).isEqualTo(new JobPositions.Start(10, 1, false));
    }

    @Test
    void aPageWithinOneBlockNearerItsFarEdgeIsReadFromThereInTheOtherOrder() {
        // newest first, offset 8: block 1's 6th of 7 jobs; a page of 1 is 1 from that block's low edge
        assertThat(JobPositions.start(BLOCKS, 8, 1, true, 10)).isEqualTo(new JobPositions.Start(10, 1, true));
        assertThat(new JobPositions.Start(10, 1, true).descending(true)).isFalse();
        // a page running past the block's far edge is read from its near edge
        assertThat(JobPositions.start(BLOCKS, 8, 5, true, 10)).isEqualTo(new JobPositions.Start(20, 5, false));
    }

    @Test
    void aPageBeyondTheLastJobQueriesFromBeyondTheFarEnd() {
        assertThat(JobPositions.start(BLOCKS, 17, 5, true, 10)).isEqualTo(new JobPositions.Start(0, 0, false));
        assertThat(JobPositions.start(BLOCKS, 17, 5, false, 10)).isEqualTo(new JobPositions.Start(30, 0, false));
        assertThat(JobPositions.start(new TreeMap<>(), 3, 5, false, 10)).isEqualTo(new JobPositions.Start(Long.MAX_VALUE, 0, false));
    }

    @Test
    void theBlocksOfSeveralKindsAddUpAndOtherAttributesAreNotBlocks() {
        var a = Map.of("name", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("positions#job"),
                "b3", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("2"));
        var b = Map.of("b3", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("1"),
                "b12", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("4"));
        assertThat(JobPositions.blocks(java.util.List.of(a, b))).containsExactlyEntriesOf(new TreeMap<>(Map.of(3L, 3L, 12L, 4L)));
        assertThat(JobPositions.attribute(12_345, 1000)).isEqualTo("b12");
        assertThat(JobPositions.isBlock("bx")).isFalse();
        assertThat(JobPositions.isBlock("b")).isFalse();
    }
}
